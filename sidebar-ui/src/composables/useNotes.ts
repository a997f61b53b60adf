// A customer's follow-up notes: the newest 20, more on demand, the pipeline for the form, and adding one.
import { ref, watch, type Ref } from 'vue'
import { addNote, fetchNotes, fetchStages, type Note, type Stage } from '../api/workbench'
import { errorText } from '../api/http'

export function useNotes(id: Ref<string>) {
  const notes = ref<Note[]>([])
  const stages = ref<Stage[]>([])
  const loading = ref(true)
  const error = ref('')
  const more = ref(false)

  async function load() {
    loading.value = true
    error.value = ''
    try {
      const [n, s] = await Promise.all([fetchNotes(id.value), fetchStages()])
      notes.value = n.notes
      stages.value = s.stages
      more.value = n.notes.length === 20
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  /** loadMore appends the next 20 older notes. */
  async function loadMore() {
    const last = notes.value[notes.value.length - 1]
    if (!last) return
    const n = await fetchNotes(id.value, last.id)
    notes.value.push(...n.notes)
    more.value = n.notes.length === 20
  }

  /** add records a note (and the next follow-up) and puts it first. */
  async function add(body: { body: string; stage_id?: string; next_at?: string }) {
    const n = await addNote(id.value, body)
    notes.value.unshift(n)
    return n
  }

  watch(id, load, { immediate: true })
  return { notes, stages, loading, error, more, load, loadMore, add }
}
