// The signed-in guide and the boot sequence: /api/sidebar/me, then the bridge (real JS-SDK or demo), once.
import { ref } from 'vue'
import { fetchMe } from './api/sidebar'
import { ApiError } from './api/http'
import type { Me } from './api/types'
import { failBridge, setBridge } from './wecom/bridge'
import { demoBridge } from './wecom/demoBridge'

export const me = ref<Me | null>(null)

/** signInNeeded: the admin pages were opened without a session outside the WeCom client, where WeCom's
 * OAuth cannot sign anyone in; the page explains how to sign in instead of redirecting. */
export const signInNeeded = ref(false)

/** booted turns true once boot knows whether there is a session. */
export const booted = ref(false)

/** inWeCom reports whether the page runs in the WeCom client (its user agent says wxwork). */
export const inWeCom = () => /wxwork/i.test(navigator.userAgent)

/** boot loads the session and registers the bridge; without a session it goes to WeCom OAuth. */
export async function boot(onDemoPage: boolean): Promise<void> {
  try {
    me.value = await fetchMe()
  } catch (e) {
    booted.value = true
    if (e instanceof ApiError && e.status === 401) {
      if (location.hash.startsWith('#/admin') && !inWeCom()) {
        signInNeeded.value = true
      } else if (!onDemoPage) {
        const next = location.pathname + location.search + location.hash
        location.href = '/oauth/start?next=' + encodeURIComponent(next)
      }
      return
    }
    failBridge(e)
    return
  }
  booted.value = true
  if (me.value.demo) {
    setBridge(demoBridge)
  } else {
    const { registerWeCom } = await import('./wecom/jssdk')
    setBridge(registerWeCom(me.value))
  }
}
