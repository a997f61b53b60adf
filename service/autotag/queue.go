package autotag

import (
	"context"
	"sync"
)

// queue holds customers waiting for an evaluation after their orders. One goroutine, started with the
// first customer, takes what is waiting (up to a batch, each customer once) and evaluates it; a full
// queue drops the customer (the nightly pass evaluates everybody) and counts it.
type queue struct {
	ch    chan string
	run   func(ids []string)
	start sync.Once
	stop  chan struct{}
	done  sync.WaitGroup

	mu      sync.Mutex
	idle    *sync.Cond
	pending int // queued or being evaluated
	dropped int64
}

func newQueue(size int, run func(ids []string)) *queue {
	q := &queue{ch: make(chan string, size), run: run, stop: make(chan struct{})}
	q.idle = sync.NewCond(&q.mu)
	return q
}

// add queues a customer; false if the queue is full or closed.
func (q *queue) add(id string, batch int) bool {
	q.start.Do(func() {
		q.done.Add(1)
		go q.loop(batch)
	})
	q.mu.Lock()
	q.pending++
	q.mu.Unlock()
	select {
	case <-q.stop:
	case q.ch <- id:
		return true
	default:
	}
	q.mu.Lock()
	q.pending--
	q.dropped++
	q.idle.Broadcast()
	q.mu.Unlock()
	return false
}

func (q *queue) loop(batch int) {
	defer q.done.Done()
	for {
		select {
		case id := <-q.ch:
			q.runBatch(id, batch)
		case <-q.stop:
			for {
				select {
				case id := <-q.ch:
					q.runBatch(id, batch)
				default:
					return
				}
			}
		}
	}
}

func (q *queue) runBatch(first string, batch int) {
	ids := []string{first}
	seen := map[string]bool{first: true}
	n := 1
fill:
	for n < batch {
		select {
		case id := <-q.ch:
			n++
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		default:
			break fill
		}
	}
	q.run(ids)
	q.mu.Lock()
	q.pending -= n
	q.idle.Broadcast()
	q.mu.Unlock()
}

// droppedCount is how many customers a full queue dropped so far.
func (q *queue) droppedCount() int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}

// wait returns when nothing is queued or being evaluated, or ctx ends.
func (q *queue) wait(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.idle.Broadcast()
		q.mu.Unlock()
	})
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.pending > 0 && ctx.Err() == nil {
		q.idle.Wait()
	}
	return ctx.Err()
}

func (q *queue) close() {
	select {
	case <-q.stop:
		return
	default:
	}
	close(q.stop)
	q.done.Wait()
}
