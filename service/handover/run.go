package handover

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Run works on due cases until ctx ends: collecting, planning, sending, polling. The
// get_unassigned_list sweep (Cases.Reconcile) is not part of it: it is a scheduled job that
// cmd/guidebox runs on one replica at a time (service/jobs).
func (s *Runner) Run(ctx context.Context) {
	ctx = service.WithLane(ctx, service.LaneHandover) // WeCom's budget: after the sidebar, before enrichment
	for ctx.Err() == nil {
		n, err := s.RunDue(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "handover run failed", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-s.wake:
		case <-time.After(s.cfg.Tick):
		}
	}
}

// RunDue claims each due case in turn and runs it; it returns how many it ran.
func (s *Runner) RunDue(ctx context.Context) (int, error) {
	ids, err := s.store.DueCases(ctx, s.now(), 20)
	if err != nil {
		return 0, fmt.Errorf("due cases: %w", err)
	}
	n := 0
	var firstErr error
	for _, id := range ids {
		ran, err := s.RunLeased(ctx, id)
		if err != nil {
			s.log.WarnContext(ctx, "handover case stopped", "case", id, "err", err)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if ran {
			n++
		}
	}
	return n, firstErr
}

// ErrLeaseLost stops a run whose lease expired and was taken (or cleared) by another runner:
// the case is someone else's now, so this run must not call WeCom for it again.
var ErrLeaseLost = errors.New("handover case lease lost to another runner")

// RunLeased claims the case for this runner (false when another runner holds a live lease), runs
// it while renewing the lease between batches and pages, and releases it. A runner that stops
// renewing (killed, hung) loses the case when its lease ends; if it wakes up, its next renewal
// fails with ErrLeaseLost before any further WeCom call.
func (s *Runner) RunLeased(ctx context.Context, id int64) (bool, error) {
	now := s.now()
	ok, err := s.store.ClaimCase(ctx, id, s.cfg.Owner, now, s.cfg.Lease)
	if err != nil {
		return false, fmt.Errorf("claim case %d: %w", id, err)
	}
	if !ok {
		return false, nil
	}
	l := &runLease{id: id, renewed: now}
	err = s.RunCase(context.WithValue(ctx, leaseKey{}, l), id)
	if errors.Is(err, ErrLeaseLost) {
		return true, err // the lease is another runner's now: nothing to release
	}
	if rerr := s.store.ReleaseCase(context.WithoutCancel(ctx), id, s.cfg.Owner); rerr != nil && err == nil {
		err = rerr
	}
	return true, err
}

// leaseKey carries the running case's lease in the context of RunLeased.
type leaseKey struct{}

type runLease struct {
	id      int64
	renewed time.Time
}

// keepLease renews the run's lease once a third of it has passed, so a case that takes longer
// than one lease stays with this runner. It is called before every WeCom call and between
// database pages; without a lease in ctx (RunCase called directly) it does nothing.
func (s *core) keepLease(ctx context.Context) error {
	l, _ := ctx.Value(leaseKey{}).(*runLease)
	if l == nil {
		return nil
	}
	now := s.now()
	if now.Sub(l.renewed) < s.cfg.Lease/3 {
		return nil
	}
	ok, err := s.store.RenewCase(context.WithoutCancel(ctx), l.id, s.cfg.Owner, now, s.cfg.Lease)
	if err != nil {
		return fmt.Errorf("renew lease of case %d: %w", l.id, err)
	}
	if !ok {
		return fmt.Errorf("case %d: %w", l.id, ErrLeaseLost)
	}
	l.renewed = now
	return nil
}
