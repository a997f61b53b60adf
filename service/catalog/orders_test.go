package catalog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

func fen(n int64) *int64 { return &n }

// anOrder is a paid order of customer wm-alice at store 2 with two lines.
func anOrder(id string) catalog.OrderInput {
	return catalog.OrderInput{OrderID: id, ExternalUserID: "wm-alice", StoreID: 2, GuideUserID: "zhangsan",
		PaidAt: "2025-05-01T14:30:00+08:00", TotalFen: fen(29800), Status: service.OrderPaid,
		Lines: []catalog.LineInput{{SKU: "P001", Qty: 1, PriceFen: fen(19900)}, {SKU: "P002", Qty: 1, PriceFen: fen(9900)}}}
}

type lineState struct {
	ExternalUserID string `gorm:"column:external_userid"`
	Refunded       bool
}

func (e *env) lines(t *testing.T, orderID string) []lineState {
	t.Helper()
	var out []lineState
	require.NoError(t, e.db.Raw("SELECT external_userid, refunded FROM order_lines WHERE corp_id = ? AND order_id = ? ORDER BY line_no",
		corp, orderID).Scan(&out).Error)
	return out
}

func TestIngestIsIdempotentByOrderID(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	first, outcome, err := e.svc.Ingest(ctx, anOrder("O1"))
	require.NoError(t, err)
	assert.Equal(t, catalog.Created, outcome)
	assert.Equal(t, time.Date(2025, 5, 1, 6, 30, 0, 0, time.UTC), first.PaidAt)

	same := anOrder("O1")
	same.PaidAt = "2025-05-01T06:30:00Z"                        // the same instant in another zone
	same.Lines[0], same.Lines[1] = same.Lines[1], same.Lines[0] // lines in another order
	again, outcome, err := e.svc.Ingest(ctx, same)
	require.NoError(t, err)
	assert.Equal(t, catalog.Unchanged, outcome)
	assert.Equal(t, first, again, "the same order again: the same result")

	for name, edit := range map[string]func(*catalog.OrderInput){
		"total":    func(o *catalog.OrderInput) { o.TotalFen = fen(1) },
		"customer": func(o *catalog.OrderInput) { o.ExternalUserID = "wm-bob" },
		"paid_at":  func(o *catalog.OrderInput) { o.PaidAt = "2025-05-02T14:30:00+08:00" },
		"a line":   func(o *catalog.OrderInput) { o.Lines[1].Qty = 2 },
		"guide":    func(o *catalog.OrderInput) { o.GuideUserID = "" },
	} {
		o := anOrder("O1")
		edit(&o)
		_, _, err := e.svc.Ingest(ctx, o)
		assert.ErrorIs(t, err, service.ErrConflict, "a different %s under a known order id", name)
	}
	assert.Equal(t, []lineState{{"wm-alice", false}, {"wm-alice", false}}, e.lines(t, "O1"))
}

func TestIngestAppliesARefundOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, _, err := e.svc.Ingest(ctx, anOrder("O1"))
	require.NoError(t, err)

	refund := anOrder("O1")
	refund.Status = service.OrderRefunded
	o, outcome, err := e.svc.Ingest(ctx, refund)
	require.NoError(t, err)
	assert.Equal(t, catalog.Refunded, outcome)
	assert.Equal(t, service.OrderRefunded, o.Status)
	require.NotNil(t, o.RefundedAt, "the refund is recorded with its time")
	assert.Equal(t, []lineState{{"wm-alice", true}, {"wm-alice", true}}, e.lines(t, "O1"))

	again, outcome, err := e.svc.Ingest(ctx, refund)
	require.NoError(t, err)
	assert.Equal(t, catalog.Unchanged, outcome)
	assert.Equal(t, o, again, "the refund again: the same result")

	stale, outcome, err := e.svc.Ingest(ctx, anOrder("O1"))
	require.NoError(t, err)
	assert.Equal(t, catalog.Unchanged, outcome, "a late copy of the paid order does not undo the refund")
	assert.Equal(t, o, stale)

	refunded := anOrder("O2")
	refunded.Status = service.OrderRefunded
	o2, outcome, err := e.svc.Ingest(ctx, refunded)
	require.NoError(t, err)
	assert.Equal(t, catalog.Created, outcome, "an order first seen refunded is stored refunded")
	assert.NotNil(t, o2.RefundedAt)
	assert.Equal(t, []lineState{{"wm-alice", true}, {"wm-alice", true}}, e.lines(t, "O2"))
}

func TestIngestNamesTheBadField(t *testing.T) {
	tests := []struct {
		field string
		edit  func(*catalog.OrderInput)
	}{
		{"order_id", func(o *catalog.OrderInput) { o.OrderID = "" }},
		{"order_id", func(o *catalog.OrderInput) { o.OrderID = "has space" }},
		{"external_userid", func(o *catalog.OrderInput) { o.ExternalUserID, o.UnionID = "", "" }},
		{"unionid", func(o *catalog.OrderInput) { o.UnionID = string(make([]byte, 65)) }},
		{"store_id", func(o *catalog.OrderInput) { o.StoreID = 0 }},
		{"store_id", func(o *catalog.OrderInput) { o.StoreID = 99 }},
		{"paid_at", func(o *catalog.OrderInput) { o.PaidAt = "2025-05-01 14:30" }},
		{"total_fen", func(o *catalog.OrderInput) { o.TotalFen = nil }},
		{"total_fen", func(o *catalog.OrderInput) { o.TotalFen = fen(-1) }},
		{"status", func(o *catalog.OrderInput) { o.Status = "shipped" }},
		{"lines", func(o *catalog.OrderInput) { o.Lines = nil }},
		{"lines[1].sku", func(o *catalog.OrderInput) { o.Lines[1].SKU = "" }},
		{"lines[0].qty", func(o *catalog.OrderInput) { o.Lines[0].Qty = 0 }},
		{"lines[1].price_fen", func(o *catalog.OrderInput) { o.Lines[1].PriceFen = nil }},
	}
	e := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			o := anOrder("BAD")
			tt.edit(&o)
			_, _, err := e.svc.Ingest(context.Background(), o)
			var ve *service.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	_, _, err := e.store.GetOrder(context.Background(), "BAD")
	assert.ErrorIs(t, err, service.ErrNotFound)
}

