package graph

import (
	"context"
	"fmt"
)

// Prepared is an event already enriched from WeCom whose database work has yet to run:
// a change to a customer's edges (op), other work (run), or nothing but marking it done.
type Prepared struct {
	Lease Lease // the inbox row to mark done, held under this lease (zero: none)
	label string
	op    *contactOp
	run   txFunc
}

// ApplyPrepared runs prepared events in one transaction: every customer change of the batch
// is applied at once (customers locked in id order, so concurrent batches never deadlock on
// each other), then the other work, then the inbox rows are marked done — one commit in all.
// If any row is no longer held under its lease (another worker claimed it after this one's lease
// ran out) the whole transaction rolls back with ErrLeaseLost: marking that row done would cut
// across its holder, and the batch's effects must commit only with their own done marks.
func (s *Service) ApplyPrepared(ctx context.Context, ps []Prepared) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		var ops []contactOp
		var leases []Lease
		for _, p := range ps {
			if p.op != nil {
				ops = append(ops, *p.op)
			}
			if p.Lease.ID != 0 {
				leases = append(leases, p.Lease)
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
		return s.inbox.DoneMany(ctx, leases)
	})
}
