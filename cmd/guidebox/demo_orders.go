package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/wecom/sim"
)

// seedDemoOrders posts the demo corp's purchase history through the orders service, as a POS
// would, and counts the new ones. The orders already stored (a restart) are skipped by one lookup per
// 500; the others are posted by 32 clients at once, so the catalogue's order writers store them in
// batches (a few seconds for the few thousand orders, on SQLite too).
func (a *app) seedDemoOrders(ctx context.Context, corp *sim.Corp) (int, error) {
	all := demoOrders(corp, time.Now())
	var todo []catalog.OrderInput
	for from := 0; from < len(all); from += 500 {
		batch := all[from:min(from+500, len(all))]
		ids := make([]string, len(batch))
		for i, o := range batch {
			ids[i] = o.OrderID
		}
		known, err := a.catalog.KnownOrders(ctx, ids)
		if err != nil {
			return 0, fmt.Errorf("demo orders: %w", err)
		}
		for _, o := range batch {
			if !known[o.OrderID] {
				todo = append(todo, o)
			}
		}
	}
	var mu sync.Mutex
	stored := 0
	var first error
	next := make(chan catalog.OrderInput)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for o := range next {
				_, outcome, err := a.catalog.Ingest(ctx, o)
				mu.Lock()
				switch {
				case err == nil && outcome == catalog.Created:
					stored++
				case err != nil && !errors.Is(err, service.ErrConflict) && first == nil:
					first = fmt.Errorf("demo order %s: %w", o.OrderID, err)
				}
				mu.Unlock()
			}
		})
	}
	for _, o := range todo {
		next <- o
	}
	close(next)
	wg.Wait()
	return stored, first
}

// demoOrders converts the simulator's demo orders to what the orders API receives.
func demoOrders(corp *sim.Corp, now time.Time) []catalog.OrderInput {
	var out []catalog.OrderInput
	for _, o := range sim.DemoOrders(corp, now) {
		total := int64(o.Total)
		in := catalog.OrderInput{OrderID: o.ID, ExternalUserID: o.ExternalUserID, UnionID: o.UnionID, StoreID: int64(o.StoreID),
			GuideUserID: o.GuideUserID, PaidAt: o.PaidAt.Format(time.RFC3339), TotalFen: &total, Status: service.OrderPaid}
		if o.Refunded {
			in.Status = service.OrderRefunded
		}
		for _, l := range o.Lines {
			price := int64(l.Price)
			in.Lines = append(in.Lines, catalog.LineInput{SKU: l.ProductID, Qty: int64(l.Qty), PriceFen: &price})
		}
		out = append(out, in)
	}
	return out
}
