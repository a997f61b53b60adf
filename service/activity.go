package service

import "time"

// Activity kinds: the exact strings of activity_log.kind. They are read by the timeline and by the
// KPI rollups; never rename one (add a new kind instead).
const (
	ActivityCustomerAdded        = "customer_added"         // the customer added the guide (ref: state; detail: add_way)
	ActivityCustomerDeletedGuide = "customer_deleted_guide" // del_follow_user: the customer deleted the guide
	ActivityGuideDeletedCustomer = "guide_deleted_customer" // del_external_contact: the guide deleted the customer
	ActivityRemarkChanged        = "remark_changed"         // remark, description or phone numbers (detail: remark, description, mobiles_changed)
	ActivityTagsChanged          = "tags_changed"           // detail: added, removed (tag names)
	ActivityGroupJoined          = "group_joined"           // the customer joined a group (ref: chat_id; guide: its owner)
	ActivityGroupLeft            = "group_left"             // the customer left a group
	ActivityProductShared        = "product_shared"         // ref: product id; detail: product, msgtype, chat_id
	ActivityReplySent            = "reply_sent"             // a quick reply sent (ref: item id; detail: title, kind, chat_id)
	ActivityMaterialSent         = "material_sent"          // a material sent (ref: item id; detail: title, kind, chat_id)
	ActivityOrderPaid            = "order_paid"             // ref: order id; guide: the order's guide (may be empty); detail: amount_fen, items, store
	ActivityOrderRefunded        = "order_refunded"         // ref: order id; guide: the order's guide (may be empty); detail: amount_fen, items, store
	ActivityNoteAdded            = "note_added"             // a follow-up note (ref: note id; detail: body, stage, next_at)
	ActivityCustomerTransferred  = "customer_transferred"   // 在职转接 to guide (ref: the guide it came from)
	ActivityCustomerInherited    = "customer_inherited"     // 离职继承 to guide (ref: the guide it came from)
	ActivitySidebarOpen          = "sidebar_open"           // a guide opened the sidebar (no customer; ref: the chat's customer, if any)
	ActivityTaskCompleted        = "task_completed"         // a guide completed a task (导购任务): every 群发 sent (no customer; ref: task id; detail: customers, sent)
)

// Who did what an activity records (activity_log.actor_kind).
const (
	ActorGuide  = "guide"  // a guide, in the sidebar (actor id: the guide)
	ActorRule   = "rule"   // an auto-tag rule (actor id: the rule)
	ActorWeCom  = "wecom"  // reported by WeCom: a callback or a read (actor id: empty)
	ActorAdmin  = "admin"  // an admin, in the console or a handover case (actor id: the admin)
	ActorSystem = "system" // guidebox itself: the orders API, a job
)

// Activity is one row of the append-only activity log: something that happened to a customer
// (ExternalUserID) with a guide (UserID), or a guide's own act (ExternalUserID empty).
type Activity struct {
	ID             int64
	At             time.Time // when it happened (event time, to the millisecond)
	Kind           string
	UserID         string // the guide
	ExternalUserID string // the customer; empty for a guide's own act
	ActorKind      string
	ActorID        string
	Ref            string
	// Detail is display data kept as it was (names, amounts), stored as a JSON object.
	Detail map[string]any
}
