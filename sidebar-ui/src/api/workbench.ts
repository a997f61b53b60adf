// The workbench API (/api/sidebar/home, notes, profile, libraries, sends); types mirror handler/workbench_dto.go.
import { getJSON, postJSON, putJSON } from './http'
import type { Guide } from './types'

const enc = encodeURIComponent

export interface HomeEntry {
  external_userid: string
  name: string
  remark: string
  avatar: string
  at: string
  note?: string
  birthday?: string
}

export interface Home {
  today: string
  overdue: HomeEntry[]
  due_today: HomeEntry[]
  birthdays: HomeEntry[]
  birthday_field: string
  new_customers: HomeEntry[]
}

export interface Stage {
  stage_id: string
  name: string
}

export interface Note {
  id: number
  author: Guide
  mine: boolean
  body: string
  stage_id: string
  stage_name: string
  next_at: string | null
  created_at: string
}

export type FieldType = 'text' | 'number' | 'date' | 'select' | 'multiselect'

export interface Field {
  field_id: string
  name: string
  type: FieldType
  options: string[]
  order: number
  birthday: boolean
}

export type FieldValue = string | number | string[]

export interface Profile {
  fields: Field[]
  values: Record<string, FieldValue>
}

export type Library = 'reply' | 'material'

export interface Item {
  id: number
  group_id: number
  kind: 'text' | 'image' | 'link' | 'miniprogram'
  title: string
  content: string
  url: string
  pic_url: string
  appid: string
  page: string
  corp: boolean
  mine: boolean
  image_url?: string
}

export interface LibraryGroup {
  id: number
  library: Library
  name: string
  corp: boolean
  mine: boolean
  items: Item[]
}

/** ChatMessage is sendChatMessage's argument, as the service prepares it. */
export interface ChatMessage {
  msgtype: 'text' | 'image' | 'news' | 'miniprogram'
  text?: { content: string }
  image?: { mediaid: string }
  news?: { link: string; title: string; desc: string; imgUrl: string }
  miniprogram?: { appid: string; title: string; imgUrl: string; page: string }
}

/** Target is the chat a message goes to. */
export type Target = { external_userid: string } | { chat_id: string }

export const fetchHome = () => getJSON<Home>('/api/sidebar/home')
export const fetchStages = () => getJSON<{ stages: Stage[] }>('/api/sidebar/stages')
export const fetchNotes = (id: string, beforeID = 0) =>
  getJSON<{ notes: Note[] }>('/api/sidebar/customers/' + enc(id) + '/notes' + (beforeID ? '?before_id=' + beforeID : ''))
export const addNote = (id: string, body: { body: string; stage_id?: string; next_at?: string }) =>
  postJSON<Note>('/api/sidebar/customers/' + enc(id) + '/notes', body)
export const fetchProfile = (id: string) => getJSON<Profile>('/api/sidebar/customers/' + enc(id) + '/profile')
export const saveProfile = (id: string, values: Record<string, FieldValue | null>) =>
  putJSON<Profile>('/api/sidebar/customers/' + enc(id) + '/profile', { values })
export const fetchLibrary = (lib: Library, q: string) =>
  getJSON<{ groups: LibraryGroup[] }>('/api/sidebar/library/' + lib + (q ? '?q=' + enc(q) : ''))
export const prepareMessage = (itemID: number, to: Target) => postJSON<ChatMessage>('/api/sidebar/library/items/' + itemID + '/message', to)
export const recordSend = (itemID: number, to: Target) => postJSON<{ id: number }>('/api/sidebar/sends', { item_id: itemID, ...to })
export const saveMyReply = (groupID: number, content: string, title = '') =>
  postJSON<Item>('/api/sidebar/library/items', { group_id: groupID, kind: 'text', title, content })
export const createMyGroup = (lib: Library, name: string) => postJSON<LibraryGroup>('/api/sidebar/library/groups', { library: lib, name })
export const updateMyReply = (itemID: number, content: string, title = '') =>
  putJSON<Item>('/api/sidebar/library/items/' + itemID, { title, content })
