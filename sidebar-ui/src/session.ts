// The signed-in guide and the boot sequence: /api/sidebar/me, then the bridge (real JS-SDK or demo), once.
import { ref } from 'vue'
import { fetchMe } from './api/sidebar'
import { ApiError } from './api/http'
import type { Me } from './api/types'
import { failBridge, setBridge } from './wecom/bridge'
import { demoBridge } from './wecom/demoBridge'

export const me = ref<Me | null>(null)

/** boot loads the session and registers the bridge; without a session it goes to WeCom OAuth. */
export async function boot(onDemoPage: boolean): Promise<void> {
  try {
    me.value = await fetchMe()
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      // The old #/admin links lead to the console (/admin/), which signs in by itself.
      if (!onDemoPage && !location.hash.startsWith('#/admin')) {
        const next = location.pathname + location.search + location.hash
        location.href = '/oauth/start?next=' + encodeURIComponent(next)
      }
      return
    }
    failBridge(e)
    return
  }
  if (me.value.demo) {
    setBridge(demoBridge)
  } else {
    const { registerWeCom } = await import('./wecom/jssdk')
    setBridge(registerWeCom(me.value))
  }
}
