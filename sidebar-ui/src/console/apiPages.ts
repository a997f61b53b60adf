// The API of the console's work pages: tasks (导购任务), products and orders, auto-tag rules, the corp's
// quick replies and materials, profile fields, stages and channels. Types mirror handler/tasks_dto.go,
// admin_catalog*.go, admin_autotags.go and workbench_dto.go.
import { ApiError, request } from '../api/http'
import { qs, type Page, type Query } from './api'

const base = '/api/admin'
const wb = base + '/workbench'

export interface Target {
  tag_ids?: string[]
  store_ids?: number[]
  stage?: string
  external_userids?: string[]
}

export interface Attachment {
  kind: string
  title?: string
  url?: string
  desc?: string
  pic_url?: string
  product_id?: string
  material_id?: string
}

export interface Task {
  id: number
  title: string
  text: string
  attachments: Attachment[]
  target: Target
  deadline: string
  status: 'active' | 'closed' | 'cancelled'
  phase: string
  created_by: string
  created_at: string
  closed_at?: string
}

export interface Totals {
  guides: number
  done: number
  customers: number
  sent: number
  failed: number
  waiting: number
}

export interface StoreProgress extends Totals {
  store_id: number
  name: string
}

export interface GuideProgress {
  userid: string
  name: string
  store_id: number
  store_name: string
  status: string
  reason?: string
  customers: number
  sent: number
  failed: number
  waiting: number
  reminders: number
  reminded_at?: string
  completed_at?: string
  behind: boolean
}

export interface TaskView {
  task: Task
  totals: Totals
  stores: StoreProgress[]
  guides: GuideProgress[]
}

export interface NewTask {
  title: string
  text: string
  product_ids: string[]
  material_ids: string[]
  target: Target
  deadline: string
}

export interface Reach {
  customers: number
  guides: number
  capped: boolean
  stores: { store_id: number; customers: number; guides: number }[]
}

export const listTasks = (q: Query) => request<{ tasks: { task: Task; totals: Totals }[] }>('GET', `${base}/tasks${qs(q)}`)
export const viewTask = (id: number) => request<TaskView>('GET', `${base}/tasks/${id}`)
export const createTask = (t: NewTask) => request<Task>('POST', `${base}/tasks`, t)
export const previewTask = (target: Target) => request<Reach>('POST', `${base}/tasks/preview`, { target })
export const cancelTask = (id: number) => request<Task>('POST', `${base}/tasks/${id}/cancel`)
export const remindTask = (id: number, userids?: string[]) =>
  request<{ reminded: string[]; skipped: { userid: string; reason: string }[] }>('POST', `${base}/tasks/${id}/remind`, userids ? { userids } : undefined)

export interface Tag {
  tag_id: string
  name: string
}
export interface TagGroup {
  group_id: string
  name: string
  tags: Tag[]
}
export interface Stage {
  stage_id: string
  name: string
  archived?: boolean
}

/** The pickers read what a guide's session reads: the corp tags and the pipeline (store managers too). */
export const corpTags = () => request<{ groups: TagGroup[] }>('GET', '/api/sidebar/tags')
export const stages = () => request<{ stages: Stage[] }>('GET', '/api/sidebar/stages')

export interface Product {
  sku: string
  name: string
  brand: string
  category: string
  description: string
  price_fen: number
  image_url: string
  link_url: string
  tag_ids: string[]
  on_sale: boolean
  stock_tracked: boolean
  stock: { store_id: number; qty: number }[]
}

export interface Order {
  order_id: string
  external_userid: string
  unionid?: string
  customer_name: string
  customer_avatar: string
  store_id: number
  store_name: string
  guide_userid: string
  guide_name: string
  paid_at: string
  total_fen: number
  status: 'paid' | 'refunded'
  refunded_at?: string
  lines: { sku: string; name: string; qty: number; price_fen: number }[]
}

export interface ImportReport {
  rows: number
  imported: number
  refused: number
  orders?: number
  errors: { line: number; field: string; reason: string }[]
  unlisted: number
}

export const listProducts = (q: Query) => request<Page<'products', Product>>('GET', `${base}/products${qs(q)}`)
export const productFacets = () => request<{ categories: string[]; brands: string[] }>('GET', `${base}/products/facets`)
export const listOrders = (q: Query) => request<Page<'orders', Order>>('GET', `${base}/orders${qs(q)}`)

