// A customer's profile: the corp's fields and the values set; a field is saved on its own.
import { ref, watch, type Ref } from 'vue'
import { fetchProfile, saveProfile, type FieldValue, type Profile } from '../api/workbench'
import { errorText } from '../api/http'

export function useProfile(id: Ref<string>) {
  const profile = ref<Profile | null>(null)
  const loading = ref(true)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      profile.value = await fetchProfile(id.value)
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  }

  /** save writes one field's value (null clears it); the service checks it against the field's type. */
  async function save(fieldID: string, value: FieldValue | null) {
    profile.value = await saveProfile(id.value, { [fieldID]: value })
  }

  watch(id, load, { immediate: true })
  return { profile, loading, error, load, save }
}
