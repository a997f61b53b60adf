package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Intake makes callbacks durable in the inbox. Concurrent Accept calls are grouped
// into one multi-row insert (a group commit), so acknowledging thousands of callbacks
// a second costs a few hundred commits, and each caller returns only once its row is durable.
type Intake struct {
	store   InboxStore
	queue   chan pending
	maxRows int
	wg      sync.WaitGroup
	stop    chan struct{}
}

type pending struct {
	item InboxItem
	done chan error
}

// NewIntake starts writers flushing goroutines; Close stops them.
func NewIntake(store InboxStore, writers, maxRows int) *Intake {
	in := &Intake{store: store, queue: make(chan pending, writers*maxRows), maxRows: maxRows, stop: make(chan struct{})}
	for range writers {
		in.wg.Add(1)
		go in.flushLoop()
	}
	return in
}

// Accept stores item durably (a duplicate key is accepted and ignored) and returns once it is committed.
func (in *Intake) Accept(ctx context.Context, item InboxItem) error {
	p := pending{item: item, done: make(chan error, 1)}
	select {
	case in.queue <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-in.stop:
		return fmt.Errorf("intake closed: %w", service.ErrUnavailable)
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done(): // the row may still commit; WeCom's retry is then a duplicate, ignored
		return ctx.Err()
	}
}

// Close stops the writers after the queued items are flushed.
func (in *Intake) Close() {
	close(in.stop)
	in.wg.Wait()
}

func (in *Intake) flushLoop() {
	defer in.wg.Done()
	batch := make([]pending, 0, in.maxRows)
	for {
		select {
		case p := <-in.queue:
			batch = append(batch[:0], p)
		case <-in.stop:
			in.drain()
			return
		}
	drain:
		for len(batch) < in.maxRows {
			select {
			case p := <-in.queue:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		in.flush(batch)
	}
}

// drain flushes what is still queued at Close.
func (in *Intake) drain() {
	for {
		select {
		case p := <-in.queue:
			in.flush([]pending{p})
		default:
			return
		}
	}
}

func (in *Intake) flush(batch []pending) {
	items := make([]InboxItem, len(batch))
	for i, p := range batch {
		items[i] = p.item
	}
	// The request contexts may be cancelled; the write must finish for the others in the batch.
	// A failed write is tried once more (appending is idempotent): replicas' concurrent inserts and
	// claims may deadlock on the inbox's indexes, and MySQL then asks for exactly that.
	err := in.store.Append(context.Background(), items)
	if err != nil {
		time.Sleep(10 * time.Millisecond)
		err = in.store.Append(context.Background(), items)
	}
	if err != nil {
		err = fmt.Errorf("append inbox: %w: %w", service.ErrUnavailable, err)
	}
	for _, p := range batch {
		p.done <- err
	}
}
