package service

import (
	"time"
)

// Guide statuses.
const (
	GuideActive   = "active"
	GuideResigned = "resigned"
)

// Guide is a WeCom member who serves customers (导购).
type Guide struct {
	UserID     string
	Name       string
	StoreID    int64 // main department
	Status     string
	ResignedAt *time.Time
	DetailsAt  time.Time // when name and store were read from WeCom (user/get); zero: never
}

// Store is a WeCom department that guides belong to (门店).
type Store struct {
	ID       int64
	Name     string
	ParentID int64
}

// Customer is a WeCom external contact (客户).
type Customer struct {
	ExternalUserID string
	UnionID        string
	Name           string
	Avatar         string
	Type           int // 1 WeChat, 2 WeCom
	Gender         int
	CorpName       string
	OwnerUserID    string
	OwnerReason    string    // why the owner holds the customer (Owner* reasons)
	ProfileAt      time.Time // when the profile (unionid to corp_name) was read from WeCom; zero: never
}

// Who removed a follow edge.
const (
	RemovedByCustomer = "customer" // del_follow_user
	RemovedByGuide    = "guide"    // del_external_contact
	RemovedByTransfer = "transfer" // del_external_contact with Source=DELETE_BY_TRANSFER
)

// Follow is the edge guide→customer: the customer is in the guide's contacts.
type Follow struct {
	UserID         string
	ExternalUserID string
	Remark         string
	Description    string
	RemarkMobiles  []string // the phone numbers noted with the remark
	AddWay         int
	State          string
	OperUserID     string
	TagIDs         []string
	AddedAt        time.Time  // the newest add
	Active         bool       // added after the newest removal
	RemovedAt      *time.Time // the newest removal, kept after a re-add as history
	RemovedBy      string
	EventAt        time.Time // time of the newest add or removal applied
	// DetailsAt is when the details (remark, description, add_way, state, oper_userid, tags) were
	// read from WeCom; zero: never (an edge made by an event or a handover only).
	DetailsAt time.Time
	// TagsAt is when the tags were set: by a WeCom read (its start) or by a guide's edit WeCom
	// accepted. Never before DetailsAt; a read older than it leaves the tags alone.
	TagsAt time.Time
}

// Ownership change reasons.
const (
	OwnerAdded       = "added"       // first guide to add the customer
	OwnerReassigned  = "reassigned"  // the owner lost the customer, another follower took over
	OwnerLost        = "lost"        // no guide follows the customer any more
	OwnerTransferred = "transferred" // 在职转接
	OwnerInherited   = "inherited"   // 离职继承
	OwnerManual      = "manual"
)

// Group is a customer group chat (客户群).
type Group struct {
	ChatID        string
	Name          string
	OwnerUserID   string
	Notice        string
	CreatedAt     time.Time
	MemberVersion string
	DismissedAt   *time.Time
	Members       []GroupMember
	DetailsAt     time.Time // when this snapshot (name to members) was read from WeCom; zero: never
}

// GroupMember is one member of a group chat: a guide (type 1) or a customer (type 2).
type GroupMember struct {
	MemberID  string
	Type      int
	JoinTime  time.Time
	JoinScene int
	Name      string
	UnionID   string
}

// TagGroup is a corp tag group with its tags.
type TagGroup struct {
	GroupID string
	Name    string
	Order   int64
	Tags    []Tag
}

// Tag is one corp tag. On a customer's card it also says where it came from (Origin, one of the
// TagFrom* values; Rule names the auto-tag rule of a TagFromRule tag) and whether it is on the guide's
// edge (OnEdge: a guide may edit it) or the customer's by a rule alone; elsewhere these are empty.
type Tag struct {
	TagID   string
	GroupID string
	Name    string
	Order   int64
	Origin  string
	Rule    string
	OnEdge  bool
}

// GuideName is a guide as the console names them: name, store (with its name) and status.
type GuideName struct {
	UserID    string
	Name      string
	StoreID   int64
	StoreName string
	Status    string
}

// ContactName is a customer (name and avatar) or a customer group (name) as the console names it.
type ContactName struct {
	ID     string
	Name   string
	Avatar string
}

// Where a tag on a customer came from.
const (
	TagFromWeCom = "wecom" // read from WeCom (set in the WeCom client, or before guidebox kept origins)
	TagFromGuide = "guide" // a guide's edit through the sidebar
	TagFromRule  = "rule"  // an auto-tag rule (自动标签) from the customer's orders
)
