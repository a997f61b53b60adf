// The admin console's API (/api/admin); types mirror handler/admin_dto.go and handler/admin_console.go.
import { ApiError, request } from '../api/http'

export interface Store {
  id: number
  name: string
  parent_id?: number
}

export interface Me {
  userid: string
  name: string
  role: 'admin' | 'store_manager'
  all: boolean
  stores: Store[]
}

export interface Plan {
  strategy: string
  takeover_userid?: string
  keep_existing: boolean
}

export type Counts = Record<string, Record<string, number>>

export interface HandoverCase {
  id: number
  kind: 'resigned' | 'onjob'
  handover_userid: string
  handover_name?: string
  handover_status?: string
  store_id: number
  store_name?: string
  status: string
  phase: string
  plan: Plan
  message?: string
  source: string
  created_by?: string
  opened_at: string
  updated_at: string
  finished_at?: string
  next_run_at?: string
  counts?: Counts
}

export interface Taker {
  userid: string
  name: string
  store_name?: string
  load: number
  customers: number
  groups: number
}

export interface CaseView {
  case: HandoverCase
  counts: Counts
  takers: Taker[]
}

export interface Item {
  id: number
  kind: string
  target_id: string
  target_name?: string
  target_avatar?: string
  takeover_userid: string
  takeover_name?: string
  takeover_store?: string
  override_userid?: string
  state: string
  errcode: number
  reason?: string
  takeover_at?: string
}

export interface Guide {
  userid: string
  name: string
  store_id: number
  store_name: string
  status: string
  customers: number
  resigned_at?: string
}

export interface Customer {
  external_userid: string
  name: string
  avatar?: string
  remark?: string
  added_at?: string
}

export interface Departed {
  userid: string
  name: string
  store_id: number
  store_name: string
  resigned_at?: string
  customers: number
  groups: number
  case?: HandoverCase
  counts?: Counts
}

export interface AuditEntry {
  id: number
  actor: string
  actor_name?: string
  action: string
  target?: string
  case_id?: number
  store_id?: number
  store_name?: string
  scope: string
  detail?: string
  at: string
}

export interface ItemRef {
  kind: string
  target_id: string
}

/** Page is one keyset page; next_cursor is '' on the last. */
export type Page<K extends string, T> = { [key in K]: T[] } & { next_cursor: string }

/** Query is a list's filters: empty values are left out of the URL. */
export type Query = Record<string, string | number | boolean | undefined>

/** qs builds a query string from the set values. */
export function qs(q: Query): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '' && v !== false) p.set(k, String(v))
  const s = p.toString()
  return s ? '?' + s : ''
}

const base = '/api/admin'
const hb = base + '/handover'

export const fetchMe = () => request<Me>('GET', `${base}/me`)
export const listStores = () => request<{ stores: Store[] }>('GET', `${base}/stores`)
export const listGuides = (q: Query) => request<Page<'guides', Guide>>('GET', `${base}/guides${qs(q)}`)
export const listCustomers = (userid: string, q: Query) =>
  request<Page<'customers', Customer>>('GET', `${base}/guides/${encodeURIComponent(userid)}/customers${qs(q)}`)

export const listCases = (q: Query) => request<Page<'cases', HandoverCase>>('GET', `${hb}/cases${qs(q)}`)
export const listDeparted = (q: Query) => request<{ departed: Departed[] }>('GET', `${hb}/departed${qs(q)}`)
export const openOnjob = (body: {
  handover_userid: string
  customers: string[]
  all_customers: boolean
  all_groups: boolean
  message: string
  plan?: Plan
}) => request<CaseView>('POST', `${hb}/cases`, { kind: 'onjob', ...body })
export const openResigned = (userid: string) =>
  request<{ case: HandoverCase }>('POST', `${hb}/cases`, { kind: 'resigned', handover_userid: userid })
export const reconcile = () => request<{ new_items: number }>('POST', `${hb}/reconcile`)
export const viewCase = (id: number) => request<CaseView>('GET', `${hb}/cases/${id}`)
export const preview = (id: number) => request<CaseView>('GET', `${hb}/cases/${id}/plan`)
export const setPlan = (id: number, p: Plan) => request<CaseView>('PUT', `${hb}/cases/${id}/plan`, p)
export const editItems = (
  id: number,
  e: { overrides?: (ItemRef & { takeover_userid: string })[]; exclude?: ItemRef[]; include?: ItemRef[] },
) => request<CaseView>('PATCH', `${hb}/cases/${id}/items`, e)
export const execute = (id: number) => request<CaseView>('POST', `${hb}/cases/${id}/execute`)
export const cancelCase = (id: number) => request<{ status: string }>('POST', `${hb}/cases/${id}/cancel`)
export const listItems = (id: number, q: Query) => request<Page<'items', Item>>('GET', `${hb}/cases/${id}/items${qs(q)}`)
export const listAudit = (q: Query) => request<Page<'entries', AuditEntry>>('GET', `${base}/audit${qs(q)}`)

/** exportURL is where a list's export downloads from, with the list's filters. */
export const exportURL = (path: string, q: Query, format: 'csv' | 'xlsx') => `${base}${path}/export${qs({ ...q, format })}`

/** consoleError turns a failed call into a sentence for the admin. */
export function consoleError(e: unknown): string {
  if (!(e instanceof ApiError)) return '出错了，请稍后重试'
  switch (e.status) {
    case 0:
      return e.message
    case 401:
      return '登录已失效，请重新登录'
    case 403:
      return '无权访问：这不在你管理的门店范围内'
    case 404:
      return '没有找到该记录'
    case 400:
      return '请求有误：' + e.message
    case 409:
      return '操作冲突：' + e.message
    case 502:
    case 503:
      return '企业微信暂时无法响应，请稍后重试'
  }
  return '服务暂时不可用，请稍后重试'
}
