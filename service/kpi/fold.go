package kpi

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strings"
	"time"
)

// batch is what one fold adds: per guide-day deltas, the distinct marks that may count, new credits.
type batch struct {
	loc    *time.Location
	keep   func(Day) bool // nil: every day
	guides map[GuideKey]*Counts
	marks  []Mark
	seen   map[Mark]bool
	credit map[string]Credit // credits read or made in this batch, by order
	fresh  map[string]bool   // credits to save
	sends  map[string][]Send // candidate sends by customer, for the orders to attribute
	owners map[string][]OwnerChange
}

func (b *batch) add(userID string, day Day, f func(c *Counts)) {
	if userID == "" || (b.keep != nil && !b.keep(day)) {
		return
	}
	k := GuideKey{UserID: userID, Day: day}
	c := b.guides[k]
	if c == nil {
		c = &Counts{}
		b.guides[k] = c
	}
	f(c)
}

func (b *batch) mark(m Mark) {
	if m.UserID == "" || m.ExternalUserID == "" || (b.keep != nil && !b.keep(m.Day)) || b.seen[m] {
		return
	}
	b.seen[m] = true
	b.marks = append(b.marks, m)
}

// apply folds evs (in id order) and writes the result; keep limits it to some days (a ranged rebuild).
func (s *Service) apply(ctx context.Context, evs []Event, keep func(Day) bool) error {
	b := &batch{loc: s.cfg.Location, keep: keep, guides: map[GuideKey]*Counts{}, seen: map[Mark]bool{},
		credit: map[string]Credit{}, fresh: map[string]bool{}}
	if err := s.loadCredits(ctx, b, evs); err != nil {
		return err
	}
	for _, e := range evs {
		if err := s.fold(ctx, b, e); err != nil {
			return err
		}
	}
	return s.write(ctx, b)
}

