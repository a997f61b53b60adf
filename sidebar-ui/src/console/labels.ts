// Chinese labels of the handover's kinds, statuses, states, strategies and audit actions.

export const label: Record<string, string> = {
  open: '待执行', running: '执行中', waiting: '等待接替', done: '已完成', cancelled: '已取消',
  pending: '待分配', submitting: '提交中', refused: '客户拒绝', limit: '客户数已满', failed: '失败', excluded: '已排除',
  resigned: '离职继承', onjob: '在职转接', one: '全部给一人', round_robin: '门店轮流分配', least_loaded: '门店最少客户优先',
  customer: '客户', group: '客户群', active: '在职', admin: '企业管理员', store_manager: '店长',
}

export const actionLabel: Record<string, string> = {
  open_resigned: '创建离职继承', open_onjob: '创建在职转接', plan: '设置分配方案', edit_items: '调整明细',
  execute: '执行交接', cancel: '取消交接', reconcile: '同步离职待分配',
  create_task: '创建导购任务', remind_task: '提醒导购发送', cancel_task: '结束导购任务',
  import_products: '导入商品', import_orders: '导入订单',
  create_rule: '新建自动标签规则', update_rule: '修改自动标签规则', delete_rule: '删除自动标签规则',
  library_group_save: '保存话术/素材分组', library_group_delete: '删除话术/素材分组', library_item_save: '保存话术/素材',
  library_item_delete: '删除话术/素材', field_save: '保存资料字段', stages_save: '保存跟进阶段', channel_save: '命名渠道',
  channel_delete: '删除渠道名称',
}

export const caseStatuses = ['open', 'running', 'waiting', 'done', 'cancelled']
export const itemStates = ['pending', 'submitting', 'waiting', 'done', 'refused', 'limit', 'failed', 'excluded']

/** statusType is the el-tag type of a case status or item state. */
export function statusType(s: string): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  switch (s) {
    case 'done':
      return 'success'
    case 'running':
    case 'submitting':
    case 'waiting':
      return 'primary'
    case 'open':
    case 'pending':
      return 'warning'
    case 'failed':
    case 'refused':
    case 'limit':
      return 'danger'
  }
  return 'info'
}

/** when formats a time for a table cell in the browser's zone. */
export function when(t?: string): string {
  if (!t) return '—'
  return new Date(t).toLocaleString('zh-CN', { hour12: false })
}

/** total sums a kind's counts (excluded items too), or only the given states. */
export function total(counts: Record<string, Record<string, number>> | undefined, kind: string, states?: string[]): number {
  const c = counts?.[kind] ?? {}
  return Object.entries(c).reduce((n, [s, v]) => (states && !states.includes(s) ? n : n + v), 0)
}
