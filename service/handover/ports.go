package handover

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// CaseFilter selects cases for listing.
type CaseFilter struct {
	Status   string
	Kind     string
	Handover string
	StoreID  int64   // one store (0: any)
	Stores   []int64 // the caller's scope (nil: every store); Views sets it
	BeforeID int64   // keyset paging, newest first
	AfterID  int64   // keyset paging, oldest first (with Oldest)
	Oldest   bool    // oldest first instead of newest first
	Limit    int
}

// ItemFilter selects a page of a case's items in id order.
type ItemFilter struct {
	Kind         string
	States       []string
	Takeover     string
	NoTaker      bool       // only items without a taker
	DueAt        *time.Time // only items whose NotBefore is unset or not after this time
	BatchID      int64
	NotInherited bool
	Q            string // the customer's or group's name or id contains it (the console's search)
	AfterID      int64
	Limit        int
}

// ItemUpdate is a change applied to several items at once; nil fields stay.
type ItemUpdate struct {
	State          *string
	Takeover       *string
	Override       *string
	BatchID        *int64
	ErrCode        *int
	Reason         *string
	AddTry         bool
	NotBefore      *time.Time
	ClearNotBefore bool
	SubmittedAt    *time.Time
	TakeoverAt     *time.Time
	Inherited      *bool
	OnlyStates     []string // apply only to items in these states (guards against races with callbacks)
}

// TakerCount is how many items of a case go to one taker, by state.
type TakerCount struct {
	Kind     string
	Takeover string
	State    string
	N        int
}

// Inheritance is one customer whose transfer completed: the graph records it.
type Inheritance struct {
	ExternalUserID string
	From           string
	To             string
	Reason         string // OwnerInherited or OwnerTransferred
	At             time.Time
	Note           string
	CopyEdge       bool // the taker's edge gets the previous remark, description and tags
}

// Store keeps cases, items, send batches and the audit log, and answers
// the few graph questions handover asks (candidates, loads, followers).
type Store interface {
	// OpenCase inserts c; an active resigned case of the same guide is returned instead (created false).
	OpenCase(ctx context.Context, c Case) (Case, bool, error)
	GetCase(ctx context.Context, id int64) (Case, error)
	// GetCases reads several cases at once; ids not found are absent from the map.
	GetCases(ctx context.Context, ids []int64) (map[int64]Case, error)
	// LatestCase is the newest not-cancelled case of a guide and kind; ErrNotFound if none.
	LatestCase(ctx context.Context, kind, handover string) (Case, error)
	// CaseOpenedSince is the newest case of a guide and kind opened at or after at, in any status;
	// ErrNotFound if none.
	CaseOpenedSince(ctx context.Context, kind, handover string, at time.Time) (Case, error)
	ListCases(ctx context.Context, f CaseFilter) ([]Case, error)
	// SaveCase writes status, phase, plan, message, full takers and times.
	SaveCase(ctx context.Context, c Case) error
	// ClaimCase leases a case to owner until now+lease unless another owner holds a live lease.
	ClaimCase(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error)
	// RenewCase moves owner's lease to now+lease; false when owner no longer holds the case.
	RenewCase(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error)
	ReleaseCase(ctx context.Context, id int64, owner string) error
	// DueCases lists cases the runner should work on now.
	DueCases(ctx context.Context, now time.Time, limit int) ([]int64, error)
	// WakeCases makes waiting cases due now.
	WakeCases(ctx context.Context, ids []int64, now time.Time) error

	// AddItems inserts items, ignoring any already in the case; it returns how many were new.
	AddItems(ctx context.Context, items []Item) (int, error)
	ItemPage(ctx context.Context, caseID int64, f ItemFilter) ([]Item, error)
	ItemsByTarget(ctx context.Context, caseID int64, kind string, targets []string) ([]Item, error)
	UpdateItems(ctx context.Context, ids []int64, u ItemUpdate) (int64, error)
	TakerCounts(ctx context.Context, caseID int64) ([]TakerCount, error)
	// ResetPlan gives every unsent pending or failed item back its override (or no taker).
	ResetPlan(ctx context.Context, caseID int64) error
	// NextDue is the earliest time something of the case can move: a waiting takeover time or a
	// group's NotBefore (the zero time for items due at once); nil when nothing is open.
	NextDue(ctx context.Context, caseID int64) (*time.Time, error)
	// OpenItemsFor finds items of active cases waiting on this customer and taker (transfer_fail).
	OpenItemsFor(ctx context.Context, takeover, externalUserID string) ([]Item, error)

	CreateBatch(ctx context.Context, b Batch) (Batch, error)
	OpenBatches(ctx context.Context, caseID int64) ([]Batch, error)
	SetBatchState(ctx context.Context, id int64, state string) error

	// Guide reads one guide; ErrNotFound if unknown.
	Guide(ctx context.Context, userID string) (service.Guide, error)
	// ActiveGuides lists active guides of a store (0: all stores), by userid.
	ActiveGuides(ctx context.Context, storeID int64) ([]service.Guide, error)
	// Loads counts each guide's active customers.
	Loads(ctx context.Context, userIDs []string) (map[string]int, error)
	// OtherFollowers maps each customer to the active guides other than except who follow them.
	OtherFollowers(ctx context.Context, externalUserIDs []string, except string) (map[string][]string, error)
	// GuideCustomers pages a guide's active customers by external_userid.
	GuideCustomers(ctx context.Context, userID, after string, limit int) ([]string, error)
	// GuideGroups lists the live groups a guide owns.
	GuideGroups(ctx context.Context, userID string) ([]string, error)
	// OnjobTransfers counts each customer's in-service transfers WeCom accepted since t.
	OnjobTransfers(ctx context.Context, externalUserIDs []string, since time.Time) (map[string]int, error)
	// GroupsReceived counts groups handed to owner since t.
	GroupsReceived(ctx context.Context, owner string, since time.Time) (int, error)
	// EdgeDetails reads the edges userID→customers (remark, description, tags).
	EdgeDetails(ctx context.Context, userID string, externalUserIDs []string) (map[string]service.Follow, error)
	// Inherit writes completed transfers to the graph: owner, ownership history, edges.
	Inherit(ctx context.Context, in []Inheritance) error

	Audit(ctx context.Context, a AuditEntry) error
	ListAudit(ctx context.Context, caseID int64, limit int) ([]AuditEntry, error)

	// ItemCounts counts the items of several cases by case, kind and state.
	ItemCounts(ctx context.Context, caseIDs []int64) (map[int64]map[string]map[string]int, error)
	// GuideNames names guides (name, store, status); unknown userids are left out.
	GuideNames(ctx context.Context, userIDs []string) (map[string]service.GuideName, error)
	// TargetNames names customers (kind customer: name, avatar) or groups (name); unknown ids are left out.
	TargetNames(ctx context.Context, kind string, ids []string) (map[string]service.ContactName, error)
	// Departed lists departed guides (resigned, or with an active resigned case) who still have
	// customers or groups, or an active resigned case, with those counts and the case's id.
	Departed(ctx context.Context, f DepartedFilter) ([]DepartedRow, error)
}

