// Types mirroring the handler DTOs (handler/sidebar_dto.go, sidebar_api.go, sidebar_demo.go).

export interface Me {
  userid: string
  name: string
  admin: boolean
  demo: boolean
  expires: string
  corp_id: string
  agent_id: number
}

export interface Guide {
  userid: string
  name: string
  resigned: boolean
}

export interface Tag {
  tag_id: string
  name: string
  /** who put the tag on the customer (card tags only): a guide in the sidebar, an auto-tag rule, or WeCom */
  origin?: 'guide' | 'rule' | 'wecom'
  /** the auto-tag rule's name, for origin rule */
  rule?: string
  /** a rule's tag on the customer that is not on this guide's edge: not for the tag editor */
  auto?: boolean
}

export interface TagGroup {
  group_id: string
  name: string
  single_choice?: boolean
  tags: Tag[]
}

export interface Product {
  product_id: string
  name: string
  brand: string
  category: string
  description: string
  price_cents: number
  image_url: string
  link_url: string
}

export interface Recommendation {
  product: Product
  reason: string
  last_shared_at: string | null
}

export interface Share {
  id: number
  product_id: string
  external_userid?: string
  chat_id?: string
  msgtype: string
  shared_at: string
}

export interface Handover {
  from: Guide
  reason: 'inherited' | 'transferred' | string
  at: string
  remark: string
  description: string
  note: string
}

export interface OrderItem {
  sku: string
  name: string
  qty: number
  price_fen: number
}

export interface Order {
  order_id: string
  paid_at: string
  store_id: number
  store_name: string
  items: OrderItem[]
  total_fen: number
  refunded: boolean
  refunded_at: string | null
}

export interface Card {
  customer: { external_userid: string; name: string; avatar: string; type: number; gender: number; corp_name: string }
  edge: {
    remark: string
    description: string
    mobiles: string[]
    add_way: number
    add_way_name: string
    state: string
    channel: string
    added_at: string | null
    active: boolean
    removed_at: string | null
    removed_by: string
  }
  lost: boolean
  workbench: { stage: string; next_follow_up: string | null }
  tags: TagGroup[]
  followers: (Guide & { added_at: string | null })[]
  owner: Guide | null
  handover: Handover | null
  orders: Order[]
  orders_enabled: boolean
  recommendations: Recommendation[]
  recent_shares: Share[]
  /** parts left out because they could not be read this time */
  unavailable: ('recommendations' | 'orders' | 'workbench')[]
}

export interface GroupCard {
  chat_id: string
  name: string
  notice: string
  owner: Guide
  member_count: number
  guide_count: number
  guides: Guide[]
  dismissed: boolean
  customers: { external_userid: string; name: string; mine: boolean; tags: Tag[] }[]
}

export interface Signature {
  timestamp: number
  nonceStr: string
  signature: string
}

export interface JSAPIConfig {
  corp_id: string
  agent_id: number
  url: string
  config: Signature
  agent_config: Signature
}

export interface DemoContact {
  id: string
  name: string
  owner: string
  lost: boolean
}

export interface DemoGuide extends Guide {
  admin: boolean // in sidebar.admins: may open the admin console over every store
  manager?: boolean // a store manager: may open the console over their stores
  customers: DemoContact[]
  groups: DemoContact[]
}

/** GuideTask is one of the signed-in guide's tasks (导购任务), GET /api/sidebar/tasks (handler/tasks_dto.go). */
export interface GuideTask {
  id: number
  title: string
  text: string
  attachments: { kind: string; title?: string; url?: string; desc?: string }[]
  deadline: string
  task_status: 'active' | 'closed' | 'cancelled'
  status: 'pending' | 'waiting' | 'done' | 'failed' | 'missed' | 'cancelled'
  customers: number
  sent: number
  waiting: number
}
