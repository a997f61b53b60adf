package kpi

import (
	"context"
	"time"
)

// EventQuery selects activity rows in id order: ids in (After, Upto] (Upto 0: no bound), and for a
// ranged rebuild only those that happened in [Since, Until) (zero: no bound).
type EventQuery struct {
	After, Upto  int64
	Since, Until time.Time
	Limit        int
}

// GuideKey names one guide-day row.
type GuideKey struct {
	UserID string
	Day    Day
}

// RollupQuery selects store rows (Stores non-nil; empty matches nothing) or the corp's (Stores nil).
type RollupQuery struct {
	Stores   []int64
	From, To Day
}

// GuideInfo is a guide as the console names them.
type GuideInfo struct {
	UserID     string
	Name       string
	StoreID    int64
	StoreName  string
	Resigned   bool
	ResignedAt *time.Time
}

// Send is a guide sending a customer something (a candidate for an order's credit).
type Send struct {
	ID             int64
	At             time.Time
	UserID         string
	ExternalUserID string
}

// OwnerChange is one row of a customer's ownership history.
type OwnerChange struct {
	ID             int64
	At             time.Time
	ExternalUserID string
	ToUserID       string
}

// Resignation is when a guide of a store resigned.
type Resignation struct {
	StoreID int64
	At      time.Time
}

// CustomerRow is one of a guide's customers with what the period credited the guide for them.
type CustomerRow struct {
	ExternalUserID string
	Name           string
	Avatar         string
	Remark         string
	AddedAt        *time.Time
	Active         bool // still follows the guide
	ReachedDays    int64
	Orders         int64
	AmountFen      int64
	RefundFen      int64
}

// CustomerQuery pages a guide's customers by external_userid.
type CustomerQuery struct {
	UserID   string
	From, To Day
	After    string
	Limit    int
}

// Store is the rollups' database (repo/kpidb): the activity log it reads, the rollup tables it writes
// and the names the console shows. Writes run in the transaction Step opens.
type Store interface {
	// LockState reads the state, locking it until the transaction ends (every writer takes it first).
	LockState(ctx context.Context) (State, error)
	SaveState(ctx context.Context, st State) error
	// Events reads activity rows (see EventQuery) in id order, normalised: a kind the rollups do not
	// count comes with an empty Kind (its id still moves the watermark). lastID is the last id read.
	Events(ctx context.Context, q EventQuery) (evs []Event, lastID int64, err error)
	// MaxEventID is the newest activity id (0 when none).
	MaxEventID(ctx context.Context) (int64, error)
	// Sends lists the sends (product, material or reply) to the customers with an id below beforeID
	// and a time at or after since: the candidates for the orders of a batch.
	Sends(ctx context.Context, externalUserIDs []string, beforeID int64, since time.Time) ([]Send, error)
	// Owners lists the customers' ownership history up to until (the owner at a time is the newest
	// change at or before it).
	Owners(ctx context.Context, externalUserIDs []string, until time.Time) ([]OwnerChange, error)
	Credits(ctx context.Context, orderIDs []string) (map[string]Credit, error)
	SaveCredits(ctx context.Context, cs []Credit) error
	// AddMarks inserts the marks and reports, for each, whether it was new.
	AddMarks(ctx context.Context, ms []Mark) ([]bool, error)
	// GuideDays reads the rows of the keys that exist (locked by the state lock's transaction).
	GuideDays(ctx context.Context, keys []GuideKey) (map[GuideKey]GuideDay, error)
	// PutGuideDays writes the rows as given (insert or replace).
	PutGuideDays(ctx context.Context, rows []GuideDay) error
	// AddGuideMonths adds to the guides' month rows.
	AddGuideMonths(ctx context.Context, months []GuideMonth) error
	// AddRollups adds to store rows (StoreID > 0 or any store) and corp rows (Corp true).
	AddRollups(ctx context.Context, stores, corp []Rollup) error
	// GuideStores is each known guide's store now.
	GuideStores(ctx context.Context, userIDs []string) (map[string]int64, error)
	// Reset deletes the rollups, marks and credits of the days [from, to]; both 0: everything. The
	// guides' month rows of a ranged reset are left summing the day rows that remain.
	Reset(ctx context.Context, from, to Day) error

	// Rollups reads store or corp rows (see RollupQuery), by day.
	Rollups(ctx context.Context, q RollupQuery) ([]Rollup, error)
	// StoreSums sums the store rows over [from, to] per store (stores nil: every store).
	StoreSums(ctx context.Context, stores []int64, from, to Day) (map[int64]Rollup, error)
	// GuideTotals sums the guide rows of one store over [from, to] per guide, with the days logged in
	// and shared (in Rollup's LoginGuides and ShareGuides).
	GuideTotals(ctx context.Context, storeID int64, from, to Day) (map[string]Rollup, error)
	// GuideDaysOf reads one guide's rows over [from, to].
	GuideDaysOf(ctx context.Context, userID string, from, to Day) ([]GuideDay, error)
	// Guides lists the guides of one store, active or resigned at or after since.
	Guides(ctx context.Context, storeID int64, since time.Time) ([]GuideInfo, error)
	// GuideCounts counts the active guides per store (nil: every store) and lists the stores and
	// times of those who resigned at or after since.
	GuideCounts(ctx context.Context, stores []int64, since time.Time) (active map[int64]int64, resigned []Resignation, err error)
	// Guide reads one guide.
	Guide(ctx context.Context, userID string) (GuideInfo, error)
	// StoreNames names the stores (nil: every store).
	StoreNames(ctx context.Context, stores []int64) (map[int64]string, error)
	// Customers pages a guide's customers (present and past) with the period's credits.
	Customers(ctx context.Context, q CustomerQuery) ([]CustomerRow, error)
}