// An order known only by unionid is linked at once to a customer the graph knows; for one it does not
// know yet, it is kept, shown on the card as soon as the customer appears, and linked by the pass.
func TestOrdersByUnionIDAreLinkedWhenTheCustomerAppears(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.graph.UpsertCustomer(ctx, service.Customer{ExternalUserID: "wm-known", UnionID: "o-known", Name: "已知"}))
	known := anOrder("U1")
	known.ExternalUserID, known.UnionID = "", "o-known"
	o, _, err := e.svc.Ingest(ctx, known)
	require.NoError(t, err)
	assert.Equal(t, "wm-known", o.ExternalUserID)

	later := anOrder("U2")
	later.ExternalUserID, later.UnionID = "", "o-later"
	o, _, err = e.svc.Ingest(ctx, later)
	require.NoError(t, err)
	assert.Empty(t, o.ExternalUserID, "no customer has the unionid yet: kept unlinked")
	n, err := e.svc.LinkOrders(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)

	require.NoError(t, e.graph.UpsertCustomer(ctx, service.Customer{ExternalUserID: "wm-later", UnionID: "o-later", Name: "后来"}))
	recent, err := e.svc.RecentOrders(ctx, "wm-later", 5)
	require.NoError(t, err)
	require.Len(t, recent, 1, "the card finds it by the customer's unionid before the pass")
	assert.Equal(t, "U2", recent[0].OrderID)

	n, err = e.svc.LinkOrders(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	got, _, err := e.store.GetOrder(ctx, "U2")
	require.NoError(t, err)
	assert.Equal(t, "wm-later", got.ExternalUserID)
	assert.Equal(t, []lineState{{"wm-later", false}, {"wm-later", false}}, e.lines(t, "U2"), "its lines too")
	recent, err = e.svc.RecentOrders(ctx, "wm-later", 5)
	require.NoError(t, err)
	assert.Len(t, recent, 1, "counted once after linking")
	_, _, err = e.svc.Ingest(ctx, later)
	assert.NoError(t, err, "the same order again after linking is still the same order")
}

func TestRecentOrdersNameStoresAndProducts(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.SaveProducts(ctx, []service.Product{{SKU: "P001", Name: "丝绒哑光口红", PriceFen: 19900, OnSale: true}}))
	for i, at := range []string{"2025-05-01T10:00:00+08:00", "2025-06-01T10:00:00+08:00", "2025-04-01T10:00:00+08:00"} {
		o := anOrder([]string{"A", "B", "C"}[i])
		o.PaidAt = at
		_, _, err := e.svc.Ingest(ctx, o)
		require.NoError(t, err)
	}
	other := anOrder("D")
	other.ExternalUserID = "wm-bob"
	_, _, err := e.svc.Ingest(ctx, other)
	require.NoError(t, err)

	got, err := e.svc.RecentOrders(ctx, "wm-alice", 2)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "B", got[0].OrderID, "newest first")
	assert.Equal(t, "A", got[1].OrderID)
	assert.Equal(t, "上海南京西路店", got[0].StoreName)
	assert.Equal(t, []service.OrderLine{{SKU: "P001", Name: "丝绒哑光口红", Qty: 1, PriceFen: 19900}, {SKU: "P002", Qty: 1, PriceFen: 9900}},
		got[0].Lines, "a SKU outside the catalogue has no name")
}

// Orders posted at once are written together; copies of one order posted concurrently store it once:
// one copy is Created, the others are Unchanged.
func TestIngestConcurrentCopiesStoreOneOrder(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	type result struct {
		id      string
		outcome catalog.Outcome
		err     error
	}
	results := make(chan result, 64)
	var wg sync.WaitGroup
	for i := range 48 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := anOrder(fmt.Sprintf("C%02d", i%12)) // four copies of each of 12 orders
			_, outcome, err := e.svc.Ingest(ctx, o)
			results <- result{o.OrderID, outcome, err}
		}()
	}
	wg.Wait()
	close(results)
	created, unchanged := map[string]int{}, 0
	for r := range results {
		switch {
		case r.err != nil:
			t.Fatalf("%s: %v", r.id, r.err)
		case r.outcome == catalog.Created:
			created[r.id]++
		default:
			unchanged++
		}
	}
	assert.Len(t, created, 12)
	for id, n := range created {
		assert.Equal(t, 1, n, id)
	}
	assert.Equal(t, 36, unchanged, "every other copy")
	var n int64
	require.NoError(t, e.db.Raw("SELECT COUNT(*) FROM order_lines WHERE corp_id = ?", corp).Scan(&n).Error)
	assert.Equal(t, int64(24), n, "two lines per order, stored once")
}