// loadCredits reads the credits of the batch's orders that were given before (a refund's order, an
// order folded again in a ranged rebuild), and for the others the candidate sends and the ownership
// history of their customers: one query each for the whole batch.
func (s *Service) loadCredits(ctx context.Context, b *batch, evs []Event) error {
	var ids []string
	for _, e := range evs {
		if e.OrderID != "" && (e.Kind == KindOrderPaid || e.Kind == KindOrderRefunded) {
			ids = append(ids, e.OrderID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	cs, err := s.store.Credits(ctx, ids)
	if err != nil {
		return err
	}
	for id, c := range cs {
		b.credit[id] = c
	}
	var customers []string
	seen := map[string]bool{}
	var since, until time.Time
	var before int64
	for _, e := range evs {
		if e.OrderID == "" || e.ExternalUserID == "" || (e.Kind != KindOrderPaid && e.Kind != KindOrderRefunded) {
			continue
		}
		if _, ok := b.credit[e.OrderID]; ok {
			continue
		}
		if !seen[e.ExternalUserID] {
			seen[e.ExternalUserID] = true
			customers = append(customers, e.ExternalUserID)
		}
		from := e.At.AddDate(0, 0, -s.cfg.AttributionDays)
		if since.IsZero() || from.Before(since) {
			since = from
		}
		if e.At.After(until) {
			until = e.At
		}
		before = max(before, e.ID)
	}
	if len(customers) == 0 {
		return nil
	}
	sends, err := s.store.Sends(ctx, customers, before, since)
	if err != nil {
		return err
	}
	b.sends = map[string][]Send{}
	for _, sd := range sends {
		b.sends[sd.ExternalUserID] = append(b.sends[sd.ExternalUserID], sd)
	}
	owners, err := s.store.Owners(ctx, customers, until)
	if err != nil {
		return err
	}
	b.owners = map[string][]OwnerChange{}
	for _, o := range owners {
		b.owners[o.ExternalUserID] = append(b.owners[o.ExternalUserID], o)
	}
	return nil
}

// fold adds one event to the batch.
func (s *Service) fold(ctx context.Context, b *batch, e Event) error {
	day := DayOf(e.At, b.loc)
	switch e.Kind {
	case KindOpen:
		b.add(e.UserID, day, func(c *Counts) { c.Opens++ })
	case KindProductShare, KindMaterialSend:
		b.add(e.UserID, day, func(c *Counts) {
			if e.Kind == KindProductShare {
				c.ProductShares++
			} else {
				c.MaterialSends++
			}
		})
		b.mark(Mark{UserID: e.UserID, Day: day, Kind: MarkReached, ExternalUserID: e.ExternalUserID})
	case KindTaskDone:
		b.add(e.UserID, day, func(c *Counts) { c.TasksDone++ })
	case KindAdded:
		b.add(e.UserID, day, func(c *Counts) { c.Added++ })
	case KindLostByCustomer:
		b.add(e.UserID, day, func(c *Counts) { c.LostByCustomer++ })
	case KindLostByGuide:
		b.add(e.UserID, day, func(c *Counts) { c.LostByGuide++ })
	case KindHandover:
		b.add(e.UserID, day, func(c *Counts) { c.HandoverIn++ })
		b.add(e.FromUserID, day, func(c *Counts) { c.HandoverOut++ })
	case KindOrderPaid:
		return s.foldPaid(ctx, b, e)
	case KindOrderRefunded:
		return s.foldRefund(ctx, b, e, day)
	}
	return nil
}

// foldPaid credits an order once: an order seen again (a duplicate row) keeps its credit and counts
// nothing more, but still marks its conversion, which the marks keep distinct. A ranged rebuild keeps
// the credits and counts them again on the days it reset.
func (s *Service) foldPaid(ctx context.Context, b *batch, e Event) error {
	c, ok := b.credit[e.OrderID]
	if !ok {
		c = s.attribute(b, e)
		b.credit[e.OrderID], b.fresh[e.OrderID] = c, true
	}
	if !ok || b.keep != nil { // a ranged rebuild counts again the days it reset (b.add keeps only those)
		b.add(c.UserID, c.PaidDay, func(n *Counts) { n.Orders++; n.AmountFen += c.AmountFen })
	}
	if c.Via == ViaSend {
		b.mark(Mark{UserID: c.UserID, Day: c.ReachDay, Kind: MarkConverted, ExternalUserID: c.ExternalUserID})
	}
	return nil
}

// attribute finds the guide an order is credited to (see the package doc) among the batch's candidates.
func (s *Service) attribute(b *batch, e Event) Credit {
	c := Credit{OrderID: e.OrderID, ExternalUserID: e.ExternalUserID, PaidDay: DayOf(e.At, s.cfg.Location), AmountFen: e.AmountFen}
	if e.ExternalUserID == "" {
		return c
	}
	from := e.At.AddDate(0, 0, -s.cfg.AttributionDays)
	var last *Send
	for i, sd := range b.sends[e.ExternalUserID] {
		if sd.ID >= e.ID || sd.At.Before(from) || sd.At.After(e.At) {
			continue
		}
		if last == nil || sd.At.After(last.At) || sd.At.Equal(last.At) && sd.ID > last.ID {
			last = &b.sends[e.ExternalUserID][i]
		}
	}
	if last != nil {
		c.UserID, c.Via, c.ReachDay = last.UserID, ViaSend, DayOf(last.At, s.cfg.Location)
		return c
	}
	var owner *OwnerChange
	for i, o := range b.owners[e.ExternalUserID] {
		if o.At.After(e.At) {
			continue
		}
		if owner == nil || o.At.After(owner.At) || o.At.Equal(owner.At) && o.ID > owner.ID {
			owner = &b.owners[e.ExternalUserID][i]
		}
	}
	if owner != nil && owner.ToUserID != "" {
		c.UserID, c.Via = owner.ToUserID, ViaOwner
	}
	return c
}

// foldRefund subtracts a refunded order from the guide it was credited to, on the refund's day, once.
func (s *Service) foldRefund(ctx context.Context, b *batch, e Event, day Day) error {
	c, ok := b.credit[e.OrderID]
	if !ok { // refunded before its payment was seen: credit it as of the refund
		c = s.attribute(b, e)
	}
	switch {
	case c.RefundDay == 0:
	case b.keep != nil && c.RefundDay == day: // a ranged rebuild folds the same refund again
		b.add(c.UserID, day, func(n *Counts) { n.Refunds++; n.RefundFen += c.AmountFen })
		return nil
	default: // refunded already
		return nil
	}
	c.RefundDay = day
	b.credit[e.OrderID], b.fresh[e.OrderID] = c, true
	b.add(c.UserID, day, func(n *Counts) { n.Refunds++; n.RefundFen += c.AmountFen })
	return nil
}

// write stores the marks, then the guide rows, then the store and corp rows they change.
func (s *Service) write(ctx context.Context, b *batch) error {
	if err := s.writeMarks(ctx, b); err != nil {
		return err
	}
	if err := s.writeCredits(ctx, b); err != nil {
		return err
	}
	if len(b.guides) == 0 {
		return nil
	}
	keys := make([]GuideKey, 0, len(b.guides))
	for k := range b.guides {
		keys = append(keys, k)
	}
	old, err := s.store.GuideDays(ctx, keys)
	if err != nil {
		return err
	}
	stores, err := s.newGuideStores(ctx, keys, old)
	if err != nil {
		return err
	}
	rows := make([]GuideDay, 0, len(keys))
	storeRows, corpRows := map[[2]int64]*Rollup{}, map[Day]*Rollup{}
	months := map[monthKey]*GuideMonth{}
	for _, k := range keys {
		before, ok := old[k]
		if !ok {
			before = GuideDay{UserID: k.UserID, Day: k.Day, StoreID: stores[k.UserID]}
		}
		after := before
		after.Counts.Add(*b.guides[k])
		rows = append(rows, after)
		d := Rollup{StoreID: after.StoreID, Day: k.Day, Counts: *b.guides[k]}
		d.LoginGuides = flip(before.Logged(), after.Logged())
		d.ShareGuides = flip(before.Shared(), after.Shared())
		addRollup(storeRows, [2]int64{after.StoreID, int64(k.Day)}, d)
		addRollup(corpRows, k.Day, d)
		mk := monthKey{userID: k.UserID, storeID: after.StoreID, month: k.Day.Month()}
		m := months[mk]
		if m == nil {
			m = &GuideMonth{UserID: k.UserID, StoreID: after.StoreID, Month: mk.month}
			months[mk] = m
		}
		m.Counts.Add(d.Counts)
		if !ok {
			m.Days++
		}
		m.LoginDays += d.LoginGuides
		m.ShareDays += d.ShareGuides
	}
	slices.SortFunc(rows, func(a, b GuideDay) int { // in the primary key's order: fewer pages touched, one lock order for all writers
		return cmp.Or(cmp.Compare(a.StoreID, b.StoreID), cmp.Compare(a.Day, b.Day), strings.Compare(a.UserID, b.UserID))
	})
	if err := s.store.PutGuideDays(ctx, rows); err != nil {
		return err
	}
	if err := s.store.AddGuideMonths(ctx, sortedMonths(months)); err != nil {
		return err
	}
	return s.store.AddRollups(ctx, flatten(storeRows), flatten(corpRows))
}

type monthKey struct {
	userID  string
	storeID int64
	month   int
}

// sortedMonths lists the month deltas in the table's key order (fewer lock waits between writers).
func sortedMonths(m map[monthKey]*GuideMonth) []GuideMonth {
	out := make([]GuideMonth, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b GuideMonth) int {
		return cmp.Or(cmp.Compare(a.StoreID, b.StoreID), cmp.Compare(a.Month, b.Month), strings.Compare(a.UserID, b.UserID))
	})
	return out
}

// newGuideStores is the store of each guide whose rows are new (a row keeps the store it began with).
func (s *Service) newGuideStores(ctx context.Context, keys []GuideKey, old map[GuideKey]GuideDay) (map[string]int64, error) {
	var ids []string
	seen := map[string]bool{}
	for _, k := range keys {
		if _, ok := old[k]; !ok && !seen[k.UserID] {
			seen[k.UserID] = true
			ids = append(ids, k.UserID)
		}
	}
	if len(ids) == 0 {
		return map[string]int64{}, nil
	}
	return s.store.GuideStores(ctx, ids)
}

func (s *Service) writeMarks(ctx context.Context, b *batch) error {
	if len(b.marks) == 0 {
		return nil
	}
	isNew, err := s.store.AddMarks(ctx, b.marks)
	if err != nil {
		return err
	}
	for i, m := range b.marks {
		if !isNew[i] {
			continue
		}
		if m.Kind == MarkReached {
			b.add(m.UserID, m.Day, func(c *Counts) { c.Reached++ })
		} else {
			b.add(m.UserID, m.Day, func(c *Counts) { c.Converted++ })
		}
	}
	return nil
}

func (s *Service) writeCredits(ctx context.Context, b *batch) error {
	var cs []Credit
	for id := range b.fresh {
		cs = append(cs, b.credit[id])
	}
	if len(cs) == 0 {
		return nil
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].OrderID < cs[j].OrderID })
	return s.store.SaveCredits(ctx, cs)
}

// flip is +1 when a flag turns on, 0 otherwise (counts only grow within a fold).
func flip(before, after bool) int64 {
	if !before && after {
		return 1
	}
	return 0
}

func addRollup[K comparable](m map[K]*Rollup, k K, d Rollup) {
	r := m[k]
	if r == nil {
		r = &Rollup{StoreID: d.StoreID, Day: d.Day}
		m[k] = r
	}
	r.Counts.Add(d.Counts)
	r.LoginGuides += d.LoginGuides
	r.ShareGuides += d.ShareGuides
}

func flatten[K comparable](m map[K]*Rollup) []Rollup {
	out := make([]Rollup, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].StoreID != out[j].StoreID {
			return out[i].StoreID < out[j].StoreID
		}
		return out[i].Day < out[j].Day
	})
	return out
}
