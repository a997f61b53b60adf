package catalog

import (
	"context"
	"errors"
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

// flush writes a batch in one transaction, the orders in order id order (two writers' batches then
// lock shared ids in the same order), those known by unionid only linked to their customer (one query
// for the batch); a second copy of an order in the batch is answered ErrConflict. If an order is
// stored already (a copy posted again), the batch is written again without the stored ones, which are
// answered ErrConflict: new orders, the common case, cost no lookup. If a transaction fails all the
// same (an order stored by another writer a moment ago, a deadlock), each order is written alone, so
// that a conflict or an error is only its own order's.
func (w *orderWriter) flush(batch []pendingOrder) {
	ctx := context.Background() // the callers' requests may end; the batch is written for all of them
	errs := make([]error, len(batch))
	var todo []int
	seen := map[string]bool{}
	for i, p := range batch {
		if seen[p.o.OrderID] {
			errs[i] = service.ErrConflict
			continue
		}
		seen[p.o.OrderID] = true
		todo = append(todo, i)
	}
	err := w.write(ctx, batch, todo, nil)
	if errors.Is(err, service.ErrConflict) {
		err = w.write(ctx, batch, todo, errs)
	}
	if err != nil {
		for _, i := range todo {
			errs[i] = w.tx.InTx(ctx, func(ctx context.Context) error {
				return w.store.InsertOrders(ctx, []service.Order{batch[i].o}, []string{batch[i].hash})
			})
		}
	}
	for i, p := range batch {
		p.done <- written{externalUserID: p.o.ExternalUserID, err: errs[i]}
	}
}

// write inserts the orders todo of batch in one transaction. With errs, it first looks up which are
// stored already, answers those ErrConflict in errs and inserts the others.
func (w *orderWriter) write(ctx context.Context, batch []pendingOrder, todo []int, errs []error) error {
	return w.tx.InTx(ctx, func(ctx context.Context) error {
		keep := todo
		if errs != nil {
			ids := make([]string, len(todo))
			for k, i := range todo {
				ids[k] = batch[i].o.OrderID
			}
			known, err := w.store.ExistingOrders(ctx, ids)
			if err != nil {
				return err
			}
			keep = nil
			for _, i := range todo {
				if known[batch[i].o.OrderID] {
					errs[i] = service.ErrConflict
				} else {
					keep = append(keep, i)
				}
			}
		}
		var unions []string
		for _, i := range keep {
			if batch[i].o.ExternalUserID == "" {
				unions = append(unions, batch[i].o.UnionID)
			}
		}
		customers, err := w.store.CustomersByUnionID(ctx, unions)
		if err != nil {
			return err
		}
		os, hashes := make([]service.Order, 0, len(keep)), make([]string, 0, len(keep))
		for _, i := range keep {
			o := &batch[i].o
			if o.ExternalUserID == "" {
				o.ExternalUserID = customers[o.UnionID]
			}
			os, hashes = append(os, *o), append(hashes, batch[i].hash)
		}
		sort.Sort(byOrderID{os, hashes})
		return w.store.InsertOrders(ctx, os, hashes)
	})
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
