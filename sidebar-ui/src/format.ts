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

const addWays: Record<number, string> = {
  0: '未知来源', 1: '扫描二维码', 2: '搜索手机号', 3: '名片分享', 4: '群聊', 5: '手机通讯录', 6: '微信联系人',
  8: '第三方应用自动添加', 9: '邮箱', 10: '视频号主页', 16: '获客链接', 201: '内部成员共享', 202: '管理员/负责人分配',
}

export const addWayLabel = (w: number) => addWays[w] ?? `其他方式（${w}）`

export const customerTypeLabel = (t: number) => (t === 2 ? '企业微信用户' : '微信用户')

const removedBy: Record<string, string> = {
  customer: '客户已将你删除',
  guide: '你已删除该客户',
  transfer: '客户已转接给其他导购',
}

export const removedLabel = (by: string) => removedBy[by] ?? '已不在你的客户列表中'

export const handoverLabel = (reason: string) => (reason === 'inherited' ? '离职继承' : '在职转接')
