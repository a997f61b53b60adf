// Display helpers: dates, prices and WeCom's enums in Chinese.

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${fmtDate(iso)} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export const fmtPrice = (cents: number) => '¥' + (cents / 100).toFixed(2).replace(/\.00$/, '')

export const customerTypeLabel = (t: number) => (t === 2 ? '企业微信用户' : '微信用户')

const removedBy: Record<string, string> = {
  customer: '客户已将你删除',
  guide: '你已删除该客户',
  transfer: '客户已转接给其他导购',
}

export const removedLabel = (by: string) => removedBy[by] ?? '已不在你的客户列表中'

export const handoverLabel = (reason: string) => (reason === 'inherited' ? '离职继承' : '在职转接')

/** absolute makes a path on this site a full URL (the JS-SDK's imgUrl needs one). */
export const absolute = (u: string) => (u.startsWith('/') && !u.startsWith('//') ? location.origin + u : u)

const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** fmtDay is a date as 11月26日 周四. */
export function fmtDay(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return `${d.getMonth() + 1}月${d.getDate()}日 ${weekdays[d.getDay()]}`
}

/** fmtClock is a time of day, 15:00. */
export function fmtClock(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** fmtWhen is a follow-up time relative to today: 今天 15:00, 明天 10:00, 11月28日 10:00. */
export function fmtWhen(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  const start = new Date()
  start.setHours(0, 0, 0, 0)
  const days = Math.floor((d.getTime() - start.getTime()) / 86400000)
  const names: Record<number, string> = { [-1]: '昨天', 0: '今天', 1: '明天', 2: '后天' }
  return (names[days] ?? `${d.getMonth() + 1}月${d.getDate()}日`) + ' ' + fmtClock(iso)
}
