package catalog

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/guidebox/guidebox/service"
)

// orderWriter stores new orders as a group commit: orders posted concurrently are written by a few
// writers, up to maxBatch in one transaction, and each caller returns once its order is committed
// (or known to be taken). A POS posting at concurrency 16 then costs a few hundred commits a second
// instead of one per order, which is what bounds throughput on a durable MySQL (one log flush each).
type orderWriter struct {
	store    OrderStore
	tx       service.Transactor
	writers  int
	maxBatch int

	start sync.Once
	queue chan pendingOrder
	stop  chan struct{}
	wg    sync.WaitGroup
}

type pendingOrder struct {
	o    service.Order
	hash string
	done chan written
}

// written is what became of a pending order: stored (with the customer its unionid resolved to), or err.
type written struct {
	externalUserID string
	err            error
}

func newOrderWriter(store OrderStore, tx service.Transactor, writers, maxBatch int) *orderWriter {
	return &orderWriter{store: store, tx: tx, writers: writers, maxBatch: maxBatch,
		queue: make(chan pendingOrder, writers*maxBatch), stop: make(chan struct{})}
}

// insert stores a new order and returns its customer: an order known by unionid only is linked to
// the customer with that unionid, if there is one. ErrConflict if the order id is taken (stored
// before, or by another order of the same batch, which is then committed when insert returns).
func (w *orderWriter) insert(ctx context.Context, o service.Order, hash string) (string, error) {
	w.start.Do(func() {
		for range w.writers {
			w.wg.Add(1)
			go w.loop()
		}
	})
	p := pendingOrder{o: o, hash: hash, done: make(chan written, 1)}
	select {
	case w.queue <- p:
	case <-ctx.Done():
		return "", ctx.Err()
	case <-w.stop:
		return "", fmt.Errorf("order writer closed: %w", service.ErrUnavailable)
	}
	select {
	case r := <-p.done:
		return r.externalUserID, r.err
	case <-ctx.Done(): // the order may still commit; the caller's retry is then the same order again
		return "", ctx.Err()
	}
}

// close stops the writers once what is queued is written.
func (w *orderWriter) close() {
	close(w.stop)
	w.wg.Wait()
}

func (w *orderWriter) loop() {
	defer w.wg.Done()
	batch := make([]pendingOrder, 0, w.maxBatch)
	for {
		select {
		case p := <-w.queue:
			batch = append(batch[:0], p)
		case <-w.stop:
			for {
				select {
				case p := <-w.queue:
					w.flush([]pendingOrder{p})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < w.maxBatch {
			select {
			case p := <-w.queue:
				batch = append(batch, p)
			default:
				break fill
			}
		}
		w.flush(batch)
	}
}

// flush writes a batch in one transaction: orders already stored, or twice in the batch, are
// answered ErrConflict and the rest inserted in order id order (two writers' batches then lock
// shared ids in the same order), those known by unionid only linked to their customer (one query for
// the batch). If the transaction fails all the same (another writer stored an id a moment ago, a
// deadlock), each order is written alone, so that a conflict or an error fails only its own order.
func (w *orderWriter) flush(batch []pendingOrder) {
	ctx := context.Background() // the callers' requests may end; the batch is written for all of them
	results := make([]written, len(batch))
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		ids := make([]string, len(batch))
		var unions []string
		for i, p := range batch {
			ids[i] = p.o.OrderID
			if p.o.ExternalUserID == "" {
				unions = append(unions, p.o.UnionID)
			}
		}
		known, err := w.store.ExistingOrders(ctx, ids)
		if err != nil {
			return err
		}
		customers, err := w.store.CustomersByUnionID(ctx, unions)
		if err != nil {
			return err
		}
		var os []service.Order
		var hashes []string
		for i := range batch {
			o := &batch[i].o
			if known[o.OrderID] {
				results[i].err = service.ErrConflict
				continue
			}
			known[o.OrderID] = true // a second copy in this batch
			if o.ExternalUserID == "" {
				o.ExternalUserID = customers[o.UnionID]
			}
			results[i].externalUserID = o.ExternalUserID
			os, hashes = append(os, *o), append(hashes, batch[i].hash)
		}
		sort.Sort(byOrderID{os, hashes})
		return w.store.InsertOrders(ctx, os, hashes)
	})
	if err != nil {
		for i, p := range batch {
			results[i].err = w.tx.InTx(ctx, func(ctx context.Context) error {
				return w.store.InsertOrders(ctx, []service.Order{p.o}, []string{p.hash})
			})
		}
	}
	for i, p := range batch {
		p.done <- results[i]
	}
}

// byOrderID sorts orders and their hashes together by order id.
type byOrderID struct {
	os     []service.Order
	hashes []string
}

func (b byOrderID) Len() int           { return len(b.os) }
func (b byOrderID) Less(i, j int) bool { return b.os[i].OrderID < b.os[j].OrderID }
func (b byOrderID) Swap(i, j int) {
	b.os[i], b.os[j] = b.os[j], b.os[i]
	b.hashes[i], b.hashes[j] = b.hashes[j], b.hashes[i]
}
