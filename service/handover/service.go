package handover

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Config tunes handover cases and their job.
type Config struct {
	Owner           string        // this replica's lease owner name
	Lease           time.Duration // how long a runner holds a case before another may take it (default 10 m)
	Tick            time.Duration // runner pause when nothing is due (default 5 s)
	PollInterval    time.Duration // how often waiting cases are polled at most (default 10 m)
	CustomerLimit   int           // a taker's customer cap for least_loaded (WeCom's per-member limit; default 50 000)
	GroupDailyLimit int           // groups one new owner may receive per day (WeCom: 300)
	InheritEdge     bool          // the taker's edge gets the previous guide's remark, description and tags
	InheritToWeCom  bool          // also write them to WeCom (externalcontact/remark + mark_tag, 2 calls per customer)
	AutoStrategy    string        // round_robin or least_loaded: run cases opened by delete_user at once; "" waits for an admin
	PageSize        int           // items per database page (default 500)
	Now             func() time.Time
	Hooks           Hooks
}

// Hooks inject faults between the steps of a send, for crash tests; nil hooks do nothing.
// A hook's error stops the job right there, as a kill would.
type Hooks struct {
	AfterBatchRecorded func(b Batch) error // the batch is durable, WeCom not yet called
	AfterBatchSent     func(b Batch) error // WeCom answered, the answer not yet recorded
}

// Service opens, plans and runs handover cases. No WeCom call happens inside a transaction.
// Its parts share one set of dependencies; their exported methods are the Service's.
type Service struct {
	*Cases
	*Planner
	*Views
	*Runner
}

// core is what every part of a Service shares: configuration, stores, WeCom and the runner's wake-up.
type core struct {
	cfg   Config
	store Store
	api   TransferAPI
	tx    service.Transactor
	log   *slog.Logger
	wake  chan struct{}
}

// Cases opens handover cases (a guide's delete_user, get_unassigned_list reconciliation, an admin)
// and collects their customers and groups as items.
type Cases struct{ *core }

// Planner chooses a taker for every item of a case by its strategy, and carries the admin's
// changes to an open case: the plan, manual takers and exclusions, execute and cancel.
type Planner struct {
	*core
	cases *Cases
	views *Views
}

// Views answers the admin pages: cases, their progress by kind, state and taker, items, audit log.
type Views struct{ *core }

// poller reads WeCom's transfer results for waiting items, and settles batches a crash left
// recorded but unapplied.
type poller struct{ *core }

// Runner works on due cases under a lease: collect, plan, send batches of 100 to WeCom, poll,
// reassign items whose taker is full, write completed transfers to the graph, settle.
type Runner struct {
	*core
	cases   *Cases
	planner *Planner
	poller  *poller
}

// New wires a Service; zero config fields get their defaults.
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
	c := &core{cfg: cfg, store: store, api: api, tx: tx, log: log, wake: make(chan struct{}, 1)}
	cases, views := &Cases{c}, &Views{c}
	planner := &Planner{core: c, cases: cases, views: views}
	runner := &Runner{core: c, cases: cases, planner: planner, poller: &poller{c}}
	return &Service{Cases: cases, Planner: planner, Views: views, Runner: runner}, nil
}

func (s *core) now() time.Time { return s.cfg.Now().UTC() }

// kick wakes the runner without blocking.
func (s *core) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// audit records an admin action on case c (the zero Case for a corp-wide action) with the scope the
// admin acted in; it runs inside the caller's transaction when there is one.
func (s *core) audit(ctx context.Context, actor, action string, c Case, detail string) error {
	a := AuditEntry{Actor: actor, Action: action, CaseID: c.ID, StoreID: c.StoreID, Scope: service.ScopeOf(ctx).String(),
		Detail: detail, At: s.now()}
	if c.ID != 0 {
		a.Target = fmt.Sprintf("handover_case:%d", c.ID)
	}
	if err := s.store.Audit(ctx, a); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// caseInScope reads a case the caller's scope covers: ErrNotFound when there is none, ErrForbidden
// when it belongs to a store outside the scope.
func (s *core) caseInScope(ctx context.Context, id int64) (Case, error) {
	c, err := s.store.GetCase(ctx, id)
	if err != nil {
		return c, fmt.Errorf("case %d: %w", id, err)
	}
	if err := service.ScopeOf(ctx).Check(fmt.Sprintf("case %d", id), c.StoreID); err != nil {
		return Case{}, err
	}
	return c, nil
}
