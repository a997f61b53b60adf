// A customer's timeline (客户轨迹): the newest page, older pages on demand by the server's cursor.
import { ref, watch, type Ref } from 'vue'
import { fetchTimeline, type TimelineEntry } from '../api/timeline'
import { errorText } from '../api/http'

export function useTimeline(id: Ref<string>) {
  const entries = ref<TimelineEntry[]>([])
  const next = ref('')
  const loading = ref(true)
  const loadingMore = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const p = await fetchTimeline(id.value)
      entries.value = p.entries
      next.value = p.next
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  /** loadMore appends the next page (older entries). */
  async function loadMore() {
    if (!next.value || loadingMore.value) return
    loadingMore.value = true
    try {
      const p = await fetchTimeline(id.value, next.value)
      entries.value.push(...p.entries)
      next.value = p.next
    } finally {
      loadingMore.value = false
    }
  }

  watch(id, load, { immediate: true })
  return { entries, next, loading, loadingMore, error, load, loadMore }
}
