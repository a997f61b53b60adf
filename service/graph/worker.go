package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/guidebox/guidebox/service"
)

// WorkerConfig tunes the inbox workers.
type WorkerConfig struct {
	Owner string // this replica's lease owner name
	Batch int    // rows claimed per round
	// Backlog is how many more events a round claims that wait for a contact read of the guides in
	// its batch, so a guide's waiting customers are read together (default 4×Batch; negative: none).
	Backlog     int
	Concurrency int           // WeCom reads at once (a quarter as many transactions run at once)
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
	if cfg.Backlog == 0 {
		cfg.Backlog = 4 * cfg.Batch
	}
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
// With the batch it claims the events waiting for a contact read of the same guides (Backlog), so
// a guide's customers are read together. The batch's WeCom reads are made once each and shared
// (Service.PrepareAll), Concurrency at a time; the database work then runs TxBatch events per
// transaction, so a batch costs a few commits instead of one per event. A transaction that fails is
// split and its events applied one by one, so one bad event never holds back the others. The
// batch's leases are renewed while it is worked on; an event whose lease another worker took is dropped.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	items, err := w.inbox.Claim(ctx, w.cfg.Owner, w.cfg.Batch, w.cfg.Lease)
	if err != nil {
		return 0, fmt.Errorf("claim: %w", err)
	}
	if len(items) == 0 {
		return 0, nil
	}
	ctx = context.WithoutCancel(ctx) // finish what was claimed
	// Enrichment waits behind the sidebar and handover for WeCom's budget; a call that finds no room
	// within the client's wait fails with service.ErrRateLimited and the event is throttled.
	ctx = service.WithLane(ctx, service.LaneEnrichment)
	items = merge(items, w.claimBacklog(ctx, items))
	start := w.now()
	held := w.hold(ctx, items)
	defer held.close()
	prepared := make([]*Prepared, len(items))
	var claimed []Claimed
	var pos []int
	for i, it := range items {
		ev, err := w.parse(it.Raw)
		if err != nil {
			w.finish(ctx, held, it, permanent(fmt.Errorf("parse: %w", err)), start)
			continue
		}
		ev.Key = it.Key
		claimed, pos = append(claimed, Claimed{Lease: it.Lease(), Event: ev}), append(pos, i)
	}
	ps, errs := w.graph.PrepareAll(ctx, claimed, w.cfg.Concurrency)
	deferred := map[time.Time][]InboxItem{}
	for k, i := range pos {
		var d *DeferredError
		switch {
		case errors.As(errs[k], &d): // many at once under a burst: put back in a few statements
			until := w.now().Add(d.Wait).Truncate(time.Second).Add(time.Second)
			deferred[until] = append(deferred[until], items[i])
		case errs[k] != nil:
			w.finish(ctx, held, items[i], errs[k], start)
		default:
			prepared[i] = &ps[k]
		}
	}
	for until, its := range deferred {
		w.deferAll(ctx, held, its, until, start)
	}
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
	each(len(chunks), max(1, w.cfg.Concurrency/4), func(c int) { w.commit(ctx, held, items, prepared, chunks[c], start) })
	return len(items), nil
}

// merge adds more to items. A row in both (its lease ran out between the two claims and the second
// took it again) is kept once, under the newer lease: the older one no longer holds it.
func merge(items, more []InboxItem) []InboxItem {
	at := make(map[int64]int, len(items))
	for i, it := range items {
		at[it.ID] = i
	}
	for _, it := range more {
		if i, ok := at[it.ID]; ok {
			items[i] = it
			continue
		}
		items = append(items, it)
	}
	return items
}

// claimBacklog claims the due events waiting for a contact read of the guides the batch has such
// events of. A failure only costs the batching: it is logged and the batch goes on alone.
func (w *Worker) claimBacklog(ctx context.Context, items []InboxItem) []InboxItem {
	if w.cfg.Backlog <= 0 {
		return nil
	}
	var guides []string
	seen := map[string]bool{}
	for _, it := range items {
		if it.UserID != "" && !seen[it.UserID] && needsContactRead(Event{Event: it.Event, ChangeType: it.ChangeType}) {
			seen[it.UserID] = true
			guides = append(guides, it.UserID)
		}
	}
	if len(guides) == 0 {
		return nil
	}
	more, err := w.inbox.ClaimReads(ctx, w.cfg.Owner, guides, w.cfg.Backlog, w.cfg.Lease)
	if err != nil {
		w.log.WarnContext(ctx, "inbox backlog claim failed", "guides", len(guides), "err", err)
		return nil
	}
	return more
}