// DepartedFilter selects departed guides for the 离职待分配 list.
type DepartedFilter struct {
	StoreID int64
	Stores  []int64 // the caller's scope (nil: every store)
	Limit   int
}

// DepartedRow is one departed guide as the store finds them.
type DepartedRow struct {
	UserID     string
	ResignedAt *time.Time
	Customers  int   // customers still on the guide's edges
	Groups     int   // live groups the guide still owns
	CaseID     int64 // the active resigned case, 0 if none
}

// UnassignedCustomer is one entry of get_unassigned_list.
type UnassignedCustomer struct {
	HandoverUserID string
	ExternalUserID string
	DimissionTime  time.Time
}

// TransferOutcome is one customer's errcode in a transfer call.
type TransferOutcome struct {
	ExternalUserID string
	ErrCode        int
}

// TransferState is one customer's transfer_result entry.
type TransferState struct {
	ExternalUserID string
	Status         int
	TakeoverTime   time.Time // zero when refused
}

// GroupFailure is one failed chat of a group transfer.
type GroupFailure struct {
	ChatID  string
	ErrCode int
	Msg     string
}

// TransferAPI is what handover needs from WeCom. Whole-call errors wrap ErrUpstream, with a
// *WeComError when WeCom answered; without one the call's outcome is unknown.
type TransferAPI interface {
	// Unassigned is one page of get_unassigned_list; next is "" on the last page.
	Unassigned(ctx context.Context, cursor string) (page []UnassignedCustomer, next string, err error)
	// OwnedGroups is one page of groupchat/list for one owner.
	OwnedGroups(ctx context.Context, owner, cursor string) (chatIDs []string, next string, err error)
	// TransferCustomers is resigned/transfer_customer (resigned) or transfer_customer, ≤100 customers.
	TransferCustomers(ctx context.Context, resigned bool, handover, takeover string, externalUserIDs []string, msg string) ([]TransferOutcome, error)
	// TransferResults is one page of resigned/transfer_result or transfer_result.
	TransferResults(ctx context.Context, resigned bool, handover, takeover, cursor string) (page []TransferState, next string, err error)
	// TransferGroups is groupchat/transfer (resigned) or groupchat/onjob_transfer, ≤100 chats.
	TransferGroups(ctx context.Context, resigned bool, chatIDs []string, newOwner string) ([]GroupFailure, error)
	// MemberActive is user/get: whether WeCom knows userID as an active member (false for an
	// unknown or departed member, WeCom's 60111). A whole-call 60111 from a transfer does not say
	// which member is gone; this does, by errcode alone.
	MemberActive(ctx context.Context, userID string) (bool, error)
	// CopyFollow writes remark, description and corp tags onto userID's edge in WeCom.
	CopyFollow(ctx context.Context, userID, externalUserID, remark, description string, tagIDs []string) error
}
