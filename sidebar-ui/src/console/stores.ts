// The stores in the admin's scope, loaded once for the filters.
import { ref } from 'vue'
import { listStores, type Store } from './api'

const stores = ref<Store[]>([])
let loading: Promise<void> | null = null

/** useStores returns the stores in scope (the head office, a department without guides, included). */
export function useStores() {
  loading ??= listStores()
    .then((r) => {
      stores.value = r.stores
    })
    .catch(() => {
      loading = null
    })
  return stores
}
