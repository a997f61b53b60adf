package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// retryAfter is when a run that stopped on an error (WeCom busy or down) is tried again.
const retryAfter = time.Minute

// ErrLeaseLost stops a run whose lease expired and was taken by another runner: the task is that
// runner's now, so this one must not call WeCom for it again.
var ErrLeaseLost = errors.New("task lease lost to another runner")

// RunDue runs every task whose next run is due (the scheduled sweep); it returns how many ran.
func (s *Service) RunDue(ctx context.Context) (int, error) {
	ids, err := s.store.DueTasks(ctx, s.now(), 50)
	if err != nil {
		return 0, fmt.Errorf("due tasks: %w", err)
	}
	n := 0
	var errs []error
	for _, id := range ids {
		ran, err := s.RunTask(ctx, id)
		if err != nil {
			errs = append(errs, fmt.Errorf("task %d: %w", id, err))
		}
		if ran {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// PollNow makes every unfinished task due and runs them: WeCom's progress is read at once instead
// of at the next poll (the offline demo, after a guide "sends" in its simulator).
func (s *Service) PollNow(ctx context.Context) (int, error) {
	if err := s.store.WakeTasks(ctx, s.now()); err != nil {
		return 0, fmt.Errorf("wake tasks: %w", err)
	}
	return s.RunDue(ctx)
}

// RunTask claims the task for this runner (false when another holds a live lease), moves it on
// as far as it can (plan, 群发 per guide, completion, reminders, close or cancel) while renewing
// the lease, and releases it. A run that fails is tried again a minute later.
func (s *Service) RunTask(ctx context.Context, id int64) (bool, error) {
	if !service.Marked(ctx) {
		ctx = service.WithLane(ctx, service.LaneHandover)
	}
	now := s.now()
	ok, err := s.store.ClaimTask(ctx, id, s.cfg.Owner, now, s.cfg.Lease)
	if err != nil {
		return false, fmt.Errorf("claim task %d: %w", id, err)
	}
	if !ok {
		return false, nil
	}
	err = s.work(context.WithValue(ctx, leaseKey{}, &runLease{id: id, renewed: now}), id)
	if errors.Is(err, ErrLeaseLost) {
		return true, err
	}
	if err != nil {
		s.retryLater(context.WithoutCancel(ctx), id)
	}
	if rerr := s.store.ReleaseTask(context.WithoutCancel(ctx), id, s.cfg.Owner); rerr != nil && err == nil {
		err = rerr
	}
	return true, err
}

// work takes the task through its phases until it waits for something.
func (s *Service) work(ctx context.Context, id int64) error {
	for range 4 {
		t, err := s.store.GetTask(ctx, id)
		if err != nil {
			return fmt.Errorf("task %d: %w", id, err)
		}
		switch {
		case t.Phase == PhaseDone:
			return nil
		case t.Status == StatusCancelled:
			return s.finishCancel(ctx, t)
		case t.Phase == PhasePlan:
			err = s.plan(ctx, t)
		case t.Phase == PhaseSend:
			err = s.sendAll(ctx, t)
		default:
			return s.track(ctx, t)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// retryLater makes a task that stopped on an error due again in a minute.
func (s *Service) retryLater(ctx context.Context, id int64) {
	t, err := s.store.GetTask(ctx, id)
	if err != nil || t.Phase == PhaseDone {
		return
	}
	next := s.now().Add(retryAfter)
	t.NextRunAt = &next
	if err := s.store.SaveTask(ctx, t); err != nil {
		s.log.WarnContext(ctx, "task retry not scheduled", "task", id, "err", err)
	}
}

// leaseKey carries the running task's lease in the context of RunTask.
type leaseKey struct{}

type runLease struct {
	id      int64
	renewed time.Time
}

// keepLease renews the run's lease once a third of it has passed; it is called before every
// WeCom call and between pages. Without a lease in ctx it does nothing.
func (s *Service) keepLease(ctx context.Context) error {
	l, _ := ctx.Value(leaseKey{}).(*runLease)
	if l == nil {
		return nil
	}
	now := s.now()
	if now.Sub(l.renewed) < s.cfg.Lease/3 {
		return nil
	}
	ok, err := s.store.RenewTask(context.WithoutCancel(ctx), l.id, s.cfg.Owner, now, s.cfg.Lease)
	if err != nil {
		return fmt.Errorf("renew lease of task %d: %w", l.id, err)
	}
	if !ok {
		return fmt.Errorf("task %d: %w", l.id, ErrLeaseLost)
	}
	l.renewed = now
	return nil
}

// weComCode is the errcode WeCom answered for a whole call, 0 when it did not answer.
func weComCode(err error) int {
	var we *service.WeComError
	if errors.As(err, &we) {
		return we.Code
	}
	return 0
}

func ptr[T any](v T) *T { return &v }
