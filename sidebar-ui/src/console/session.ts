// The signed-in admin: /api/admin/me once at boot. Without a session the console explains how to sign
// in (inside the WeCom client it goes through WeCom OAuth at once); a member who is neither an admin nor a
// store manager is told so.
import { ref } from 'vue'
import { ApiError } from '../api/http'
import { fetchMe, type Me } from './api'

export type SessionState = 'loading' | 'ok' | 'signin' | 'forbidden' | 'error'

export const me = ref<Me | null>(null)
export const state = ref<SessionState>('loading')

const inWeCom = () => /wxwork/i.test(navigator.userAgent)

/** boot loads the admin and their scope. */
export async function boot(): Promise<void> {
  try {
    me.value = await fetchMe()
    state.value = 'ok'
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      if (inWeCom()) {
        location.href = '/oauth/start?next=' + encodeURIComponent(location.pathname + location.search)
        return
      }
      state.value = 'signin'
    } else if (e instanceof ApiError && e.status === 403) {
      state.value = 'forbidden'
    } else {
      state.value = 'error'
    }
  }
}

/** scopeText says whose stores the admin sees: 全部门店, or the store names. */
export function scopeText(m: Me | null): string {
  if (!m) return ''
  if (m.all) return '全部门店'
  if (m.stores.length === 0) return '暂无门店'
  return m.stores.map((s) => s.name).join('、')
}
