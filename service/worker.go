package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// WorkerConfig tunes the inbox workers.
type WorkerConfig struct {
	Owner       string        // this replica's lease owner name
	Batch       int           // rows claimed per round
	Concurrency int           // events applied at once
	Lease       time.Duration // how long a claim holds before another replica may take the row
	Idle        time.Duration // pause when the inbox is empty
	MaxAttempts int           // attempts before an event is parked
	BaseBackoff time.Duration
}

// Worker drains the inbox into the graph. Several workers (and replicas) may run
// on one database: rows are claimed with leases, and an expired lease (a crash) frees the row.
type Worker struct {
	cfg   WorkerConfig
	inbox InboxStore
	graph *GraphService
	parse func([]byte) (Event, error)
	obs   Observer
	log   *slog.Logger
	now   func() time.Time
}

// NewWorker builds a Worker; parse turns a stored callback back into an Event.
func NewWorker(cfg WorkerConfig, inbox InboxStore, graph *GraphService, parse func([]byte) (Event, error), obs Observer, log *slog.Logger) *Worker {
	return &Worker{cfg: cfg, inbox: inbox, graph: graph, parse: parse, obs: obs, log: log, now: time.Now}
}

// Run processes until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.ErrorContext(ctx, "inbox claim failed", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(w.cfg.Idle):
			}
		}
	}
}

// RunOnce claims one batch and applies it; it returns how many events it handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	items, err := w.inbox.Claim(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, fmt.Errorf("claim: %w", err)
	}
	sem := make(chan struct{}, max(1, w.cfg.Concurrency))
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.handle(context.WithoutCancel(ctx), it)
		}()
	}
	wg.Wait()
	return len(items), nil
}

func (w *Worker) handle(ctx context.Context, it InboxItem) {
	start := w.now()
	ev, err := w.parse(it.Raw)
	if err == nil {
		ev.Key = it.Key
		err = w.graph.Apply(ctx, it.ID, ev)
	} else {
		err = permanent(fmt.Errorf("parse: %w", err))
	}
	outcome := "applied"
	if err != nil {
		outcome = w.fail(ctx, it, err)
	}
	if w.obs != nil {
		w.obs.EventProcessed(it.Event, it.ChangeType, outcome, w.now().Sub(start))
	}
}

// fail retries with exponential backoff, or parks the event with its reason.
func (w *Worker) fail(ctx context.Context, it InboxItem, cause error) string {
	attempts := it.Attempts // Claim already counted this attempt
	var perm *PermanentError
	if errors.As(cause, &perm) || attempts >= w.cfg.MaxAttempts {
		if err := w.inbox.Park(ctx, it.ID, attempts, cause.Error()); err != nil {
			w.log.ErrorContext(ctx, "inbox park failed", "id", it.ID, "err", err)
		}
		w.log.WarnContext(ctx, "event parked", "id", it.ID, "event", it.Event, "change_type", it.ChangeType, "err", cause)
		return "parked"
	}
	backoff := w.cfg.BaseBackoff << min(attempts-1, 10)
	if err := w.inbox.Retry(ctx, it.ID, attempts, w.now().Add(backoff), cause.Error()); err != nil {
		w.log.ErrorContext(ctx, "inbox retry failed", "id", it.ID, "err", err)
	}
	w.log.InfoContext(ctx, "event retried", "id", it.ID, "attempts", attempts, "err", cause)
	return "retried"
}
