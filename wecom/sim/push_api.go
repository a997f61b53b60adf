package sim

import (
	"context"
	"fmt"
	"sync"

	"github.com/guidebox/guidebox/wecom/callback"
)

// Flush waits until every queued callback has been pushed (or has used up
// its retries), or until ctx ends. While pushing is paused it waits for
// ctx.
func (s *Sim) Flush(ctx context.Context) error {
	p := s.push
	for {
		p.mu.Lock()
		idle, empty := p.idle, len(p.queue) == 0 && !p.running
		p.mu.Unlock()
		if empty {
			return nil
		}
		select {
		case <-idle:
			p.mu.Lock()
			paused := p.paused && len(p.queue) > 0
			p.mu.Unlock()
			if paused {
				<-ctx.Done()
				return ctx.Err()
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Push delivers m now, synchronously and outside the queue, with the same
// signing, timeout and retries, and records the Delivery. The error wraps
// ErrNotDelivered when the receiver never answered 200. Tests use it to
// replay, duplicate or reorder events; m.CreateTime is sent as given.
func (s *Sim) Push(ctx context.Context, m *callback.Message) (Delivery, error) {
	d := s.push.deliver(ctx, m)
	s.push.record(d)
	if !d.OK {
		return d, fmt.Errorf("%w: %s", ErrNotDelivered, d.Err)
	}
	return d, nil
}

// PushConcurrent delivers msgs with the given number of parallel workers
// (for load tests of the callback endpoint; no ordering between workers)
// and returns the deliveries in input order, also recording them.
func (s *Sim) PushConcurrent(ctx context.Context, msgs []*callback.Message, workers int) []Delivery {
	out := make([]Delivery, len(msgs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = s.push.deliver(ctx, msgs[i])
			}
		}()
	}
	for i := range msgs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, d := range out {
		s.push.record(d)
	}
	return out
}

// Delivered returns the record of pushed callbacks, oldest first (at most
// Config.MaxDeliveries).
func (s *Sim) Delivered() []Delivery {
	s.push.mu.Lock()
	defer s.push.mu.Unlock()
	return append([]Delivery(nil), s.push.done...)
}

// ResetDeliveries clears the Delivered record.
func (s *Sim) ResetDeliveries() {
	s.push.mu.Lock()
	defer s.push.mu.Unlock()
	s.push.done = nil
}

// SetPushPaused stops (true) or resumes (false) the asynchronous queue.
// While paused, events accumulate; TakeQueued removes them so a test can
// deliver them itself with Push, e.g. out of order.
func (s *Sim) SetPushPaused(paused bool) {
	p := s.push
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = paused
	p.startLocked()
}

// TakeQueued removes and returns the events not yet pushed.
func (s *Sim) TakeQueued() []*callback.Message {
	p := s.push
	p.mu.Lock()
	defer p.mu.Unlock()
	q := p.queue
	p.queue = nil
	return q
}
