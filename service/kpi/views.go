package kpi

import (
	"context"
	"sort"
	"time"

	"github.com/guidebox/guidebox/service"
)

// MaxPeriodDays bounds a period the console asks for.
const MaxPeriodDays = 366

// Period is what the console asks about: days [From, To], one store or all the caller may see.
type Period struct {
	From, To Day
	StoreID  int64 // 0: every store in scope
}

// Validate checks the period.
func (p Period) Validate() error {
	switch {
	case p.From == 0 || p.To == 0:
		return service.Invalid("from", "from and to are days (2006-01-02)")
	case p.From > p.To:
		return service.Invalid("from", "must not be after to")
	case p.To.Time(time.UTC).Sub(p.From.Time(time.UTC)) > MaxPeriodDays*24*time.Hour:
		return service.Invalid("to", "a period is at most 366 days")
	}
	return nil
}

// Days lists the period's days.
func (p Period) Days() []Day {
	var out []Day
	for d := p.From; d <= p.To; d = d.Next() {
		out = append(out, d)
	}
	return out
}

// Totals are numbers over some days with the guide-days behind the rates.
type Totals struct {
	Counts
	LoginGuideDays  int64 // guide-days with a sidebar open
	ShareGuideDays  int64 // guide-days with a share (product, material or task done)
	ActiveGuideDays int64 // guide-days of guides in service
}

func (t *Totals) addRollup(r Rollup) {
	t.Counts.Add(r.Counts)
	t.LoginGuideDays += r.LoginGuides
	t.ShareGuideDays += r.ShareGuides
}

// LoginRate is 登录率: guide-days with a sidebar open / guide-days in service. For one day it is the
// share of guides in service who opened the sidebar; over a period, the daily rates weighted by guides.
func (t Totals) LoginRate() float64 { return ratio(t.LoginGuideDays, t.ActiveGuideDays) }

// ShareRate is 分享率: guide-days with a share / guide-days in service.
func (t Totals) ShareRate() float64 { return ratio(t.ShareGuideDays, t.ActiveGuideDays) }

// ConversionRate is 成交率: customer-days reached (a guide sent the customer something that day) that
// led to an order credited to that send / customer-days reached. It is at most 1.
func (t Totals) ConversionRate() float64 { return ratio(t.Converted, t.Reached) }

// NetAmountFen is the credited amount less refunds.
func (t Totals) NetAmountFen() int64 { return t.AmountFen - t.RefundFen }

// NetCustomers is customers added less customers lost (handovers move customers, they are not counted).
func (t Totals) NetCustomers() int64 { return t.Added - t.LostByCustomer - t.LostByGuide }

func ratio(a, b int64) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// DayTotals is one day of a trend.
type DayTotals struct {
	Day Day
	Totals
}

// Overview is a period's totals and its days.
type Overview struct {
	Period Period
	Totals Totals
	Trend  []DayTotals
	Guides int64 // guides in service on the last day
}

// StoreTotals is one store's numbers over a period.
type StoreTotals struct {
	StoreID int64
	Name    string
	Guides  int64
	Totals
}

// GuideTotals is one guide's numbers over a period (LoginGuideDays: the days they opened the sidebar).
type GuideTotals struct {
	GuideInfo
	Totals
}

// scope checks the period against the caller's scope and gives the stores to read (nil: the corp's rows).
func (s *Service) scope(ctx context.Context, p Period) ([]int64, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sc := service.ScopeOf(ctx)
	if p.StoreID != 0 {
		if err := sc.Check("store", p.StoreID); err != nil {
			return nil, err
		}
		return []int64{p.StoreID}, nil
	}
	return sc.StoreFilter(), nil
}

// Overview answers the home's cards and trend for the period within the caller's scope.
func (s *Service) Overview(ctx context.Context, p Period) (Overview, error) {
	stores, err := s.scope(ctx, p)
	if err != nil {
		return Overview{}, err
	}
	rows, err := s.store.Rollups(ctx, RollupQuery{Stores: stores, From: p.From, To: p.To})
	if err != nil {
		return Overview{}, err
	}
	byDay := map[Day]*DayTotals{}
	days := p.Days()
	trend := make([]DayTotals, len(days))
	for i, d := range days {
		trend[i].Day = d
		byDay[d] = &trend[i]
	}
	for _, r := range rows {
		if t := byDay[r.Day]; t != nil {
			t.addRollup(r)
		}
	}
	staff, err := s.staff(ctx, stores, p.From)
	if err != nil {
		return Overview{}, err
	}
	o := Overview{Period: p, Guides: staff.now(0), Trend: trend}
	for i := range trend {
		trend[i].ActiveGuideDays = staff.on(0, trend[i].Day)
		o.Totals.Counts.Add(trend[i].Counts)
		o.Totals.LoginGuideDays += trend[i].LoginGuideDays
		o.Totals.ShareGuideDays += trend[i].ShareGuideDays
		o.Totals.ActiveGuideDays += trend[i].ActiveGuideDays
	}
	return o, nil
}

