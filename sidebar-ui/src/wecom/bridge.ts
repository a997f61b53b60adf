// The WeCom client bridge as the views use it: the real JS-SDK (jssdk.ts) or the demo stand-in (demoBridge.ts).
import type { ChatMessage } from '../api/workbench'

export type { ChatMessage }

/** NewsMessage is a product card sent with sendChatMessage (msgtype news). */
export interface NewsMessage {
  link: string
  title: string
  desc: string
  imgUrl: string
}

/** Bridge is what the sidebar asks of the WeCom client. */
export interface Bridge {
  demo: boolean
  /** getEntry is ww.getContext().entry: single_chat_tools, contact_profile, group_chat_tools, normal… */
  getEntry(): Promise<string>
  getCurExternalContact(): Promise<string>
  getCurExternalChat(): Promise<string>
  /** sendChatMessage puts a message into the chat the sidebar was opened in (ww.sendChatMessage). */
  sendChatMessage(msg: ChatMessage): Promise<void>
}

/** chatEntries are the entries whose chat sendChatMessage can send into. */
export const chatEntries = ['single_chat_tools', 'group_chat_tools', 'single_kf_tools']

/** sendNews sends a product card (msgtype news). */
export const sendNews = (b: Bridge, news: NewsMessage) => b.sendChatMessage({ msgtype: 'news', news })

let current: Bridge | null = null
let resolveReady: (b: Bridge) => void
let rejectReady: (e: unknown) => void
const ready = new Promise<Bridge>((res, rej) => {
  resolveReady = res
  rejectReady = rej
})

/** setBridge installs the bridge once, at boot. */
export function setBridge(b: Bridge) {
  if (current) return
  current = b
  resolveReady(b)
}

/** failBridge reports that boot failed (the session could not be read). */
export function failBridge(e: unknown) {
  rejectReady(e)
}

/** bridge waits for the bridge installed at boot. */
export const bridge = () => ready
