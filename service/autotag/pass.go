package autotag

import (
	"context"
	"fmt"
)

// RunPass evaluates every customer with orders and writes what changed, page by page in the order of
// the customers' lines (about Config.PageLines lines a page, in bounded memory); the rule tags of
// customers between pages or after the last one (no lines any more) are removed. Time alone changes
// tags (a purchase leaves the window, a customer falls dormant), so it runs nightly.
func (s *Service) RunPass(ctx context.Context) (PassReport, error) {
	if !s.pass.CompareAndSwap(false, true) {
		return PassReport{}, ErrPassRunning
	}
	defer s.pass.Store(false)
	return s.runPass(ctx)
}

// StartPass runs a pass in the background (an admin changed the rules and wants them applied now):
// ErrPassRunning if one runs in this process. Close waits for it.
func (s *Service) StartPass(ctx context.Context) error {
	if !s.pass.CompareAndSwap(false, true) {
		return ErrPassRunning
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		defer s.pass.Store(false)
		ctx := context.WithoutCancel(ctx)
		rep, err := s.runPass(ctx)
		if err != nil {
			s.log.ErrorContext(ctx, "auto-tag pass", "customers", rep.Customers, "err", err)
			return
		}
		s.log.InfoContext(ctx, "auto-tag pass", "customers", rep.Customers, "added", rep.Added, "removed", rep.Removed, "marks", rep.Marks)
	}()
	return nil
}

func (s *Service) runPass(ctx context.Context) (PassReport, error) {
	var rep PassReport
	s.forget() // the pass reads the rules as they are now
	rules, err := s.currentRules(ctx)
	if err != nil || len(rules) == 0 { // no rules, no tags (a deleted rule's went with it)
		return rep, err
	}
	products, err := s.currentProducts(ctx, true)
	if err != nil {
		return rep, err
	}
	after := ""
	for {
		n, last, err := s.passPage(ctx, rules, products, after, &rep)
		if err != nil {
			return rep, fmt.Errorf("auto-tag pass after %q: %w", after, err)
		}
		if n == 0 {
			return rep, nil
		}
		after = last
	}
}

// passPage evaluates the customers of one page after `after` and returns how many there were and
// the last one; with none, it removes the tags of every customer after `after`.
func (s *Service) passPage(ctx context.Context, rules []Rule, products map[string]ProductInfo, after string, rep *PassReport) (int, string, error) {
	s.eval.Lock() // from the read of the lines to the write: an order's evaluation waits
	defer s.eval.Unlock()
	page, err := s.store.LinesPage(ctx, after, s.cfg.PageLines)
	if err != nil {
		return 0, "", err
	}
	upTo := ""
	if len(page) > 0 {
		upTo = page[len(page)-1].ExternalUserID
	}
	have, err := s.store.TagsBetween(ctx, after, upTo)
	if err != nil {
		return 0, "", err
	}
	now := s.now()
	want := make(map[string][]Rule, len(page))
	for _, c := range page {
		want[c.ExternalUserID] = evaluate(rules, c.Lines, products, now)
		rep.Lines += len(c.Lines)
	}
	ch, err := s.write(ctx, rules, want, have, now)
	if err != nil {
		return 0, "", err
	}
	rep.Customers += len(page)
	rep.Added += len(ch.Add)
	rep.Removed += len(ch.Remove)
	rep.Marks += len(ch.Marks)
	return len(page), upTo, nil
}
