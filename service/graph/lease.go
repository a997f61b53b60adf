package graph

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// heldBatch keeps a claimed batch's leases while the worker works on it. A goroutine renews the
// leases of the items still in flight every third of the lease, so work slower than one lease
// (a slow WeCom, a long apply) keeps its rows and no other worker takes them meanwhile. An item
// whose renewal finds it no longer held (another worker claimed it after this worker's lease ran
// out: a long pause, a partition) is lost: the worker writes nothing more for it. The inbox's
// token fence stays the guarantee; the renewal only keeps leases from running out and stops
// wasted work early.
type heldBatch struct {
	inbox InboxStore
	lease time.Duration
	log   *slog.Logger

	mu    sync.Mutex
	items map[int64]*heldItem // in flight: claimed, not yet finished
	stop  chan struct{}
	done  chan struct{}
}

type heldItem struct {
	lease Lease
	lost  bool
}

// hold starts keeping the leases of a claimed batch; close stops it.
func (w *Worker) hold(ctx context.Context, items []InboxItem) *heldBatch {
	b := &heldBatch{inbox: w.inbox, lease: w.cfg.Lease, log: w.log, items: make(map[int64]*heldItem, len(items)),
		stop: make(chan struct{}), done: make(chan struct{})}
	for _, it := range items {
		b.items[it.ID] = &heldItem{lease: it.Lease()}
	}
	every := w.cfg.Lease / 3
	if every <= 0 {
		close(b.done)
		return b
	}
	go b.renewEvery(ctx, every)
	return b
}

func (b *heldBatch) renewEvery(ctx context.Context, every time.Duration) {
	defer close(b.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.renew(ctx)
		}
	}
}

// renew extends the leases of the items in flight and marks those no longer held lost. A failed
// renewal is logged and tried again at the next tick: the leases still run until then.
func (b *heldBatch) renew(ctx context.Context) {
	b.mu.Lock()
	leases := make([]Lease, 0, len(b.items))
	for _, it := range b.items {
		if !it.lost {
			leases = append(leases, it.lease)
		}
	}
	b.mu.Unlock()
	if len(leases) == 0 {
		return
	}
	held, err := b.inbox.Renew(ctx, leases, b.lease)
	if err != nil {
		b.log.WarnContext(ctx, "inbox lease renewal failed", "items", len(leases), "err", err)
		return
	}
	still := make(map[int64]bool, len(held))
	for _, id := range held {
		still[id] = true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, l := range leases {
		// an item finished meanwhile left the map; one still in it and not held is another's now
		if it := b.items[l.ID]; it != nil && !still[l.ID] {
			it.lost = true
		}
	}
}

// isLost reports whether a renewal found item id taken by another worker.
func (b *heldBatch) isLost(id int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	it := b.items[id]
	return it != nil && it.lost
}

// finished stops renewing item id's lease.
func (b *heldBatch) finished(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.items, id)
}

// close stops the renewals and waits for a renewal under way.
func (b *heldBatch) close() {
	close(b.stop)
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.items)
}
