// The demo stand-in for the WeCom client (demo mode only): the demo picker (DemoView) stores the chosen
// entry and id; this bridge answers getContext and friends with them, and "sends" messages by recording
// every sendChatMessage call (in sessionStorage, so the page and the browser tests can read them).
import type { Bridge, ChatMessage } from './bridge'

/** DemoContext is what the demo picker chose; entry normal opens the sidebar home (no chat). */
export interface DemoContext {
  entry: 'single_chat_tools' | 'group_chat_tools' | 'normal'
  external_userid?: string
  chat_id?: string
}

const key = 'guidebox.demo.context'
const sentKey = 'guidebox.demo.sent'

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

/** sentMessages lists every sendChatMessage call the demo recorded, oldest first. */
export function sentMessages(): ChatMessage[] {
  try {
    return JSON.parse(sessionStorage.getItem(sentKey) ?? '[]')
  } catch {
    return []
  }
}

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
  async sendChatMessage(msg: ChatMessage) {
    const entry = context()?.entry
    if (entry !== 'single_chat_tools' && entry !== 'group_chat_tools') {
      throw new Error('sendChatMessage:fail without context of external contact')
    }
    sessionStorage.setItem(sentKey, JSON.stringify([...sentMessages(), msg]))
  },
}
