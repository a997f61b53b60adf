// The customer card: one request for the whole card, then tag edits, remark edits and product shares.
import { ref, watch, type Ref } from 'vue'
import { fetchCard, fetchCorpTags, recordShare, saveRemark, saveTags } from '../api/sidebar'
import { errorText } from '../api/http'
import type { Card, Recommendation, TagGroup } from '../api/types'
import { bridge, chatEntries, sendNews } from '../wecom/bridge'
import { absolute, fmtPrice } from '../format'

export function useCustomerCard(id: Ref<string>) {
  const card = ref<Card | null>(null)
  const loading = ref(true)
  const error = ref('')
  const corpTags = ref<TagGroup[] | null>(null)
  /** canSend: the sidebar was opened in a chat, so sendChatMessage has somewhere to send. */
  const canSend = ref(false)

  async function load() {
    loading.value = true
    error.value = ''
    try {
      card.value = await fetchCard(id.value)
      canSend.value = chatEntries.includes(await (await bridge()).getEntry())
    } catch (e) {
      card.value = null
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  /** loadCorpTags fetches every corp tag for the editor (only when the editor opens). */
  async function loadCorpTags() {
    if (!corpTags.value) corpTags.value = (await fetchCorpTags()).groups
    return corpTags.value
  }

  /** editTags saves to WeCom (mark_tag) and then locally; the card shows the result. */
  async function editTags(add: string[], remove: string[]) {
    const r = await saveTags(id.value, add, remove)
    if (card.value) card.value.tags = r.tags
  }

  /** editRemark saves the remark, description and phone numbers to WeCom, then locally. */
  async function editRemark(body: { remark: string; description: string; mobiles: string[] }) {
    const r = await saveRemark(id.value, body)
    if (card.value) Object.assign(card.value.edge, r)
  }

  /** share sends the product card into the chat, then records the share. */
  async function share(rec: Recommendation) {
    const b = await bridge()
    const p = rec.product
    // The reason is for the guide ("上次购买已 58 天…"); the customer gets the product's own words.
    const desc = p.description || [p.brand, fmtPrice(p.price_cents)].filter(Boolean).join(' ')
    await sendNews(b, { link: p.link_url, title: p.name, desc, imgUrl: absolute(p.image_url) })
    const s = await recordShare({ product_id: p.product_id, external_userid: id.value, msgtype: 'news' })
    if (card.value) {
      card.value.recent_shares.unshift(s)
      rec.last_shared_at = s.shared_at
    }
  }

  watch(id, load, { immediate: true })
  return { card, loading, error, canSend, load, loadCorpTags, editTags, editRemark, share }
}