// Stores answers the stores' numbers over the period (the corp → store drill-down and ranking).
func (s *Service) Stores(ctx context.Context, p Period) ([]StoreTotals, error) {
	stores, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	names, err := s.store.StoreNames(ctx, stores)
	if err != nil {
		return nil, err
	}
	sums, err := s.store.StoreSums(ctx, stores, p.From, p.To)
	if err != nil {
		return nil, err
	}
	if stores == nil {
		stores = []int64{}
		for id := range names {
			stores = append(stores, id)
		}
	}
	staff, err := s.staff(ctx, stores, p.From)
	if err != nil {
		return nil, err
	}
	by := map[int64]*StoreTotals{}
	for _, id := range stores {
		by[id] = &StoreTotals{StoreID: id, Name: names[id], Guides: staff.now(id)}
	}
	for id, r := range sums {
		if t := by[id]; t != nil {
			t.addRollup(r)
		}
	}
	out := make([]StoreTotals, 0, len(by))
	days := p.Days()
	for _, t := range by {
		for _, d := range days {
			t.ActiveGuideDays += staff.on(t.StoreID, d)
		}
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StoreID < out[j].StoreID })
	return out, nil
}

// Guides answers one store's guides over the period (the store → guide drill-down and ranking):
// every guide in service, and those who resigned during it, with zeros where they did nothing.
func (s *Service) Guides(ctx context.Context, p Period) ([]GuideTotals, error) {
	if p.StoreID == 0 {
		return nil, service.Invalid("store_id", "the guides' numbers are per store")
	}
	if _, err := s.scope(ctx, p); err != nil {
		return nil, err
	}
	loc := s.cfg.Location
	guides, err := s.store.Guides(ctx, p.StoreID, p.From.Time(loc))
	if err != nil {
		return nil, err
	}
	sums, err := s.store.GuideTotals(ctx, p.StoreID, p.From, p.To)
	if err != nil {
		return nil, err
	}
	out := make([]GuideTotals, 0, len(guides))
	seen := map[string]bool{}
	for _, g := range guides {
		seen[g.UserID] = true
		out = append(out, s.guideTotals(g, sums[g.UserID], p))
	}
	for id, r := range sums { // rows of guides now elsewhere or resigned before the period
		if !seen[id] {
			g, err := s.store.Guide(ctx, id)
			if err != nil {
				g = GuideInfo{UserID: id, StoreID: p.StoreID}
			}
			out = append(out, s.guideTotals(g, r, p))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out, nil
}

// guideTotals is a guide's numbers with their days in service in the period.
func (s *Service) guideTotals(g GuideInfo, r Rollup, p Period) GuideTotals {
	t := GuideTotals{GuideInfo: g}
	t.addRollup(r)
	last := p.To
	if g.ResignedAt != nil {
		if d := DayOf(*g.ResignedAt, s.cfg.Location); d < last {
			last = d
		}
	}
	for d := p.From; d <= last; d = d.Next() {
		t.ActiveGuideDays++
	}
	return t
}

// Guide answers one guide's numbers and trend over the period (the guide → customers drill-down).
func (s *Service) Guide(ctx context.Context, userID string, p Period) (GuideTotals, []DayTotals, error) {
	g, err := s.checkGuide(ctx, userID, p)
	if err != nil {
		return GuideTotals{}, nil, err
	}
	rows, err := s.store.GuideDaysOf(ctx, userID, p.From, p.To)
	if err != nil {
		return GuideTotals{}, nil, err
	}
	by := map[Day]GuideDay{}
	var sum Rollup
	for _, r := range rows {
		by[r.Day] = r
		sum.Counts.Add(r.Counts)
		if r.Logged() {
			sum.LoginGuides++
		}
		if r.Shared() {
			sum.ShareGuides++
		}
	}
	t := s.guideTotals(g, sum, p)
	trend := make([]DayTotals, 0)
	for _, d := range p.Days() {
		r := by[d]
		dt := DayTotals{Day: d}
		dt.addRollup(Rollup{Counts: r.Counts, LoginGuides: flip(false, r.Logged()), ShareGuides: flip(false, r.Shared())})
		if g.ResignedAt == nil || DayOf(*g.ResignedAt, s.cfg.Location) >= d {
			dt.ActiveGuideDays = 1
		}
		trend = append(trend, dt)
	}
	return t, trend, nil
}

// checkGuide reads a guide and checks the caller may see them: their store now, or the store their
// rows were written under for a guide who moved (403 otherwise; 404 for no such guide).
func (s *Service) checkGuide(ctx context.Context, userID string, p Period) (GuideInfo, error) {
	if err := p.Validate(); err != nil {
		return GuideInfo{}, err
	}
	g, err := s.store.Guide(ctx, userID)
	if err != nil {
		return GuideInfo{}, err
	}
	if err := service.ScopeOf(ctx).Check("guide "+userID, g.StoreID); err != nil {
		return GuideInfo{}, err
	}
	return g, nil
}

// MaxCustomers bounds a page of a guide's customers.
const MaxCustomers = 200

// Customers answers a page of a guide's customers with what the period credited the guide for them.
func (s *Service) Customers(ctx context.Context, userID string, p Period, after string, limit int) ([]CustomerRow, error) {
	if limit <= 0 || limit > MaxCustomers {
		return nil, service.Invalid("limit", "must be 1 to 200")
	}
	if _, err := s.checkGuide(ctx, userID, p); err != nil {
		return nil, err
	}
	return s.store.Customers(ctx, CustomerQuery{UserID: userID, From: p.From, To: p.To, After: after, Limit: limit})
}
