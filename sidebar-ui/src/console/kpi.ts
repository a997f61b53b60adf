// The guides' performance (导购三率) API (/api/admin/kpi); types mirror handler/admin_kpi.go.
import { request } from '../api/http'
import { qs, type Query } from './api'

export interface Totals {
  opens: number
  product_shares: number
  material_sends: number
  tasks_done: number
  reached: number
  converted: number
  orders: number
  amount_fen: number
  refunds: number
  refund_fen: number
  net_amount_fen: number
  added: number
  lost_by_customer: number
  lost_by_guide: number
  net_customers: number
  handover_in: number
  handover_out: number
  login_guide_days: number
  share_guide_days: number
  active_guide_days: number
  login_rate: number
  share_rate: number
  conversion_rate: number
}

export type DayTotals = Totals & { day: string }
export type StoreTotals = Totals & { store_id: number; name: string; guides: number }
export type GuideTotals = Totals & {
  userid: string
  name: string
  store_id: number
  store_name: string
  resigned: boolean
  resigned_at?: string
}
export interface KPICustomer {
  external_userid: string
  name: string
  avatar?: string
  remark?: string
  added_at?: string
  active: boolean
  reached_days: number
  orders: number
  amount_fen: number
  refund_fen: number
}

const base = '/api/admin/kpi'
const g = (userid: string) => `${base}/guides/${encodeURIComponent(userid)}`

export const kpiOverview = (q: Query) => request<{ guides: number; totals: Totals; days: DayTotals[] }>('GET', `${base}/overview${qs(q)}`)
export const kpiStores = (q: Query) => request<{ stores: StoreTotals[] }>('GET', `${base}/stores${qs(q)}`)
export const kpiGuides = (q: Query) => request<{ guides: GuideTotals[] }>('GET', `${base}/guides${qs(q)}`)
export const kpiGuide = (userid: string, q: Query) => request<{ guide: GuideTotals; days: DayTotals[] }>('GET', `${g(userid)}${qs(q)}`)
export const kpiCustomers = (userid: string, q: Query) =>
  request<{ customers: KPICustomer[]; next_cursor: string }>('GET', `${g(userid)}/customers${qs(q)}`)

/** pct formats a rate as a percentage with one decimal. */
export const pct = (r: number) => `${(r * 100).toFixed(1)}%`

/** yuan formats an amount in fen as yuan: cents shown below ¥10,000 (¥17.10), whole yuan above (¥66,311). */
export const yuan = (fen: number) => {
  const y = fen / 100
  const digits = Math.abs(y) >= 10000 || Number.isInteger(y) ? 0 : 2
  return `¥${y.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`
}

/** yuanShort is yuan for a headline figure: 万 and 亿 as HQ reads them (¥6.63万, ¥1.25亿). */
export const yuanShort = (fen: number) => {
  const y = fen / 100
  if (Math.abs(y) >= 1e8) return `¥${(y / 1e8).toFixed(2)}亿`
  if (Math.abs(y) >= 1e4) return `¥${(y / 1e4).toFixed(2)}万`
  return yuan(fen)
}

/** day is a date as the API takes it (2006-01-02), in the browser's zone. */
export function day(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

/** lastDays is the period of the n days ending today. */
export function lastDays(n: number): [string, string] {
  const to = new Date()
  const from = new Date(to.getTime() - (n - 1) * 86400_000)
  return [day(from), day(to)]
}

/** The metrics a ranking can sort by. */
export const metrics: { key: keyof Totals; label: string; percent?: boolean }[] = [
  { key: 'login_rate', label: '登录率', percent: true },
  { key: 'share_rate', label: '分享率', percent: true },
  { key: 'conversion_rate', label: '成交率', percent: true },
  { key: 'net_amount_fen', label: '净成交额' },
  { key: 'added', label: '新增客户' },
  { key: 'net_customers', label: '净增客户' },
]
