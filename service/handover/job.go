package handover

import (
	"context"
	"fmt"
)

// maxRounds bounds send/poll/reassign rounds in one run; each round either makes progress or stops.
const maxRounds = 50

// RunCase moves one case as far as it can go now and records where it stopped, so a run
// killed at any point is resumed by the next one. Open cases are only collected and planned.
func (s *Runner) RunCase(ctx context.Context, id int64) error {
	c, err := s.store.GetCase(ctx, id)
	if err != nil {
		return fmt.Errorf("case %d: %w", id, err)
	}
	if !c.Active() {
		return nil
	}
	if c.Phase == PhaseNew {
		if err := s.cases.collect(ctx, &c); err != nil {
			return fmt.Errorf("collect case %d: %w", id, err)
		}
	}
	if c.Status == CaseOpen {
		if c.Plan.Strategy == "" {
			return nil
		}
		return s.planner.ensurePlanned(ctx, &c)
	}
	if err := s.planner.ensurePlanned(ctx, &c); err != nil {
		return err
	}
	for round := 0; round < maxRounds; round++ {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		progressed, err := s.round(ctx, &c)
		if err != nil {
			return fmt.Errorf("run case %d: %w", id, err)
		}
		if !progressed {
			break
		}
	}
	if err := s.inheritDone(ctx, c); err != nil {
		return fmt.Errorf("run case %d: %w", id, err)
	}
	return s.settle(ctx, &c)
}

// round recovers unfinished batches, sends what is pending, polls what waits and reassigns
// what hit a limit; it reports whether anything moved.
func (s *Runner) round(ctx context.Context, c *Case) (bool, error) {
	if err := s.poller.recoverBatches(ctx, *c); err != nil {
		return false, err
	}
	sent, err := s.submitCustomers(ctx, *c)
	if err != nil {
		return false, err
	}
	if err := s.poller.poll(ctx, *c); err != nil {
		return false, err
	}
	groups, err := s.submitGroups(ctx, *c)
	if err != nil {
		return false, err
	}
	moved, err := s.reassignLimited(ctx, c)
	if err != nil {
		return false, err
	}
	return sent+groups+moved > 0, nil
}

// reassignLimited sends items whose taker hit the customer limit (or left) to the next candidate.
func (s *Runner) reassignLimited(ctx context.Context, c *Case) (int, error) {
	items, err := s.store.ItemPage(ctx, c.ID, ItemFilter{States: []string{ItemLimit}, Limit: s.cfg.PageSize})
	if err != nil || len(items) == 0 {
		return 0, err
	}
	full := map[string]bool{}
	for _, u := range c.FullTakers {
		full[u] = true
	}
	for _, it := range items {
		if it.TakeoverUserID != "" && !full[it.TakeoverUserID] {
			full[it.TakeoverUserID] = true
			c.FullTakers = append(c.FullTakers, it.TakeoverUserID)
		}
	}
	c.UpdatedAt = s.now()
	if err := s.store.SaveCase(ctx, *c); err != nil {
		return 0, fmt.Errorf("mark full takers: %w", err)
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	if _, err := s.store.UpdateItems(ctx, ids, ItemUpdate{Takeover: ptr(""), AddTry: true, OnlyStates: []string{ItemLimit}}); err != nil {
		return 0, fmt.Errorf("release limited items: %w", err)
	}
	a, err := s.planner.newAllocator(ctx, *c)
	if err != nil {
		return 0, err
	}
	if err := s.planner.planItems(ctx, *c, a); err != nil {
		return 0, err
	}
	return len(items), nil
}

// settle finishes the case, or parks it until WeCom's takeover time or a group quota resets.
func (s *Runner) settle(ctx context.Context, c *Case) error {
	counts, err := s.store.TakerCounts(ctx, c.ID)
	if err != nil {
		return fmt.Errorf("settle case %d: %w", c.ID, err)
	}
	open := 0
	for _, tc := range counts {
		switch tc.State {
		case ItemPending, ItemSubmitting, ItemWaiting, ItemLimit:
			open += tc.N
		}
	}
	now := s.now()
	fresh, err := s.store.GetCase(ctx, c.ID) // a callback may have changed the status meanwhile
	if err != nil {
		return fmt.Errorf("settle case %d: %w", c.ID, err)
	}
	fresh.FullTakers, fresh.UpdatedAt = c.FullTakers, now
	if fresh.Status == CaseCancelled {
		return nil
	}
	if open == 0 {
		fresh.Status, fresh.FinishedAt, fresh.NextRunAt = CaseDone, &now, nil
	} else {
		next, err := s.store.NextDue(ctx, c.ID)
		if err != nil {
			return fmt.Errorf("settle case %d: %w", c.ID, err)
		}
		at := now.Add(s.cfg.PollInterval)
		if next != nil && next.After(at) {
			at = *next
		} else if next != nil && !next.After(now) {
			at = now // something is due already (a retry after an error)
		}
		fresh.Status, fresh.NextRunAt = CaseWaiting, &at
	}
	if err := s.store.SaveCase(ctx, fresh); err != nil {
		return fmt.Errorf("settle case %d: %w", c.ID, err)
	}
	*c = fresh
	return nil
}
