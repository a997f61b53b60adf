package graph

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// InboxStats is the inbox's depth by state.
type InboxStats struct {
	Pending int64
	Parked  int64
}

// InboxStore keeps every callback durably until it is applied.
type InboxStore interface {
	// Append stores items, ignoring any whose Key is already stored; durable on return.
	Append(ctx context.Context, items []InboxItem) error
	// Claim leases up to limit due pending items to owner for lease under a fresh random token
	// (InboxItem.Token) and counts the attempt; an expired lease (a crashed or stalled worker)
	// makes the item claimable again, under a new token.
	Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]InboxItem, error)
	// ClaimReads leases, as Claim does, up to limit pending events of the given guides that need a
	// contact read (ContactReadChanges), oldest first: the due ones and those no worker holds that
	// wait for a retry or a deferred read (DeferredError). A guide's backlog, read together.
	ClaimReads(ctx context.Context, owner string, userIDs []string, limit int, lease time.Duration) ([]InboxItem, error)
	// PendingReads counts, by guide, the distinct customers of the pending events that need a contact read.
	PendingReads(ctx context.Context) (map[string]int, error)
	// Waiting reports whether a pending event that needs a contact read of the edge (userID,
	// externalUserID) happened after after.
	Waiting(ctx context.Context, userID, externalUserID string, after time.Time) (bool, error)
	// Renew extends by lease the leases still held (pending, under their token) and returns the
	// ids of those; an item missing from the answer is no longer the caller's.
	Renew(ctx context.Context, leases []Lease, lease time.Duration) ([]int64, error)
	// DoneMany marks items applied; call it inside the transaction that applied them. If any item
	// is no longer held under its lease it returns ErrLeaseLost and that transaction must roll
	// back: an event's effects commit only together with its done mark, made by its holder.
	DoneMany(ctx context.Context, leases []Lease) error
	// Retry releases a held item to be tried again at next; false (nothing changed) if the lease was lost.
	Retry(ctx context.Context, l Lease, attempts int, next time.Time, reason string) (bool, error)
	// Defer releases held items to be claimed again at until, their attempts not counted (the claim
	// that took them counted one), with the reason; items whose lease was lost are left alone.
	Defer(ctx context.Context, leases []Lease, until time.Time, reason string) error
	// Park sets a held item aside with the reason; false (nothing changed) if the lease was lost.
	// Replay makes parked items pending again.
	Park(ctx context.Context, l Lease, attempts int, reason string) (bool, error)
	Replay(ctx context.Context, ids []int64) (int64, error)
	ListParked(ctx context.Context, limit int) ([]InboxItem, error)
	// PurgeDone deletes up to limit applied items done before cutoff, oldest first, and says how many.
	PurgeDone(ctx context.Context, cutoff time.Time, limit int) (int64, error)
	Stats(ctx context.Context) (InboxStats, error)
}

