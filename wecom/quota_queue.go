package wecom

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// quota shares WeCom's budget out among the calls of this process: per API, the windows (in the
// process or in Redis) and a queue per lane of the calls waiting for room. A call goes at once when
// its lane has room and nobody of its lane or above waits; otherwise it queues, and one dispatcher
// per API hands out room as it comes, to the highest lane first and in arrival order within a lane.
type quota struct {
	cfg     QuotaConfig
	backend budgetBackend
	now     func() time.Time
	obs     QuotaObserver

	mu     sync.Mutex
	queues map[string]*apiQueue
	queued [len(laneNames)]int // waiting calls per lane, every API together
}

// laneNames indexes the lanes (1..4); index 0 is unused.
var laneNames = [...]string{"", "interactive", "handover", "enrichment", "background"}

// pollEvery bounds a dispatcher's sleep: room may come sooner than computed (another replica's
// block ends, the clock is moved in a test), and a replica sees other replicas' spending only by
// looking again.
const pollEvery = 100 * time.Millisecond

// apiQueue is one API's waiting calls, by lane.
type apiQueue struct {
	lanes   [len(laneNames)][]*waiter
	running bool          // a dispatcher works on this queue
	wake    chan struct{} // a call arrived: the dispatcher looks again at once
	wait    time.Duration // the dispatcher's latest estimate, for QuotaError
	blocked bool
}

// waiter is one queued call; done receives nil when it may go, or the error it failed with.
type waiter struct {
	lane service.Lane
	done chan error
}

// errWaitOver ends a wait that reached its bound.
var errWaitOver = errors.New("wait over")

func (q *quota) queue(api string) *apiQueue {
	aq := q.queues[api]
	if aq == nil {
		aq = &apiQueue{wake: make(chan struct{}, 1)}
		q.queues[api] = aq
	}
	return aq
}

// head is the first waiter of the highest lane, or nil.
func (aq *apiQueue) head() *waiter {
	for _, ws := range aq.lanes {
		if len(ws) > 0 {
			return ws[0]
		}
	}
	return nil
}

// waitingFrom reports whether a call of lane or a higher lane waits.
func (aq *apiQueue) waitingFrom(lane service.Lane) bool {
	for l := service.LaneInteractive; l <= lane; l++ {
		if len(aq.lanes[l]) > 0 {
			return true
		}
	}
	return false
}

// remove takes w out of the queue and reports whether it was still there.
func (q *quota) remove(aq *apiQueue, w *waiter) bool {
	ws := aq.lanes[w.lane]
	for i, x := range ws {
		if x == w {
			aq.lanes[w.lane] = append(ws[:i:i], ws[i+1:]...)
			q.queued[w.lane]--
			q.obs.QuotaQueued(w.lane.String(), q.queued[w.lane])
			return true
		}
	}
	return false
}

// acquire returns when a call of api in ctx's lane may be sent, or fails with *QuotaError when it
// may not within MaxWait and ctx's deadline (at once when the wait is known to be longer).
func (q *quota) acquire(ctx context.Context, api string) error {
	if q.cfg.Disabled || unmetered[api] {
		return nil
	}
	lane := service.LaneOf(ctx)
	bound := q.cfg.MaxWait
	if dl, ok := ctx.Deadline(); ok {
		bound = min(bound, time.Until(dl))
	}
	q.mu.Lock()
	aq := q.queue(api)
	if !aq.waitingFrom(lane) {
		q.mu.Unlock()
		ok, wait, blocked, err := q.try(ctx, api, lane)
		if err != nil || ok {
			return err
		}
		if wait > bound {
			return q.refuse(api, lane, blocked, wait)
		}
		q.mu.Lock()
	}
	w := &waiter{lane: lane, done: make(chan error, 1)}
	aq.lanes[lane] = append(aq.lanes[lane], w)
	q.queued[lane]++
	q.obs.QuotaQueued(lane.String(), q.queued[lane])
	if !aq.running {
		aq.running = true
		go q.dispatch(api, aq)
	} else {
		select {
		case aq.wake <- struct{}{}:
		default:
		}
	}
	q.mu.Unlock()
	return q.await(ctx, api, aq, w, bound)
}

// await waits for w's turn, up to bound or the end of ctx.
func (q *quota) await(ctx context.Context, api string, aq *apiQueue, w *waiter, bound time.Duration) error {
	start := time.Now()
	t := time.NewTimer(bound)
	defer t.Stop()
	var err error
	select {
	case err = <-w.done:
	case <-ctx.Done():
		err = ctx.Err()
	case <-t.C:
		err = errWaitOver
	}
	q.mu.Lock()
	if err != nil && !q.remove(aq, w) {
		err = <-w.done // its turn came meanwhile: take it
	}
	wait, blocked := aq.wait, aq.blocked
	q.mu.Unlock()
	q.obs.QuotaWaited(w.lane.String(), time.Since(start))
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, errWaitOver), errors.Is(err, context.DeadlineExceeded):
		return q.refuse(api, w.lane, blocked, wait)
	}
	return err
}

func (q *quota) refuse(api string, lane service.Lane, blocked bool, wait time.Duration) error {
	reason := "budget"
	if blocked {
		reason = "blocked"
	}
	q.obs.QuotaRefused(api, lane.String(), reason)
	return &QuotaError{Endpoint: api, Lane: lane, Blocked: blocked, Wait: wait}
}

// dispatch hands out api's room to its waiters, highest lane first, until none is left. Room taken
// for a waiter that left meanwhile goes to the next one.
func (q *quota) dispatch(api string, aq *apiQueue) {
	for {
		q.mu.Lock()
		w := aq.head()
		if w == nil {
			aq.running = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		ok, wait, blocked, err := q.try(ctx, api, w.lane)
		cancel()
		q.mu.Lock()
		if ok || err != nil {
			if h := aq.head(); h != nil {
				q.remove(aq, h)
				h.done <- err
			}
			q.mu.Unlock()
			continue
		}
		aq.wait, aq.blocked = wait, blocked
		q.mu.Unlock()
		t := time.NewTimer(min(wait, pollEvery))
		select {
		case <-t.C:
		case <-aq.wake:
			t.Stop()
		}
	}
}
