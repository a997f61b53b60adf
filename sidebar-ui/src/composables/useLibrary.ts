// The quick replies (话术) and materials (素材) a guide sees, search, one-tap sending into the current
// chat (sendChatMessage through the bridge, then the send is recorded) and the guide's own replies.
import { ref, watch, type Ref } from 'vue'
import {
  createMyGroup,
  fetchLibrary,
  prepareMessage,
  recordSend,
  saveMyReply,
  type ChatMessage,
  type Item,
  type Library,
  type LibraryGroup,
  type Target,
} from '../api/workbench'
import { errorText } from '../api/http'
import { bridge } from '../wecom/bridge'
import { absolute } from '../format'

export function useLibrary(target: Ref<Target | null>) {
  const library = ref<Library>('reply')
  const q = ref('')
  const groups = ref<LibraryGroup[]>([])
  const loading = ref(false)
  const error = ref('')
  const sending = ref(0)

  async function load() {
    loading.value = true
    error.value = ''
    try {
      groups.value = (await fetchLibrary(library.value, q.value.trim())).groups
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  /** send asks the service for the message (an image gets its WeCom media id), sends it, then records it. */
  async function send(item: Item) {
    if (!target.value) throw new Error('在聊天中打开侧边栏才能发送')
    sending.value = item.id
    try {
      const msg = withAbsoluteImages(await prepareMessage(item.id, target.value))
      await (await bridge()).sendChatMessage(msg)
      await recordSend(item.id, target.value)
    } finally {
      sending.value = 0
    }
  }

  /** addMine saves a reply of the guide's own, in their first own group (created when missing). */
  async function addMine(content: string) {
    let g = groups.value.find((x) => x.mine)
    if (!g) g = await createMyGroup('reply', '我的话术')
    await saveMyReply(g.id, content)
    await load()
  }

  watch(library, load)
  return { library, q, groups, loading, error, sending, load, send, addMine }
}

// withAbsoluteImages turns cover paths on this site into full URLs, as the JS-SDK needs.
function withAbsoluteImages(m: ChatMessage): ChatMessage {
  if (m.news) m.news.imgUrl = absolute(m.news.imgUrl)
  if (m.miniprogram) m.miniprogram.imgUrl = absolute(m.miniprogram.imgUrl)
  return m
}