/** importFile uploads a CSV or XLSX to an import route and returns its row report (also when some rows were refused). */
export async function importFile(kind: 'products' | 'orders', file: File): Promise<ImportReport> {
  const body = new FormData()
  body.append('file', file)
  let res: Response
  try {
    res = await fetch(`${base}/${kind}/import`, { method: 'POST', body, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '网络异常，请检查网络后重试')
  }
  const data = await res.json().catch(() => ({}))
  if (!res.ok) {
    if (data.report && data.report.rows > 0) return data.report // part was imported before it failed
    throw new ApiError(res.status, data.code ?? 'error', data.message ?? res.statusText)
  }
  return data as ImportReport
}

export interface Rule {
  id: number
  name: string
  kind: string
  category?: string
  days?: number
  lost_days?: number
  min_fen?: number
  stage?: string
  tag_id: string
  tag_name: string
  to_wecom: boolean
  enabled: boolean
  customers: number
  created_at: string
  updated_at: string
}
export type RuleInput = Omit<Rule, 'id' | 'tag_id' | 'customers' | 'created_at' | 'updated_at'> & { tag_id?: string; tag_group?: string }

export const listRules = () => request<{ rules: Rule[] }>('GET', `${base}/autotags/rules`)
export const saveRule = (r: RuleInput, id?: number) =>
  request<Rule>(id ? 'PUT' : 'POST', id ? `${base}/autotags/rules/${id}` : `${base}/autotags/rules`, r)
export const deleteRule = (id: number) => request<void>('DELETE', `${base}/autotags/rules/${id}`)
export const runRules = () => request<{ started: boolean }>('POST', `${base}/autotags/run`)

export interface LibItem {
  id: number
  group_id: number
  kind: 'text' | 'image' | 'link' | 'miniprogram'
  title: string
  content: string
  url: string
  pic_url: string
  appid: string
  page: string
  order: number
  image_url?: string
}
export interface LibGroup {
  id: number
  library: 'reply' | 'material'
  name: string
  order: number
  items: LibItem[]
}

export const corpLibrary = (library: string) => request<{ groups: LibGroup[] }>('GET', `${wb}/library/${library}`)
export const saveGroup = (g: { library: string; name: string; order: number }, id?: number) =>
  request<LibGroup>(id ? 'PUT' : 'POST', id ? `${wb}/library/groups/${id}` : `${wb}/library/groups`, g)
export const deleteGroup = (id: number) => request<void>('DELETE', `${wb}/library/groups/${id}`)
export const saveItem = (it: Omit<LibItem, 'id' | 'image_url'>, id?: number) =>
  request<LibItem>(id ? 'PUT' : 'POST', id ? `${wb}/library/items/${id}` : `${wb}/library/items`, it)
export const deleteItem = (id: number) => request<void>('DELETE', `${wb}/library/items/${id}`)
export const putImage = (id: number, data: string) => request<void>('PUT', `${wb}/library/items/${id}/image`, { data })

export interface Field {
  field_id: string
  name: string
  type: 'text' | 'number' | 'date' | 'select' | 'multiselect'
  options: string[]
  order: number
  birthday: boolean
  archived: boolean
}
export const listFields = () => request<{ fields: Field[] }>('GET', `${wb}/fields`)
export const saveField = (f: Field, create: boolean) =>
  request<Field>(create ? 'POST' : 'PUT', create ? `${wb}/fields` : `${wb}/fields/${encodeURIComponent(f.field_id)}`, f)
export const adminStages = () => request<{ stages: Stage[] }>('GET', `${wb}/stages`)
export const setStages = (s: { stage_id?: string; name: string }[]) => request<{ stages: Stage[] }>('PUT', `${wb}/stages`, { stages: s })
export const listChannels = () => request<{ channels: { state: string; name: string }[] }>('GET', `${wb}/channels`)
export const setChannel = (state: string, name: string) => request<{ state: string; name: string }>('PUT', `${wb}/channels`, { state, name })
export const deleteChannel = (state: string) => request<void>('DELETE', `${wb}/channels${qs({ state })}`)
export interface ProfileHit {
  external_userid: string
  name: string
  owner?: { userid: string; name: string }
  value: unknown
}
export const searchProfiles = (q: Query) => request<{ customers: ProfileHit[] }>('GET', `${wb}/profiles${qs(q)}`)

/** yuan formats fen as ¥12.30. */
export const yuan = (fen: number) => '¥' + (fen / 100).toFixed(2)
