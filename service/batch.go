package service

import (
	"context"
	"fmt"
	"sort"
)

type deferKey struct{}

type deferred struct{ fn func(ctx context.Context) error }

// Prepared is an event already enriched from WeCom whose database work has yet to run.
type Prepared struct {
	ID   int64
	lock string // the row this event locks first (customer or chat), for a global lock order
	run  func(ctx context.Context) error
}

// Prepare does an event's WeCom reads (outside any transaction) and returns its database work.
// A PermanentError or a WeCom failure comes back here, before anything is written.
func (s *GraphService) Prepare(ctx context.Context, id int64, ev Event) (Prepared, error) {
	d := &deferred{}
	if err := s.Apply(context.WithValue(ctx, deferKey{}, d), id, ev); err != nil {
		return Prepared{}, err
	}
	fn := d.fn
	if fn == nil { // Apply finished without database work
		fn = func(context.Context) error { return nil }
	}
	lock := ev.ExternalUserID
	if lock == "" {
		lock = ev.ChatID
	}
	label := ev.Event + "/" + ev.ChangeType
	return Prepared{ID: id, lock: lock, run: func(ctx context.Context) error {
		if err := s.body(ctx, id, fn); err != nil {
			return fmt.Errorf("apply %s: %w", label, err)
		}
		return nil
	}}, nil
}

// ApplyPrepared runs prepared events in one transaction (one commit for the batch), in a global
// lock order so concurrent batches never deadlock on each other's customers.
func (s *GraphService) ApplyPrepared(ctx context.Context, ps []Prepared) error {
	sorted := append([]Prepared(nil), ps...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].lock < sorted[j].lock })
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		for _, p := range sorted {
			if err := p.run(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}
