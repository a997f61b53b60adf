package handover

import (
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Handover kinds: a departed guide's customers (离职继承) or a move between working guides (在职转接).
const (
	KindResigned = "resigned"
	KindOnjob    = "onjob"
)

// Handover case statuses. A case is active while open, running or waiting.
const (
	CaseOpen      = "open"      // collected or collecting; the plan can be previewed and changed
	CaseRunning   = "running"   // the job sends and polls
	CaseWaiting   = "waiting"   // only WeCom's 24 h takeover (or a group quota) is left; polled later
	CaseDone      = "done"      // every item is final
	CaseCancelled = "cancelled" // stopped by an admin; items already sent stay as WeCom has them
)

// Case phases record how far collection and planning got, so a restarted job picks up there.
const (
	PhaseNew       = ""          // nothing collected yet
	PhaseCollected = "collected" // every customer and group is an item
	PhasePlanned   = "planned"   // every pending item has a taker
)

// Case sources: who opened it.
const (
	SourceDeleteUser = "delete_user" // WeCom's change_contact/delete_user
	SourceUnassigned = "unassigned"  // reconciliation with get_unassigned_list
	SourceAdmin      = "admin"
)

// Item kinds.
const (
	ItemCustomer = "customer"
	ItemGroup    = "group"
)

// Item states. pending → submitting (batch recorded) → waiting (WeCom accepted, status 2)
// → done (1) / refused (3) / limit (4, moved to the next candidate) / failed (errcode with reason).
const (
	ItemPending    = "pending"
	ItemSubmitting = "submitting"
	ItemWaiting    = "waiting"
	ItemDone       = "done"
	ItemRefused    = "refused"
	ItemLimit      = "limit"
	ItemFailed     = "failed"
	ItemExcluded   = "excluded"
)

// Allocation strategies (分配策略).
const (
	StrategyOne         = "one"          // everything to one guide
	StrategyRoundRobin  = "round_robin"  // in turn over the store's active guides
	StrategyLeastLoaded = "least_loaded" // to the store guide with the fewest customers, within the limit
)

// Batch states: a batch is recorded before its WeCom call and applied after it.
const (
	BatchRecorded = "recorded"
	BatchApplied  = "applied"
)

// WeCom transfer_result statuses.
const (
	TransferStatusDone     = 1
	TransferStatusWaiting  = 2
	TransferStatusRefused  = 3
	TransferStatusLimit    = 4
	TransferStatusNoRecord = 5
)

// Case is one handover: a guide's customers and groups passing to other guides.
type Case struct {
	ID             int64
	Kind           string
	HandoverUserID string
	StoreID        int64
	Status         string
	Phase          string
	Plan           Plan
	Message        string // in-service only: transfer_success_msg, ≤200 characters
	Source         string
	CreatedBy      string
	FullTakers     []string // takers WeCom reported at their customer limit (or gone) for this case
	OpenedAt       time.Time
	UpdatedAt      time.Time
	FinishedAt     *time.Time
	NextRunAt      *time.Time
}

// Active reports whether the case still has work.
func (c Case) Active() bool {
	return c.Status == CaseOpen || c.Status == CaseRunning || c.Status == CaseWaiting
}

// Plan is the allocation chosen for a case.
type Plan struct {
	Strategy       string
	TakeoverUserID string // StrategyOne's taker
	KeepExisting   bool   // a customer already followed by an active guide stays with that guide
}

// Item is one customer or group of a case with its WeCom outcome.
type Item struct {
	ID             int64
	CaseID         int64
	Kind           string
	TargetID       string // external_userid or chat_id
	TakeoverUserID string
	OverrideUserID string // the admin's manual choice; wins over the strategy
	State          string
	BatchID        int64
	ErrCode        int
	Reason         string
	Tries          int
	NotBefore      *time.Time // groups over a new owner's daily quota wait until then
	SubmittedAt    *time.Time
	TakeoverAt     *time.Time
	Inherited      bool // ownership history and edge written to the graph
	UpdatedAt      time.Time
}

// Batch is one WeCom transfer call, recorded before it is sent.
type Batch struct {
	ID             int64
	CaseID         int64
	Kind           string
	TakeoverUserID string
	Size           int
	State          string
	CreatedAt      time.Time
}

// AuditEntry is one admin action: who, what, on which case (the target, and the store it belongs to),
// in which scope (service.Scope's String: "all" or "stores:2,3").
type AuditEntry struct {
	ID      int64
	Actor   string
	Action  string
	Target  string // "handover_case:12"; "" for a corp-wide action (reconcile)
	CaseID  int64
	StoreID int64
	Scope   string
	Detail  string
	At      time.Time
}

// weComCode returns the errcode in err, or 0 when WeCom's answer is unknown.
func weComCode(err error) int {
	var we *service.WeComError
	if errors.As(err, &we) {
		return we.Code
	}
	return 0
}

// codeUserNotFound is WeCom's 60111: a userid WeCom does not know (or a member who left).
const codeUserNotFound = 60111

// reasons explains WeCom's transfer errcodes in Chinese for the admin page.
var reasons = map[int]string{
	40096: "客户 ID 无效", 40097: "原跟进成员未离职", 40098: "接替成员未实名认证", 40099: "接替成员客户数已达上限",
	40100: "客户正在转接中", 40128: "90天内已转接2次", 40129: "客户正在转接中", 40130: "原跟进人与接手人相同",
	40131: "不是原跟进成员的客户", 60111: "成员不存在或已离职", 90500: "群主未离职", 90501: "不是客户群",
	90502: "群主已离职", 90504: "群主已是接替成员", 45009: "接替成员今日接收客户群已达300个",
}

// reasonOf returns the reason text of an errcode.
func reasonOf(code int) string {
	if r, ok := reasons[code]; ok {
		return fmt.Sprintf("%d %s", code, r)
	}
	return fmt.Sprintf("errcode %d", code)
}
