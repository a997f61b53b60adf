package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// WorkerConfig tunes the inbox workers.
type WorkerConfig struct {
	Owner       string        // this replica's lease owner name
	Batch       int           // rows claimed per round
	Concurrency int           // events enriched at once (a quarter as many transactions run at once)
	TxBatch     int           // events applied per transaction
	Lease       time.Duration // how long a claim holds before another replica may take the row
	Idle        time.Duration // pause when the inbox is empty
	MaxAttempts int           // attempts before an event is parked
	BaseBackoff time.Duration
	// Throttle is how long an event waits after WeCom's frequency limit (45009) without the attempt
	// counting: WeCom blocks for 60 s after a per-minute limit (default 60 s).
	Throttle time.Duration
}

// Worker drains the inbox into the graph. Several workers (and replicas) may run
// on one database: rows are claimed with leases, and an expired lease (a crash) frees the row.
type Worker struct {
	cfg   WorkerConfig
	inbox InboxStore
	graph *Service
	parse func([]byte) (Event, error)
	obs   Observer
	log   *slog.Logger
	now   func() time.Time
}

// NewWorker builds a Worker; parse turns a stored callback back into an Event.
func NewWorker(cfg WorkerConfig, inbox InboxStore, graph *Service, parse func([]byte) (Event, error), obs Observer, log *slog.Logger) *Worker {
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
// Enrichment runs concurrently; the database work then runs TxBatch events per transaction,
// so a batch costs a few commits instead of one per event. A transaction that fails is split
// and its events applied one by one, so one bad event never holds back the others.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	items, err := w.inbox.Claim(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, fmt.Errorf("claim: %w", err)
	}
	ctx = context.WithoutCancel(ctx) // finish what was claimed
	// Enrichment waits behind the sidebar and handover for WeCom's budget; a call that finds no room
	// within the client's wait fails with service.ErrRateLimited and the event is throttled.
	ctx = service.WithLane(ctx, service.LaneEnrichment)
	start := w.now()
	prepared := make([]*Prepared, len(items))
	w.each(len(items), w.cfg.Concurrency, func(i int) {
		it := items[i]
		ev, err := w.parse(it.Raw)
		if err != nil {
			w.finish(ctx, it, permanent(fmt.Errorf("parse: %w", err)), start)
			return
		}
		ev.Key = it.Key
		p, err := w.graph.Prepare(ctx, it.ID, ev)
		if err != nil {
			w.finish(ctx, it, err, start)
			return
		}
		prepared[i] = &p
	})
	var chunks [][]int
	for i := 0; i < len(items); i += max(1, w.cfg.TxBatch) {
		var chunk []int
		for j := i; j < min(len(items), i+max(1, w.cfg.TxBatch)); j++ {
			if prepared[j] != nil {
				chunk = append(chunk, j)
			}
		}
		chunks = append(chunks, chunk)
	}
	w.each(len(chunks), max(1, w.cfg.Concurrency/4), func(c int) { w.commit(ctx, items, prepared, chunks[c], start) })
	return len(items), nil
}

// commit applies one chunk in one transaction, or event by event if that fails.
func (w *Worker) commit(ctx context.Context, items []InboxItem, prepared []*Prepared, chunk []int, start time.Time) {
	if len(chunk) == 0 {
		return
	}
	ps := make([]Prepared, len(chunk))
	for k, i := range chunk {
		ps[k] = *prepared[i]
	}
	if err := w.graph.ApplyPrepared(ctx, ps); err == nil {
		for _, i := range chunk {
			w.finish(ctx, items[i], nil, start)
		}
		return
	}
	for _, i := range chunk {
		w.finish(ctx, items[i], w.graph.ApplyPrepared(ctx, []Prepared{*prepared[i]}), start)
	}
}

// each runs fn(0..n-1) with at most conc at once.
func (w *Worker) each(n, conc int, fn func(i int)) {
	sem := make(chan struct{}, max(1, conc))
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// finish records an event's outcome: applied, or retried / parked with the reason.
func (w *Worker) finish(ctx context.Context, it InboxItem, err error, start time.Time) {
	outcome := "applied"
	if err != nil {
		outcome = w.fail(ctx, it, err)
	}
	if w.obs != nil {
		w.obs.EventProcessed(it.Event, it.ChangeType, outcome, w.now().Sub(start))
	}
}

// fail retries with exponential backoff, or parks the event with its reason. WeCom's frequency
// limit is nobody's fault: the event waits Throttle and the attempt does not count.
func (w *Worker) fail(ctx context.Context, it InboxItem, cause error) string {
	attempts := it.Attempts // Claim already counted this attempt
	if errors.Is(cause, service.ErrRateLimited) {
		throttle := w.cfg.Throttle
		if throttle <= 0 {
			throttle = time.Minute
		}
		if err := w.inbox.Retry(ctx, it.ID, max(0, attempts-1), w.now().Add(throttle), cause.Error()); err != nil {
			w.log.ErrorContext(ctx, "inbox retry failed", "id", it.ID, "err", err)
		}
		return "throttled"
	}
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
