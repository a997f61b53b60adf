// The only importer of @wecom/jssdk: ww.register once at boot with app identity (agentId +
// getAgentConfigSignature, which the sidebar APIs need), then the few calls the sidebar makes.
import * as ww from '@wecom/jssdk'
import { fetchSignature } from '../api/sidebar'
import type { JSAPIConfig, Me } from '../api/types'
import type { Bridge, ChatMessage } from './bridge'

const jsApiList = ['getContext', 'getCurExternalContact', 'getCurExternalChat', 'sendChatMessage', 'openUserProfile']

/** registerWeCom registers the JS-SDK for this page and returns the bridge over it. */
export function registerWeCom(me: Me): Bridge {
  // One signature request serves both callbacks; the SDK signs location.href without the hash,
  // which hash routing keeps constant, so this runs once per page load.
  let pending: Promise<JSAPIConfig> | null = null
  let pendingURL = ''
  const sign = (url: string) => {
    if (!pending || pendingURL !== url) {
      pendingURL = url
      pending = fetchSignature(url)
    }
    return pending
  }
  ww.register({
    corpId: me.corp_id,
    agentId: me.agent_id,
    jsApiList,
    getConfigSignature: async (url: string) => (await sign(url)).config,
    getAgentConfigSignature: async (url: string) => (await sign(url)).agent_config,
  })
  return {
    demo: false,
    async getEntry() {
      const r = await ww.getContext()
      return r.entry
    },
    async getCurExternalContact() {
      const r = await ww.getCurExternalContact()
      return r.userId
    },
    async getCurExternalChat() {
      const r = await ww.getCurExternalChat()
      return r.chatId
    },
    async sendChatMessage(msg: ChatMessage) {
      await ww.sendChatMessage(msg as Parameters<typeof ww.sendChatMessage>[0])
    },
  }
}
