package kpi

import (
	"fmt"
	"time"
)

// Kind is what an event counts as.
type Kind string

// The kinds of events the rollups count.
const (
	KindOpen           Kind = "open"             // the guide opened the sidebar (登录)
	KindProductShare   Kind = "product_share"    // a product card sent to a customer (分享)
	KindMaterialSend   Kind = "material_send"    // a material or quick reply sent (分享)
	KindTaskDone       Kind = "task_done"        // a task (导购任务) completed by the guide (分享)
	KindAdded          Kind = "added"            // a customer added the guide
	KindLostByCustomer Kind = "lost_by_customer" // del_follow_user: the customer deleted the guide
	KindLostByGuide    Kind = "lost_by_guide"    // del_external_contact: the guide deleted the customer
	KindHandover       Kind = "handover"         // a customer moved FromUserID -> UserID (转接/继承)
	KindOrderPaid      Kind = "order_paid"       // an order paid (attributed, see the package doc)
	KindOrderRefunded  Kind = "order_refunded"   // an order refunded (subtracted from its credit)
)

// sends are the kinds that reach a customer and so may take an order's credit.
func (k Kind) send() bool { return k == KindProductShare || k == KindMaterialSend }

// Event is one activity log row, as the rollups read it.
type Event struct {
	ID             int64
	At             time.Time
	Kind           Kind
	UserID         string // the guide (the taker for a handover)
	ExternalUserID string
	FromUserID     string // a handover's previous guide
	OrderID        string
	AmountFen      int64 // an order's total
}

// Day is a calendar day in the corp's time zone as yyyymmdd (20260302).
type Day int

// DayOf is the day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day(y*10000 + int(m)*100 + d)
}

// ParseDay reads "2006-01-02".
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return DayOf(t, time.UTC), nil
}

// Time is the day's midnight in loc.
func (d Day) Time(loc *time.Location) time.Time {
	return time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, loc)
}

// Next is the day after.
func (d Day) Next() Day { return DayOf(d.Time(time.UTC).AddDate(0, 0, 1), time.UTC) }

// AddDays is the day n days later (earlier for n < 0).
func (d Day) AddDays(n int) Day { return DayOf(d.Time(time.UTC).AddDate(0, 0, n), time.UTC) }

// String is "2006-01-02".
func (d Day) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", int(d)/10000, int(d)/100%100, int(d)%100)
}

// Counts are the additive numbers of a guide, store or corp over some days.
type Counts struct {
	Opens          int64 // sidebar opens
	ProductShares  int64
	MaterialSends  int64
	TasksDone      int64
	Reached        int64 // customer-days: distinct customers a guide sent something to, per day
	Orders         int64 // orders credited
	AmountFen      int64 // their amount
	Converted      int64 // customer-days reached that led to a credited order (counted on the send's day)
	Refunds        int64
	RefundFen      int64
	Added          int64
	LostByCustomer int64
	LostByGuide    int64
	HandoverIn     int64
	HandoverOut    int64
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Opens += o.Opens
	c.ProductShares += o.ProductShares
	c.MaterialSends += o.MaterialSends
	c.TasksDone += o.TasksDone
	c.Reached += o.Reached
	c.Orders += o.Orders
	c.AmountFen += o.AmountFen
	c.Converted += o.Converted
	c.Refunds += o.Refunds
	c.RefundFen += o.RefundFen
	c.Added += o.Added
	c.LostByCustomer += o.LostByCustomer
	c.LostByGuide += o.LostByGuide
	c.HandoverIn += o.HandoverIn
	c.HandoverOut += o.HandoverOut
}

// Negated is c with every count's sign turned.
func (c Counts) Negated() Counts {
	return Counts{-c.Opens, -c.ProductShares, -c.MaterialSends, -c.TasksDone, -c.Reached, -c.Orders, -c.AmountFen,
		-c.Converted, -c.Refunds, -c.RefundFen, -c.Added, -c.LostByCustomer, -c.LostByGuide, -c.HandoverIn, -c.HandoverOut}
}

// Logged is whether a guide-day counts as logged in.
func (c Counts) Logged() bool { return c.Opens > 0 }

// Shared is whether a guide-day counts as sharing: a product, a material or a task done.
func (c Counts) Shared() bool { return c.ProductShares+c.MaterialSends+c.TasksDone > 0 }

// GuideDay is one guide's numbers on one day.
type GuideDay struct {
	UserID  string
	Day     Day
	StoreID int64
	Counts
}

// GuideMonth is one guide's numbers over one month under one store (the store of the day rows it
// sums), with the days they opened the sidebar and the days they shared: the store → guide drill-down
// reads whole months from it.
type GuideMonth struct {
	UserID    string
	StoreID   int64
	Month     int   // yyyymm
	Days      int64 // the guide-day rows it sums
	LoginDays int64
	ShareDays int64
	Counts
}

// Month is the day's month as yyyymm.
func (d Day) Month() int { return int(d) / 100 }

// Rollup is the numbers of a store or the corp on one day (StoreID 0 for the corp), with how many of
// its guides opened the sidebar and shared that day.
type Rollup struct {
	StoreID     int64
	Day         Day
	LoginGuides int64
	ShareGuides int64
	Counts
}

// Mark is one distinct (guide, day, customer) fact: MarkReached or MarkConverted.
type Mark struct {
	UserID         string
	Day            Day
	Kind           byte
	ExternalUserID string
}

// The marks' kinds.
const (
	MarkReached   byte = 'r'
	MarkConverted byte = 'c'
)

// Credit is the guide an order is credited to.
type Credit struct {
	OrderID        string
	ExternalUserID string
	UserID         string // "" when nobody (no send, no owner)
	PaidDay        Day
	AmountFen      int64
	Via            string // "send" or "owner"
	ReachDay       Day    // the day of the send that took the credit (via send)
	RefundDay      Day    // 0 while not refunded
}

// The ways a credit is given.
const (
	ViaSend  = "send"
	ViaOwner = "owner"
)

// State is the rollups' progress.
type State struct {
	Watermark int64 // the last event id folded in
	// A pending ranged rebuild: the events up to ReplayUpto whose days fall in [ReplayFrom, ReplayTo]
	// are replayed past ReplayCursor. ReplayUpto 0: none.
	ReplayFrom, ReplayTo Day
	ReplayUpto           int64
	ReplayCursor         int64
}
