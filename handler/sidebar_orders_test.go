package handler_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/wecom/sim"
)

func fenOf(n int64) *int64 { return &n }

// The card's 最近订单: the customer's latest orders with date, store, items, amount and refunds.
func TestSidebarCardShowsOrders(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	ctx := context.Background()
	store := st.guideStore(t, st.guideA)
	orders := []catalog.OrderInput{
		{OrderID: "T-OLD", ExternalUserID: st.mine, StoreID: store, PaidAt: "2025-03-01T10:00:00+08:00", TotalFen: fenOf(12900), Status: "refunded",
			Lines: []catalog.LineInput{{SKU: "P019", Qty: 1, PriceFen: fenOf(12900)}}},
		{OrderID: "T-NEW", ExternalUserID: st.mine, StoreID: store, GuideUserID: st.guideA, PaidAt: "2025-06-18T20:15:00+08:00",
			TotalFen: fenOf(39800), Status: "paid", Lines: []catalog.LineInput{{SKU: "P001", Qty: 2, PriceFen: fenOf(19900)}, {SKU: "X-GONE", Qty: 1, PriceFen: fenOf(0)}}},
		{OrderID: "T-OTHER", ExternalUserID: st.otherCus, StoreID: store, PaidAt: "2025-06-19T10:00:00+08:00", TotalFen: fenOf(1), Status: "paid",
			Lines: []catalog.LineInput{{SKU: "P001", Qty: 1, PriceFen: fenOf(1)}}},
	}
	for _, o := range orders {
		_, _, err := st.cat.Ingest(ctx, o)
		require.NoError(t, err)
	}
	w := st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", st.demoSession(t, st.guideA))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	card := decode(t, w)
	assert.Equal(t, true, card["orders_enabled"])
	got := card["orders"].([]any)
	require.Len(t, got, 2, "the customer's orders only")
	newest := got[0].(map[string]any)
	assert.Equal(t, "T-NEW", newest["order_id"])
	assert.Equal(t, "2025-06-18T12:15:00Z", newest["paid_at"])
	assert.NotEmpty(t, newest["store_name"])
	assert.Equal(t, float64(39800), newest["total_fen"])
	assert.Equal(t, false, newest["refunded"])
	assert.Equal(t, []any{
		map[string]any{"sku": "P001", "name": "丝绒哑光口红", "qty": float64(2), "price_fen": float64(19900)},
		map[string]any{"sku": "X-GONE", "name": "", "qty": float64(1), "price_fen": float64(0)},
	}, newest["items"])
	old := got[1].(map[string]any)
	assert.Equal(t, true, old["refunded"])
	assert.NotNil(t, old["refunded_at"])
}

// A share is refused for a product the guide's store does not carry (stock rows elsewhere only).
func TestShareNeedsTheProductInTheGuidesStore(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	store := st.guideStore(t, st.guideA)
	var elsewhere, here string
	for _, p := range sim.DemoProducts() {
		switch {
		case p.StoreID != 0 && int64(p.StoreID) != store:
			elsewhere = p.ID
		case p.StoreID != 0:
			here = p.ID
		}
	}
	body := `{"product_id":"%s","external_userid":"` + st.mine + `","msgtype":"news"}`
	w := st.do(t, http.MethodPost, "/api/sidebar/shares", fmt.Sprintf(body, elsewhere), me)
	assert.Equal(t, http.StatusForbidden, w.Code, w.Body.String())
	w = st.do(t, http.MethodPost, "/api/sidebar/shares", fmt.Sprintf(body, here), me)
	assert.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	require.NoError(t, st.cat.SaveProducts(context.Background(), []service.Product{{SKU: "OFF", Name: "下架品", OnSale: false}}))
	w = st.do(t, http.MethodPost, "/api/sidebar/shares", fmt.Sprintf(body, "OFF"), me)
	assert.Equal(t, http.StatusNotFound, w.Code, "an off-sale product cannot be shared")
}

// guideStore is the store (main department) of a guide in the graph.
func (st *sidebarStack) guideStore(t *testing.T, userID string) int64 {
	t.Helper()
	var store int64
	require.NoError(t, st.db.Raw("SELECT store_id FROM guides WHERE corp_id = ? AND userid = ?", sbCorp, userID).Scan(&store).Error)
	require.NotZero(t, store)
	return store
}

// A secondary part that cannot be read (here the orders' table is gone) leaves the card whole: the
// customer, tags and handover line are there, the orders section says it is unavailable, and the
// recommendations still come or are named unavailable on their own.
func TestCardStaysWhenOrdersCannotBeRead(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	sess := st.demoSession(t, st.guideA)
	w := st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", sess)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, []any{}, decode(t, w)["unavailable"], "nothing left out while every table answers")

	require.NoError(t, st.db.Exec("RENAME TABLE orders TO orders_moved_away").Error)
	w = st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", sess)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	card := decode(t, w)
	assert.Contains(t, card["unavailable"], "orders")
	assert.NotEmpty(t, card["customer"].(map[string]any)["name"])
	assert.NotEmpty(t, card["tags"])
	assert.Equal(t, []any{}, card["orders"])
}
