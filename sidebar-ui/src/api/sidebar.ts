// The sidebar API (/api/sidebar/...) and the demo bridge's API (/demo/api/...).
import { getJSON, postJSON, putJSON } from './http'
import type { Card, DemoGuide, GroupCard, GuideTask, JSAPIConfig, Me, Share, TagGroup } from './types'

const enc = encodeURIComponent

export const fetchMe = () => getJSON<Me>('/api/sidebar/me')
export const fetchSignature = (url: string) => getJSON<JSAPIConfig>('/api/sidebar/jsapi-signature?url=' + enc(url))
export const fetchCard = (id: string) => getJSON<Card>('/api/sidebar/customers/' + enc(id))
export const fetchGroup = (id: string) => getJSON<GroupCard>('/api/sidebar/groups/' + enc(id))
export const fetchCorpTags = () => getJSON<{ groups: TagGroup[] }>('/api/sidebar/tags')
export const saveTags = (id: string, add: string[], remove: string[]) =>
  postJSON<{ tags: TagGroup[] }>('/api/sidebar/customers/' + enc(id) + '/tags', { add, remove })
export const fetchTasks = () => getJSON<{ tasks: GuideTask[] }>('/api/sidebar/tasks')
export const saveRemark = (id: string, body: { remark?: string; description?: string; mobiles?: string[] }) =>
  putJSON<{ remark: string; description: string; mobiles: string[] }>('/api/sidebar/customers/' + enc(id) + '/remark', body)
export const recordShare = (body: { product_id: string; external_userid?: string; chat_id?: string; msgtype: string }) =>
  postJSON<Share>('/api/sidebar/shares', body)

export const fetchDemoDirectory = () => getJSON<{ demo: boolean; guides: DemoGuide[] }>('/demo/api/directory')
export const demoSendGroupMsgs = (userid: string) => postJSON<{ sent: number }>('/demo/api/sim/groupmsg/send', { userid })
export const demoLogin = (userid: string) => postJSON<Me>('/demo/api/login', { userid })
