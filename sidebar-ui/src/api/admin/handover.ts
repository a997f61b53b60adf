// Admin API for handover cases (离职继承 / 在职转接); types mirror handler/admin_dto.go.
import { ApiError, errorText, request } from '../http'

/** adminErrorText is errorText for the admin pages: a 403 means the signed-in guide is not an admin. */
export function adminErrorText(e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return '无权访问：客户交接仅限管理员使用，请联系管理员将你加入 sidebar.admins'
  if (e instanceof ApiError && e.status === 401) return '请先登录：从企业微信工作台打开，或在演示模式中选择一位导购'
  return errorText(e)
}

export interface Plan {
  strategy: string
  takeover_userid?: string
  keep_existing: boolean
}

export interface HandoverCase {
  id: number
  kind: 'resigned' | 'onjob'
  handover_userid: string
  store_id: number
  status: string
  phase: string
  plan: Plan
  message?: string
  source: string
  created_by?: string
  full_takers?: string[]
  opened_at: string
  updated_at: string
  finished_at?: string
  next_run_at?: string
}

export interface Taker {
  userid: string
  name: string
  load: number
  customers: number
  groups: number
}

export interface CaseView {
  case: HandoverCase
  counts: Record<string, Record<string, number>>
  takers: Taker[]
}

export interface Item {
  id: number
  kind: string
  target_id: string
  takeover_userid: string
  override_userid?: string
  state: string
  errcode: number
  reason?: string
  tries: number
  takeover_at?: string
}

export interface ItemRef {
  kind: string
  target_id: string
}

const call = request

const base = '/api/admin/handover'

export const listCases = (status = '') =>
  call<{ cases: HandoverCase[] }>('GET', `${base}/cases${status ? '?status=' + encodeURIComponent(status) : ''}`)
export const openOnjob = (body: {
  handover_userid: string
  customers: string[]
  all_customers: boolean
  all_groups: boolean
  message: string
  plan?: Plan
}) => call<CaseView>('POST', `${base}/cases`, { kind: 'onjob', ...body })
export const openResigned = (userid: string) =>
  call<{ case: HandoverCase }>('POST', `${base}/cases`, { kind: 'resigned', handover_userid: userid })
export const reconcile = () => call<{ new_items: number }>('POST', `${base}/reconcile`)
export const viewCase = (id: number) => call<CaseView>('GET', `${base}/cases/${id}`)
export const preview = (id: number) => call<CaseView>('GET', `${base}/cases/${id}/plan`)
export const setPlan = (id: number, p: Plan) => call<CaseView>('PUT', `${base}/cases/${id}/plan`, p)
export const editItems = (
  id: number,
  e: { overrides?: (ItemRef & { takeover_userid: string })[]; exclude?: ItemRef[]; include?: ItemRef[] },
) => call<CaseView>('PATCH', `${base}/cases/${id}/items`, e)
export const execute = (id: number) => call<CaseView>('POST', `${base}/cases/${id}/execute`)
export const cancelCase = (id: number) => call<{ status: string }>('POST', `${base}/cases/${id}/cancel`)
export const listItems = (id: number, state = '', afterID = 0) =>
  call<{ items: Item[] }>('GET', `${base}/cases/${id}/items?after_id=${afterID}${state ? '&state=' + state : ''}`)

/** Chinese labels for states, statuses and strategies. */
export const label: Record<string, string> = {
  open: '待执行', running: '执行中', waiting: '等待接替', done: '已完成', cancelled: '已取消',
  pending: '待分配', submitting: '提交中', refused: '客户拒绝', limit: '客户数已满', failed: '失败', excluded: '已排除',
  resigned: '离职继承', onjob: '在职转接', one: '全部给一人', round_robin: '门店轮流分配', least_loaded: '门店最少客户优先',
  customer: '客户', group: '客户群',
}
