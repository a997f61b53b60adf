package handover

import (
	"context"
	"fmt"
	"slices"
)

// allocator hands out takers for one case by its strategy. It holds only the candidates
// and their loads, never the items, so planning stays flat in memory however many customers.
type allocator struct {
	plan  Plan
	cands []string       // in order, by userid
	load  map[string]int // current customers plus those planned here
	limit int
	full  map[string]bool // WeCom said "at limit" (or gone) for this case
	rr    int
}

// newAllocator loads the candidates (the store's active guides, or the one taker) and their loads.
func (s *Planner) newAllocator(ctx context.Context, c Case) (*allocator, error) {
	a := &allocator{plan: c.Plan, limit: s.cfg.CustomerLimit, full: map[string]bool{}}
	for _, u := range c.FullTakers {
		a.full[u] = true
	}
	if c.Plan.Strategy == StrategyOne {
		a.cands = []string{c.Plan.TakeoverUserID}
	} else {
		guides, err := s.store.ActiveGuides(ctx, c.StoreID)
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		for _, g := range guides {
			if g.UserID != c.HandoverUserID {
				a.cands = append(a.cands, g.UserID)
			}
		}
	}
	load, err := s.store.Loads(ctx, a.cands)
	if err != nil {
		return nil, fmt.Errorf("loads: %w", err)
	}
	a.load = load
	return a, nil
}

// usable reports whether u may take one more customer.
func (a *allocator) usable(u string) bool {
	return u != "" && !a.full[u] && a.load[u] < a.limit
}

// pick returns the next taker by the strategy ("" when none is left) and counts it.
func (a *allocator) pick() string {
	u := ""
	switch a.plan.Strategy {
	case StrategyOne:
		if a.usable(a.cands[0]) {
			u = a.cands[0]
		}
	case StrategyRoundRobin:
		for i := range a.cands {
			c := a.cands[(a.rr+i)%len(a.cands)]
			if a.usable(c) {
				u, a.rr = c, (a.rr+i+1)%len(a.cands)
				break
			}
		}
	default: // least loaded
		for _, c := range a.cands {
			if a.usable(c) && (u == "" || a.load[c] < a.load[u]) {
				u = c
			}
		}
	}
	if u != "" {
		a.load[u]++
	}
	return u
}

// pickAmong prefers the least-loaded usable guide of followers (KeepExisting); "" if none.
func (a *allocator) pickAmong(followers []string) string {
	u := ""
	for _, f := range followers {
		if !a.full[f] && (u == "" || a.load[f] < a.load[u]) {
			u = f
		}
	}
	return u
}

// planItems gives a taker to every pending item without one, page by page. Customers already
// followed by an active guide stay with them when the plan says so; items nobody can take fail.
func (s *Planner) planItems(ctx context.Context, c Case, a *allocator) error {
	for _, kind := range []string{ItemCustomer, ItemGroup} {
		var after int64
		for {
			if err := s.keepLease(ctx); err != nil {
				return err
			}
			items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{Kind: kind, States: []string{ItemPending, ItemLimit}, NoTaker: true, AfterID: after, Limit: s.cfg.PageSize})
			if err != nil {
				return err
			}
			if len(items) == 0 {
				break
			}
			after = items[len(items)-1].ID
			if err := s.assign(ctx, c, a, kind, items); err != nil {
				return err
			}
		}
	}
	return nil
}

// assign plans one page of items and writes the takers grouped, one update per taker.
func (s *Planner) assign(ctx context.Context, c Case, a *allocator, kind string, items []Item) error {
	var keep map[string][]string
	if kind == ItemCustomer && c.Plan.KeepExisting {
		exts := make([]string, len(items))
		for i, it := range items {
			exts[i] = it.TargetID
		}
		var err error
		if keep, err = s.store.OtherFollowers(ctx, exts, c.HandoverUserID); err != nil {
			return fmt.Errorf("followers: %w", err)
		}
	}
	byTaker := map[string][]int64{}
	for _, it := range items {
		u := ""
		if it.OverrideUserID != "" && !a.full[it.OverrideUserID] {
			u = it.OverrideUserID
			a.load[u]++
		} else if f := a.pickAmong(keep[it.TargetID]); f != "" {
			u = f
			a.load[f]++
		} else {
			u = a.pick()
		}
		byTaker[u] = append(byTaker[u], it.ID)
	}
	takers := make([]string, 0, len(byTaker))
	for u := range byTaker {
		takers = append(takers, u)
	}
	slices.Sort(takers)
	err := s.tx.InTx(ctx, func(ctx context.Context) error { // one commit per page
		for _, u := range takers {
			upd := ItemUpdate{Takeover: &u, State: ptr(ItemPending)}
			if u == "" {
				upd.State, upd.Reason = ptr(ItemFailed), ptr("没有可用的接替成员（候选成员均已离职或客户数已满）")
			}
			if _, err := s.store.UpdateItems(ctx, byTaker[u], upd); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("assign takers: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// ensurePlanned gives every pending item a taker once per plan.
func (s *Planner) ensurePlanned(ctx context.Context, c *Case) error {
	if c.Phase == PhasePlanned {
		return nil
	}
	a, err := s.newAllocator(ctx, *c)
	if err != nil {
		return fmt.Errorf("plan case %d: %w", c.ID, err)
	}
	if err := s.planItems(ctx, *c, a); err != nil {
		return fmt.Errorf("plan case %d: %w", c.ID, err)
	}
	c.Phase, c.UpdatedAt = PhasePlanned, s.now()
	if err := s.store.SaveCase(ctx, *c); err != nil {
		return fmt.Errorf("plan case %d: %w", c.ID, err)
	}
	return nil
}
