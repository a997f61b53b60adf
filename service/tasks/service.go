package tasks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Config tunes the service; zero fields get their defaults.
type Config struct {
	Owner        string        // this replica's name in task leases (default "tasks")
	Lease        time.Duration // how long a runner holds a task without renewing (default 5 m)
	PollInterval time.Duration // how often a task's completion is read from WeCom (default 30 m)
	// RemindBefore is how long before the deadline guides who have not sent are reminded, once,
	// through WeCom (default 3 h; negative: never automatically).
	RemindBefore time.Duration
	PageSize     int // customers per planning page (default 500)
	PerSend      int // customers per add_msg_template call (default and at most MaxPerSend, WeCom's limit)
	Now          func() time.Time
	Hooks        Hooks
}

// Hooks let tests stop a run at the points where a crash matters.
type Hooks struct {
	AfterSendRecorded func(Send) error                 // the send is durable, WeCom not called yet
	AfterSendCreated  func(s Send, msgID string) error // WeCom created the 群发, not recorded yet
}

// Deps are the optional ports of other domains; nil ones switch their feature off.
type Deps struct {
	Catalog     Catalog     // product cards
	Materials   Materials   // material library (workbench, parallel work)
	Stages      Stages      // follow-up stages (workbench, parallel work)
	Completions Completions // KPI rollups (parallel work)
}

// Service creates tasks, runs them (plan, 群发 per guide, completion, reminders, close) and shows them.
type Service struct {
	cfg         Config
	store       Store
	api         MassAPI
	tx          service.Transactor
	catalog     Catalog
	materials   Materials
	stages      Stages
	completions Completions
	log         *slog.Logger
	kick        chan int64
}

// New builds the service.
func New(cfg Config, store Store, api MassAPI, tx service.Transactor, deps Deps, log *slog.Logger) (*Service, error) {
	if store == nil || api == nil || tx == nil || log == nil {
		return nil, errors.New("tasks: store, api, tx and log are required")
	}
	if cfg.Owner == "" {
		cfg.Owner = "tasks"
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 30 * time.Minute
	}
	if cfg.RemindBefore == 0 {
		cfg.RemindBefore = 3 * time.Hour
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 500
	}
	if cfg.PerSend <= 0 || cfg.PerSend > MaxPerSend {
		cfg.PerSend = MaxPerSend
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, store: store, api: api, tx: tx, catalog: deps.Catalog, materials: deps.Materials,
		stages: deps.Stages, completions: deps.Completions, log: log, kick: make(chan int64, 64)}, nil
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// Create validates and records a task; its work (choosing the customers, one 群发 per guide) starts
// on the runner (Kick it, or the scheduled sweep finds it). actor is the admin's userid.
func (s *Service) Create(ctx context.Context, actor string, n NewTask, scope Scope) (Task, error) {
	if err := s.validate(ctx, &n, scope); err != nil {
		return Task{}, err
	}
	atts, err := s.resolve(ctx, n)
	if err != nil {
		return Task{}, err
	}
	now := s.now()
	t := Task{Title: n.Title, Content: Content{Text: n.Text, ProductIDs: n.ProductIDs, MaterialIDs: n.MaterialIDs, Links: n.Links,
		Attachments: atts}, Target: n.Target, Deadline: n.Deadline, Status: StatusActive, Phase: PhasePlan, CreatedBy: actor,
		CreatedAt: now, UpdatedAt: now, NextRunAt: &now}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if t, err = s.store.CreateTask(ctx, t); err != nil {
			return err
		}
		return s.store.Audit(ctx, s.auditEntry(ctx, actor, ActionCreate, t, t.Title))
	})
	if err != nil {
		return Task{}, fmt.Errorf("create task: %w", err)
	}
	s.log.InfoContext(ctx, "task created", "task", t.ID, "actor", actor, "deadline", t.Deadline)
	return t, nil
}

// Get reads a task the scope may see.
func (s *Service) Get(ctx context.Context, id int64, scope Scope) (Task, error) {
	t, err := s.store.GetTask(ctx, id)
	if err != nil {
		return Task{}, fmt.Errorf("task %d: %w", id, err)
	}
	if !scope.covers(t.Target.StoreIDs) {
		return Task{}, fmt.Errorf("task %d: %w", id, service.ErrForbidden)
	}
	return t, nil
}

// Cancel stops a task: the runner, run at once (or by whoever holds the task), stops its unsent 群发
// in WeCom (cancel_groupmsg_send); what guides already sent stays sent. Cancelling a closed or
// cancelled task is a conflict.
func (s *Service) Cancel(ctx context.Context, id int64, actor string, scope Scope) (Task, error) {
	t, err := s.Get(ctx, id, scope)
	if err != nil {
		return Task{}, err
	}
	var ok bool
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if ok, err = s.store.SetStatus(ctx, id, StatusActive, StatusCancelled, s.now()); err != nil || !ok {
			return err
		}
		return s.store.Audit(ctx, s.auditEntry(ctx, actor, ActionCancel, t, t.Title))
	})
	if err != nil {
		return Task{}, fmt.Errorf("cancel task %d: %w", id, err)
	}
	if !ok {
		return Task{}, fmt.Errorf("task %d is %s: %w", id, t.Status, service.ErrConflict)
	}
	s.log.InfoContext(ctx, "task cancelled", "task", id, "actor", actor)
	if _, err := s.RunTask(ctx, id); err != nil { // the sweep tries again: the task is due
		s.log.WarnContext(ctx, "cancelled task not finished in WeCom yet", "task", id, "err", err)
	}
	return s.store.GetTask(ctx, id)
}

// Kick asks the runner (Run) to work on a task now, without waiting for the sweep.
func (s *Service) Kick(id int64) {
	select {
	case s.kick <- id:
	default: // the runner is busy: the sweep finds the task
	}
}

// Run works on kicked tasks until ctx ends (the scheduled sweep, RunDue, does the rest).
func (s *Service) Run(ctx context.Context) {
	ctx = service.WithLane(ctx, service.LaneHandover) // an admin's task: after the guides' taps
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-s.kick:
			if _, err := s.RunTask(ctx, id); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "task run stopped", "task", id, "err", err)
			}
		}
	}
}
