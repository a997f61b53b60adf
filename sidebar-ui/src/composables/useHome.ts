// The sidebar home (opened without a chat): follow-ups due today and overdue, birthdays and new customers of the week.
import { ref } from 'vue'
import { fetchHome, type Home } from '../api/workbench'
import { errorText } from '../api/http'

export function useHome() {
  const home = ref<Home | null>(null)
  const loading = ref(true)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      home.value = await fetchHome()
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  return { home, loading, error, load }
}
