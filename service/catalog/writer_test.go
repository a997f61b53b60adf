package catalog

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/service"
)

// flakyOrders is an OrderStore whose batch inserts fail (a deadlock, say) while single ones work;
// "TAKEN" is stored already.
type flakyOrders struct {
	OrderStore
	mu     sync.Mutex
	stored []string
}

func (f *flakyOrders) ExistingOrders(context.Context, []string) (map[string]bool, error) {
	return map[string]bool{}, nil
}

func (f *flakyOrders) CustomersByUnionID(context.Context, []string) (map[string]string, error) {
	return map[string]string{}, nil
}

func (f *flakyOrders) InsertOrders(_ context.Context, os []service.Order, _ []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(os) > 1 {
		return errors.New("Error 1213: Deadlock found when trying to get lock")
	}
	if os[0].OrderID == "TAKEN" {
		return service.ErrConflict
	}
	f.stored = append(f.stored, os[0].OrderID)
	return nil
}

type noTx struct{}

func (noTx) InTx(ctx context.Context, fn func(context.Context) error) error { return fn(ctx) }

// A batch whose transaction fails is written order by order, so a failure or a conflict is only
// its own order's.
func TestWriterFallsBackToOneOrderAtATime(t *testing.T) {
	store := &flakyOrders{}
	w := newOrderWriter(store, noTx{}, 1, 64)
	batch := []pendingOrder{}
	for _, id := range []string{"B", "TAKEN", "A"} {
		batch = append(batch, pendingOrder{o: service.Order{OrderID: id, ExternalUserID: "wm"}, done: make(chan written, 1)})
	}
	w.flush(batch)
	for _, p := range batch {
		r := <-p.done
		if p.o.OrderID == "TAKEN" {
			assert.ErrorIs(t, r.err, service.ErrConflict)
		} else {
			assert.NoError(t, r.err, p.o.OrderID)
		}
	}
	assert.Equal(t, []string{"B", "A"}, store.stored, "each good order stored once")
}
