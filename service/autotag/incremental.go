package autotag

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// OrderIngested queues the order's customer for an evaluation (catalog.OrderObserver): called after
// the order is stored or refunded, it returns at once. An order known only by unionid, not linked to
// a customer yet, waits for the nightly pass.
func (s *Service) OrderIngested(_ context.Context, o service.Order) {
	if o.ExternalUserID == "" {
		return
	}
	if !s.q.add(o.ExternalUserID, s.cfg.Batch) {
		if n := s.q.droppedCount(); n == 1 || n%1000 == 0 {
			s.log.Warn("auto-tag queue full: customers wait for the nightly pass", "dropped", n)
		}
	}
}

// Flush returns once the customers queued by OrderIngested are evaluated (tests, shutdown), or ctx ends.
func (s *Service) Flush(ctx context.Context) error { return s.q.wait(ctx) }

// evaluateQueued evaluates a batch of queued customers, in the background.
func (s *Service) evaluateQueued(ids []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.ApplyCustomers(ctx, ids); err != nil {
		s.log.ErrorContext(ctx, "auto-tags after orders", "customers", len(ids), "err", err)
	}
}

// ApplyCustomers evaluates the rules for the given customers from their orders and writes what
// changed; it returns the changes.
func (s *Service) ApplyCustomers(ctx context.Context, extIDs []string) (Changes, error) {
	rules, err := s.currentRules(ctx)
	if err != nil || len(extIDs) == 0 || len(rules) == 0 { // no rules: nothing to give (a deleted rule's tags went with it)
		return Changes{}, err
	}
	s.eval.Lock()
	defer s.eval.Unlock()
	lines, err := s.store.LinesOf(ctx, extIDs)
	if err != nil {
		return Changes{}, fmt.Errorf("read lines: %w", err)
	}
	products, err := s.productsFor(ctx, lines)
	if err != nil {
		return Changes{}, err
	}
	have, err := s.store.TagsOf(ctx, extIDs)
	if err != nil {
		return Changes{}, fmt.Errorf("read auto tags: %w", err)
	}
	now := s.now()
	want := make(map[string][]Rule, len(extIDs))
	for _, ext := range extIDs {
		want[ext] = evaluate(rules, lines[ext], products, now)
	}
	return s.write(ctx, rules, want, have, now)
}

// productsFor returns the products, read again if a line names a SKU not among them.
func (s *Service) productsFor(ctx context.Context, lines map[string][]Line) (map[string]ProductInfo, error) {
	ps, err := s.currentProducts(ctx, false)
	if err != nil {
		return nil, err
	}
	for _, ls := range lines {
		for _, l := range ls {
			if _, ok := ps[l.SKU]; !ok {
				return s.currentProducts(ctx, true)
			}
		}
	}
	return ps, nil
}

// write diffs want against have, reads the owners of customers whose WeCom marks change, and
// stores the changes.
func (s *Service) write(ctx context.Context, rules []Rule, want map[string][]Rule, have []Assigned, now time.Time) (Changes, error) {
	byRule := byID(rules)
	ch := diff(byRule, want, have, nil, now)
	if needsOwners(ch, byRule) {
		var ids []string
		for _, a := range append(append([]Assigned{}, ch.Add...), ch.Remove...) {
			if byRule[a.RuleID].ToWeCom {
				ids = append(ids, a.ExternalUserID)
			}
		}
		owners, err := s.store.Owners(ctx, ids)
		if err != nil {
			return Changes{}, fmt.Errorf("read owners: %w", err)
		}
		ch = diff(byRule, want, have, owners, now)
	}
	if ch.empty() {
		return ch, nil
	}
	if err := s.store.Apply(ctx, ch, now); err != nil {
		return Changes{}, fmt.Errorf("write auto tags: %w", err)
	}
	return ch, nil
}

// needsOwners reports whether a change touches a rule that writes to WeCom.
func needsOwners(ch Changes, rules map[int64]Rule) bool {
	for _, a := range append(append([]Assigned{}, ch.Add...), ch.Remove...) {
		if rules[a.RuleID].ToWeCom {
			return true
		}
	}
	return false
}