// commit applies one chunk in one transaction, or event by event if that fails. Events whose
// lease was lost are not applied: the transaction marking them done would roll back anyway.
func (w *Worker) commit(ctx context.Context, held *heldBatch, items []InboxItem, prepared []*Prepared, chunk []int, start time.Time) {
	var mine []int
	for _, i := range chunk {
		if held.isLost(items[i].ID) {
			w.finish(ctx, held, items[i], ErrLeaseLost, start)
			continue
		}
		mine = append(mine, i)
	}
	if len(mine) == 0 {
		return
	}
	ps := make([]Prepared, len(mine))
	for k, i := range mine {
		ps[k] = *prepared[i]
	}
	if err := w.graph.ApplyPrepared(ctx, ps); err == nil {
		for _, i := range mine {
			w.finish(ctx, held, items[i], nil, start)
		}
		return
	}
	for _, i := range mine {
		w.finish(ctx, held, items[i], w.graph.ApplyPrepared(ctx, []Prepared{*prepared[i]}), start)
	}
}

// finish records an event's outcome: applied, retried / parked with the reason, or lease_lost
// when another worker holds the event now (nothing is written for it then).
func (w *Worker) finish(ctx context.Context, held *heldBatch, it InboxItem, err error, start time.Time) {
	outcome := "applied"
	switch {
	case err == nil:
	case errors.Is(err, ErrLeaseLost) || held.isLost(it.ID):
		outcome = w.leaseLost(ctx, it)
	default:
		outcome = w.fail(ctx, it, err)
	}
	held.finished(it.ID)
	if w.obs != nil {
		w.obs.EventProcessed(it.Event, it.ChangeType, outcome, w.now().Sub(start))
	}
}

// deferAll puts events whose read was deferred back in the inbox until then, without counting the
// attempt: one statement for all. A failure is logged; their leases run out and they come back.
func (w *Worker) deferAll(ctx context.Context, held *heldBatch, its []InboxItem, until time.Time, start time.Time) {
	leases := make([]Lease, len(its))
	for i, it := range its {
		leases[i] = it.Lease()
	}
	outcome := "deferred"
	if err := w.inbox.Defer(ctx, leases, until, "read deferred: WeCom's budget goes to reads answering more events"); err != nil {
		w.log.ErrorContext(ctx, "inbox update failed", "items", len(its), "outcome", outcome, "err", err)
	}
	for _, it := range its {
		held.finished(it.ID)
		if w.obs != nil {
			w.obs.EventProcessed(it.Event, it.ChangeType, outcome, w.now().Sub(start))
		}
	}
}

// leaseLost notes an event left to the worker that holds it now; not an error, as such
// an event is still applied once, by its holder.
func (w *Worker) leaseLost(ctx context.Context, it InboxItem) string {
	w.log.InfoContext(ctx, "inbox lease lost", "id", it.ID, "event", it.Event, "change_type", it.ChangeType)
	return "lease_lost"
}

// fail retries with exponential backoff, or parks the event with its reason. WeCom's frequency
// limit is nobody's fault: the event waits Throttle and the attempt does not count. (A read
// deferred for a better one, DeferredError, is put back by deferAll.) Either write
// is fenced by the item's lease: a worker that lost the row changes nothing.
func (w *Worker) fail(ctx context.Context, it InboxItem, cause error) string {
	attempts := it.Attempts // Claim already counted this attempt
	if errors.Is(cause, service.ErrRateLimited) {
		throttle := w.cfg.Throttle
		if throttle <= 0 {
			throttle = time.Minute
		}
		ok, err := w.inbox.Retry(ctx, it.Lease(), max(0, attempts-1), w.now().Add(throttle), cause.Error())
		return w.failed(ctx, it, "throttled", ok, err)
	}
	var perm *PermanentError
	if errors.As(cause, &perm) || attempts >= w.cfg.MaxAttempts {
		ok, err := w.inbox.Park(ctx, it.Lease(), attempts, cause.Error())
		if ok {
			w.log.WarnContext(ctx, "event parked", "id", it.ID, "event", it.Event, "change_type", it.ChangeType, "err", cause)
		}
		return w.failed(ctx, it, "parked", ok, err)
	}
	backoff := w.cfg.BaseBackoff << min(attempts-1, 10)
	ok, err := w.inbox.Retry(ctx, it.Lease(), attempts, w.now().Add(backoff), cause.Error())
	if ok {
		w.log.InfoContext(ctx, "event retried", "id", it.ID, "attempts", attempts, "err", cause)
	}
	return w.failed(ctx, it, "retried", ok, err)
}

// failed turns a fenced retry or park into the outcome: as intended, lost to another worker, or
// a store error (logged; the lease runs out and the event comes back).
func (w *Worker) failed(ctx context.Context, it InboxItem, outcome string, ok bool, err error) string {
	switch {
	case err != nil:
		w.log.ErrorContext(ctx, "inbox update failed", "id", it.ID, "outcome", outcome, "err", err)
	case !ok:
		return w.leaseLost(ctx, it)
	}
	return outcome
}
