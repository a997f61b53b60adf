package handover

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// HandoverConfig tunes handover cases and their job.
type Config struct {
	Owner           string        // this replica's lease owner name
	Lease           time.Duration // how long a runner holds a case before another may take it (default 10 m)
	Tick            time.Duration // runner pause when nothing is due (default 5 s)
	PollInterval    time.Duration // how often waiting cases are polled at most (default 10 m)
	ReconcileEvery  time.Duration // get_unassigned_list reconciliation period (0: never automatically)
	CustomerLimit   int           // a taker's customer cap for least_loaded (WeCom's per-member limit; default 50 000)
	GroupDailyLimit int           // groups one new owner may receive per day (WeCom: 300)
	InheritEdge     bool          // the taker's edge gets the previous guide's remark, description and tags
	InheritToWeCom  bool          // also write them to WeCom (externalcontact/remark + mark_tag, 2 calls per customer)
	AutoStrategy    string        // round_robin or least_loaded: run cases opened by delete_user at once; "" waits for an admin
	PageSize        int           // items per database page (default 500)
	Now             func() time.Time
	Hooks           Hooks
}

// HandoverHooks inject faults between the steps of a send, for crash tests; nil hooks do nothing.
// A hook's error stops the job right there, as a kill would.
type Hooks struct {
	AfterBatchRecorded func(b Batch) error // the batch is durable, WeCom not yet called
	AfterBatchSent     func(b Batch) error // WeCom answered, the answer not yet recorded
}

// HandoverService opens, plans and runs handover cases. No WeCom call happens inside a transaction.
type Service struct {
	cfg   Config
	store Store
	api   TransferAPI
	tx    service.Transactor
	log   *slog.Logger
	wake  chan struct{}
}

// NewHandoverService wires a HandoverService; zero config fields get their defaults.
func New(cfg Config, store Store, api TransferAPI, tx service.Transactor, log *slog.Logger) (*Service, error) {
	if cfg.Lease <= 0 {
		cfg.Lease = 10 * time.Minute
	}
	if cfg.Tick <= 0 {
		cfg.Tick = 5 * time.Second
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 10 * time.Minute
	}
	if cfg.CustomerLimit <= 0 {
		cfg.CustomerLimit = 50000
	}
	if cfg.GroupDailyLimit <= 0 {
		cfg.GroupDailyLimit = 300
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Owner == "" {
		cfg.Owner = "handover"
	}
	switch cfg.AutoStrategy {
	case "", StrategyRoundRobin, StrategyLeastLoaded:
	default:
		return nil, fmt.Errorf("handover auto strategy %q: want round_robin, least_loaded or empty", cfg.AutoStrategy)
	}
	return &Service{cfg: cfg, store: store, api: api, tx: tx, log: log, wake: make(chan struct{}, 1)}, nil
}

var _ graph.HandoverOpener = (*Service)(nil)

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// kick wakes the runner without blocking.
func (s *Service) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// audit records an admin action; it runs inside the caller's transaction when there is one.
func (s *Service) audit(ctx context.Context, actor, action string, caseID int64, detail string) error {
	if err := s.store.Audit(ctx, AuditEntry{Actor: actor, Action: action, CaseID: caseID, Detail: detail, At: s.now()}); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// Run works on due cases until ctx ends: collecting, planning, sending, polling;
// and reconciles with get_unassigned_list every ReconcileEvery.
func (s *Service) Run(ctx context.Context) {
	lastReconcile := time.Time{}
	for ctx.Err() == nil {
		if s.cfg.ReconcileEvery > 0 && time.Since(lastReconcile) >= s.cfg.ReconcileEvery {
			lastReconcile = time.Now()
			if _, err := s.Reconcile(ctx); err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "handover reconcile failed", "err", err)
			}
		}
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
func (s *Service) RunDue(ctx context.Context) (int, error) {
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
func (s *Service) RunLeased(ctx context.Context, id int64) (bool, error) {
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
func (s *Service) keepLease(ctx context.Context) error {
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
