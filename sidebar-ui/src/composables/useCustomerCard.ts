// The customer card: one request for the whole card, then tag edits and product shares.
import { ref, watch, type Ref } from 'vue'
import { fetchCard, fetchCorpTags, recordShare, saveTags } from '../api/sidebar'
import { errorText } from '../api/http'
import type { Card, Recommendation, TagGroup } from '../api/types'
import { bridge } from '../wecom/bridge'

export function useCustomerCard(id: Ref<string>) {
  const card = ref<Card | null>(null)
  const loading = ref(true)
  const error = ref('')
  const corpTags = ref<TagGroup[] | null>(null)

  async function load() {
    loading.value = true
    error.value = ''
    try {
      card.value = await fetchCard(id.value)
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

  /** share sends the product card into the chat, then records the share. */
  async function share(rec: Recommendation) {
    const b = await bridge()
    const p = rec.product
    await b.sendNews({ link: p.link_url, title: p.name, desc: rec.reason || p.description, imgUrl: p.image_url })
    const s = await recordShare({ product_id: p.product_id, external_userid: id.value, msgtype: 'news' })
    if (card.value) {
      card.value.recent_shares.unshift(s)
      rec.last_shared_at = s.shared_at
    }
  }

  watch(id, load, { immediate: true })
  return { card, loading, error, load, loadCorpTags, editTags, share }
}
