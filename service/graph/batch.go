package graph

import (
	"context"
	"fmt"
)

// Prepared is an event already enriched from WeCom whose database work has yet to run:
// a change to a customer's edges (op), other work (run), or nothing but marking it done.
type Prepared struct {
	ID    int64
	label string
	op    *contactOp
	run   txFunc
}

// ApplyPrepared runs prepared events in one transaction: every customer change of the batch
// is applied at once (customers locked in id order, so concurrent batches never deadlock on
// each other), then the other work, then the inbox rows are marked done — one commit in all.
func (s *Service) ApplyPrepared(ctx context.Context, ps []Prepared) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		var ops []contactOp
		var ids []int64
		for _, p := range ps {
			if p.op != nil {
				ops = append(ops, *p.op)
			}
			if p.ID != 0 {
				ids = append(ids, p.ID)
			}
		}
		if len(ops) > 0 {
			if err := s.applyOps(ctx, ops); err != nil {
				return fmt.Errorf("apply customer changes: %w", err)
			}
		}
		for _, p := range ps {
			if p.run == nil {
				continue
			}
			if err := p.run(ctx); err != nil {
				return fmt.Errorf("apply %s: %w", p.label, err)
			}
		}
		return s.inbox.DoneMany(ctx, ids)
	})
}
