// Errors of the console's pages in Chinese: a 400 names the field the API named (in Chinese) and the
// reason when it is a known one; never the raw message or JSON.
import { ApiError } from '../api/http'
import { consoleError } from './api'

/** fieldNames are the API's field names as the forms call them. */
const fieldNames: Record<string, string> = {
  title: '标题', text: '消息内容', deadline: '截止时间', target: '发送对象', 'target.tag_ids': '客户标签', 'target.store_ids': '门店',
  'target.stage': '跟进阶段', 'target.external_userids': '客户名单', product_ids: '商品', material_ids: '素材', attachments: '附件',
  name: '名称', kind: '类型', content: '内容', url: '链接', pic_url: '封面图片', appid: '小程序 AppID', page: '小程序页面路径',
  image: '图片', options: '选项', type: '类型', stages: '跟进阶段', state: '渠道参数', file: '文件', q: '搜索词', category: '品类',
  days: '天数', lost_days: '流失天数', min_fen: '金额', stage: '阶段', tag_id: '标签', tag_name: '标签名', tag_group: '标签组',
  group_id: '分组', body: '请求内容', status: '状态', store_id: '门店', limit: '每页条数', cursor: '翻页位置', field_id: '字段',
  min: '最小值', max: '最大值', birthday: '生日', stage_id: '阶段',
}

/** reasons turn the API's common reasons into Chinese; anything else reads 填写有误. */
const reasons: [RegExp, string | ((m: RegExpMatchArray) => string)][] = [
  [/is required|required/, '不能为空'],
  [/(\d+) to (\d+) characters/, (m) => `应为 ${m[1]} 到 ${m[2]} 个字`],
  [/(\d+) to (\d+) options/, (m) => `请填写 ${m[1]} 到 ${m[2]} 个选项`],
  [/another field has this name|must be unique|are unique/, '重复了，请换一个'],
  [/is the birthday already/, '已有其他字段设为生日'],
  [/only a date field/, '只有日期字段可以设为生日'],
  [/type cannot change/, '字段类型创建后不能修改，请新建字段'],
  [/must be in the future/, '必须晚于现在'],
  [/at most 30 days ahead/, '最多设在 30 天之内'],
  [/at most (\d+) characters/, (m) => `最多 ${m[1]} 个字`],
  [/at most (\d+) bytes/, (m) => `太长了（最多 ${m[1]} 字节）`],
  [/at most (\d+) product cards, materials and links/, (m) => `商品、素材和链接合计最多 ${m[1]} 个`],
  [/listed twice/, '有重复项'],
  [/http\(s\)/, '必须是 http:// 或 https:// 开头的网址'],
  [/name at least one of/, '请至少选择一种：标签、跟进阶段、门店或客户名单'],
  [/not available yet|not configured|not wired/, '暂不可用'],
  [/unknown|no such|no product|no stage/, '不存在'],
  [/a store outside your stores/, '包含不在你管理范围内的门店'],
  [/RFC 3339/, '时间格式不对'],
  [/appid/, '应为 wx 开头的 18 位 AppID'],
  [/picture|JPG|PNG/, '只支持 2 MB 以内的 JPG 或 PNG 图片'],
  [/options/, '请填写选项（至少一个，且不重复）'],
]

/** apiError is the sentence to show for a failed call; conflict replaces the generic 409 sentence. */
export function apiError(e: unknown, conflict?: string): string {
  if (!(e instanceof ApiError)) return '出错了，请稍后重试'
  if (e.status === 400) {
    const m = /^invalid ([\w.[\]-]+): (.*)$/s.exec(e.message)
    if (!m) return '请求有误，请检查填写的内容'
    const field = fieldNames[m[1].replace(/\[\d+\]/, '')] ?? fieldNames[m[1].split('.').pop() ?? ''] ?? '填写的内容'
    if (/[\u4e00-\u9fff]/.test(m[2])) return `「${field}」${m[2]}` // the service's own Chinese sentence
    for (const [re, zh] of reasons) {
      const r = m[2].match(re)
      if (r) return `「${field}」${typeof zh === 'string' ? zh : zh(r)}`
    }
    return `「${field}」填写有误，请检查`
  }
  if (e.status === 409) return conflict ?? '操作冲突：该记录已被修改或名称已存在，请刷新后重试'
  if (e.status === 413) return '文件太大，请拆分后再导入'
  return consoleError(e)
}
