// The demo stand-in for the WeCom client (demo mode only): the demo picker (DemoView) stores the chosen
// entry and id; this bridge answers getContext and friends with them, and "sends" messages locally.
import type { Bridge, NewsMessage } from './bridge'

/** DemoContext is what the demo picker chose. */
export interface DemoContext {
  entry: 'single_chat_tools' | 'group_chat_tools'
  external_userid?: string
  chat_id?: string
}

const key = 'guidebox.demo.context'

export function setDemoContext(c: DemoContext) {
  sessionStorage.setItem(key, JSON.stringify(c))
}

function context(): DemoContext | null {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null')
  } catch {
    return null
  }
}

/** sentMessages records what the demo "sent", for the page to show. */
export const sentMessages: NewsMessage[] = []

export const demoBridge: Bridge = {
  demo: true,
  async getEntry() {
    return context()?.entry ?? 'normal'
  },
  async getCurExternalContact() {
    const id = context()?.external_userid
    if (!id) throw new Error('getCurExternalContact:fail without context of external contact')
    return id
  },
  async getCurExternalChat() {
    const id = context()?.chat_id
    if (!id) throw new Error('getCurExternalChat:fail without context of external chat')
    return id
  },
  async sendNews(msg: NewsMessage) {
    sentMessages.push(msg)
  },
}
