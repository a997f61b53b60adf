package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/wecom/sim"
)

// seedDemoOrders posts the demo corp's purchase history through the orders service, as a POS
// would, and counts the new ones. Run again (a restart), each order is already there: the same
// body is unchanged, and one dated from another day (a different paid_at) is a conflict, skipped.
func (a *app) seedDemoOrders(ctx context.Context, corp *sim.Corp) (int, error) {
	stored := 0
	for _, o := range demoOrders(corp, time.Now()) {
		_, outcome, err := a.catalog.Ingest(ctx, o)
		switch {
		case err == nil:
			if outcome == catalog.Created {
				stored++
			}
		case !errors.Is(err, service.ErrConflict):
			return stored, fmt.Errorf("demo order %s: %w", o.OrderID, err)
		}
	}
	return stored, nil
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
