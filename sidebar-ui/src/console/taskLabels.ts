// Words of the work pages: task and guide statuses, the target in a sentence, auto-tag kinds, item kinds.
import { ref } from 'vue'
import { corpTags, type Target, type TagGroup } from './apiPages'
import type { Store } from './api'

export const taskStatus: Record<string, string> = { active: '进行中', closed: '已结束', cancelled: '已取消' }
export const taskStatusType: Record<string, 'primary' | 'success' | 'info'> = { active: 'primary', closed: 'success', cancelled: 'info' }

export const guideStatus: Record<string, string> = {
  pending: '待下发', waiting: '待发送', done: '已完成', failed: '下发失败', missed: '已逾期', cancelled: '已取消',
}
export const guideStatusType: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  pending: 'info', waiting: 'warning', done: 'success', failed: 'danger', missed: 'danger', cancelled: 'info',
}

export const ruleKinds: Record<string, string> = {
  category: '近期购买某品类', spend: '累计消费达到金额', dormant: '长期未购买', lifecycle: '生命周期阶段', baby_stage: '母婴阶段',
}

export const itemKinds: Record<string, string> = { text: '文字', image: '图片', link: '链接', miniprogram: '小程序' }

export const fieldTypes: Record<string, string> = { text: '文本', number: '数字', date: '日期', select: '单选', multiselect: '多选' }

const tagGroups = ref<TagGroup[]>([])
let tagsLoading: Promise<void> | null = null

/** useTags loads the corp tags once (by group), for pickers and for naming tag ids. */
export function useTags() {
  tagsLoading ??= corpTags()
    .then((r) => {
      tagGroups.value = r.groups
    })
    .catch(() => {
      tagsLoading = null
    })
  return tagGroups
}

/** tagName names a tag id from the loaded groups. */
export function tagName(groups: TagGroup[], id: string): string {
  for (const g of groups) for (const t of g.tags) if (t.tag_id === id) return t.name
  return '已删除的标签'
}

/** targetText says whom a task reaches, in words: every criterion a customer must meet. */
export function targetText(t: Target, groups: TagGroup[], stores: Store[]): string {
  const parts: string[] = []
  if (t.tag_ids?.length) parts.push('标签 ' + t.tag_ids.map((id) => tagName(groups, id)).join('/'))
  if (t.stage) parts.push('阶段「' + t.stage + '」')
  if (t.store_ids?.length) {
    const names = t.store_ids.map((id) => stores.find((s) => s.id === id)?.name ?? `门店 ${id}`)
    parts.push(names.length > 3 ? `${names.slice(0, 3).join('、')} 等 ${names.length} 家门店` : names.join('、'))
  }
  if (t.external_userids?.length) parts.push(`名单中的 ${t.external_userids.length} 位客户`)
  return parts.join(' · ') || '—'
}

/** pct is a share as a whole percentage (0 when there is nothing to share). */
export const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part * 100) / whole) : 0)
