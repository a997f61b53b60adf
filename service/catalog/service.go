package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Service is the catalogue and orders of one corp.
type Service struct {
	store  Store
	tx     service.Transactor
	log    *slog.Logger
	now    func() time.Time
	stores *storeSet
	orders *orderWriter
	obs    []OrderObserver
}

// NewService builds the catalogue over its store. New orders are written by 4 writers, up to 64 per
// transaction, started with the first order; Close stops them.
func NewService(store Store, tx service.Transactor, log *slog.Logger) *Service {
	return &Service{store: store, tx: tx, log: log, now: time.Now, stores: &storeSet{load: store.Stores, every: 10 * time.Second},
		orders: newOrderWriter(store, tx, 4, 64)}
}

// Observe makes o hear of every order stored or refunded from now on. Call it while wiring, before
// orders arrive.
func (s *Service) Observe(o OrderObserver) { s.obs = append(s.obs, o) }

func (s *Service) notify(ctx context.Context, o service.Order) {
	for _, ob := range s.obs {
		ob.OrderIngested(ctx, o)
	}
}

// Close stops taking orders and returns once the ones queued are written.
func (s *Service) Close() { s.orders.close() }

// RecentOrders lists a customer's latest orders for the sidebar card (sidebar.OrderSource).
func (s *Service) RecentOrders(ctx context.Context, externalUserID string, limit int) ([]service.Order, error) {
	os, err := s.store.RecentOrders(ctx, externalUserID, limit)
	if err != nil {
		return nil, fmt.Errorf("recent orders of %s: %w", externalUserID, err)
	}
	return os, nil
}

// KnownOrders says which of the order ids are stored (a seed that posts a fixed history checks first).
func (s *Service) KnownOrders(ctx context.Context, orderIDs []string) (map[string]bool, error) {
	known, err := s.store.ExistingOrders(ctx, orderIDs)
	if err != nil {
		return nil, fmt.Errorf("known orders: %w", err)
	}
	return known, nil
}

// LinkOrders links every unlinked order whose unionid now belongs to a customer of the graph, in
// batches, and says how many it linked. Reads of a customer's orders match the unionid anyway; this
// pass writes the link so that order lines can be read by customer (the recommendations).
func (s *Service) LinkOrders(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.store.LinkOrders(ctx, 500)
		total += n
		if err != nil {
			return total, fmt.Errorf("link orders: %w", err)
		}
		if n < 500 {
			return total, nil
		}
	}
}

// storeSet caches the ids of the corp's stores for order checks: stores change rarely, orders come
// in thousands a second. An unknown id reloads the set, at most once per `every`.
type storeSet struct {
	load  func(ctx context.Context) ([]service.Store, error)
	every time.Duration

	mu  sync.Mutex
	at  time.Time
	ids map[int64]bool
}

// known reports whether id is a store of the corp.
func (c *storeSet) known(ctx context.Context, id int64) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids[id] {
		return true, nil
	}
	if c.ids != nil && time.Since(c.at) < c.every {
		return false, nil
	}
	stores, err := c.load(ctx)
	if err != nil {
		return false, fmt.Errorf("read stores: %w", err)
	}
	c.ids, c.at = make(map[int64]bool, len(stores)), time.Now()
	for _, st := range stores {
		c.ids[st.ID] = true
	}
	return c.ids[id], nil
}