// Store reads and writes the ownership graph.
type Store interface {
	// LockCustomers makes sure each customer exists (one not yet stored is inserted with the profile
	// and ProfileAt given, or bare; an existing one is left as it is), locks them in the given order,
	// and returns each as stored (profile, ProfileAt, owner) with every edge to it, tombstones and
	// tags included.
	LockCustomers(ctx context.Context, customers []service.Customer) (map[string]*CustomerState, error)
	// SaveEdges writes edges' registers and, where D is set, their details with DetailsAt (and their
	// tags where TagsChanged), in bulk.
	SaveEdges(ctx context.Context, writes []EdgeWrite) error
	// SaveCustomers writes the profile (with ProfileAt), owner and owner reason of locked customers, in bulk.
	SaveCustomers(ctx context.Context, customers []service.Customer) error
	// AppendOwnerships appends rows to the ownership history, in bulk.
	AppendOwnerships(ctx context.Context, changes []OwnershipChange) error
	// RecordActivities appends rows to the activity log in the caller's transaction; the tag ids of a
	// tags_changed row's detail (added, removed) are named on the way.
	RecordActivities(ctx context.Context, acts []service.Activity) error
	// ActiveAmong returns which of the given customers the guide follows now.
	ActiveAmong(ctx context.Context, userID string, externalUserIDs []string) ([]string, error)
	// ActiveCustomerIDs pages a guide's active customers by external_userid, after the given one.
	ActiveCustomerIDs(ctx context.Context, userID, after string, limit int) ([]string, error)
	// EdgeReads returns, for every edge to the given customers, whether it is active and when its
	// details and its customer's profile were last read from WeCom.
	EdgeReads(ctx context.Context, externalUserIDs []string) (map[EdgeKey]EdgeRead, error)
	// ActiveCounts counts the given guides' active customers (a guide with none may be left out).
	ActiveCounts(ctx context.Context, userIDs []string) (map[string]int, error)
	// ActiveGuideIDs pages active guides by userid, after the given one.
	ActiveGuideIDs(ctx context.Context, after string, limit int) ([]string, error)

	// UpsertGuide creates the guide (active) or writes its name and store; over a stored read it
	// writes only a newer one (g.DetailsAt after the stored DetailsAt). It never changes the status.
	UpsertGuide(ctx context.Context, g service.Guide) error
	GetGuide(ctx context.Context, userID string) (service.Guide, error)
	RenameGuide(ctx context.Context, oldID, newID string) error
	ResignGuide(ctx context.Context, userID string, at time.Time) error
	UpsertStores(ctx context.Context, stores []service.Store) error

	// SaveGroup writes a group snapshot (details and members) unless the stored one was read at or
	// after g.DetailsAt.
	SaveGroup(ctx context.Context, g service.Group) error
	// GroupMemberVersion is the member_version stored with a group; ErrNotFound if unknown.
	GroupMemberVersion(ctx context.Context, chatID string) (string, error)
	DismissGroup(ctx context.Context, chatID string, at time.Time) error
	// ReplaceTags replaces the corp tags with WeCom's full list read at readAt, unless the stored
	// list was read at or after it.
	ReplaceTags(ctx context.Context, groups []service.TagGroup, readAt time.Time) error
}

// Directory is what guidebox reads from WeCom to enrich events.
type Directory interface {
	// Contact is externalcontact/get with every follower; ErrNotFound if WeCom does not know the customer.
	Contact(ctx context.Context, externalUserID string) (ContactSnapshot, error)
	// Group is groupchat/get; ErrNotFound if the chat is unknown.
	Group(ctx context.Context, chatID string) (service.Group, error)
	// Member is user/get; ErrNotFound if the member is unknown.
	Member(ctx context.Context, userID string) (Member, error)
	// Departments is department/list.
	Departments(ctx context.Context) ([]service.Store, error)
	// CorpTags is get_corp_tag_list for every group.
	CorpTags(ctx context.Context) ([]service.TagGroup, error)
	// GroupsOwnedBy pages groupchat/list for the chat ids the given guides own.
	GroupsOwnedBy(ctx context.Context, userIDs []string, cursor string) (chatIDs []string, next string, err error)
	// ContactsOf pages batch/get_by_user for one guide: the customers and that guide's follow detail.
	ContactsOf(ctx context.Context, userID, cursor string) (page []ContactSnapshot, next string, err error)
	// ReadBudget is what ctx's lane may spend now on the two contact reads (externalcontact/get and
	// batch/get_by_user), so a batch can spread its reads over both.
	ReadBudget(ctx context.Context) (ReadBudget, error)
}

// ReadBudget is a lane's WeCom budget for the contact reads: each API has its own.
type ReadBudget struct {
	Get   service.Budget // externalcontact/get
	Batch service.Budget // externalcontact/batch/get_by_user
}

// HandoverOpener is told when a guide resigns (delete_user) or a transfer fails, so handover cases can follow.
type HandoverOpener interface {
	GuideResigned(ctx context.Context, userID string, at time.Time) error
	TransferFailed(ctx context.Context, takeoverUserID, externalUserID, reason string, at time.Time) error
}

// Observer receives processing measurements (Prometheus in production).
type Observer interface {
	EventProcessed(event, changeType, outcome string, d time.Duration)
}
