package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo's purchase history is fixed for a corp and a day, sells only what the store carries,
// and mixes the cases the card and the recommendations show: several orders a customer, refunds,
// orders known by unionid, consumables bought again, kinds bought together, a baby's stages.
func TestDemoOrders(t *testing.T) {
	corp := DemoCorp(1)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	orders := DemoOrders(corp, now)
	assert.Equal(t, orders, DemoOrders(DemoCorp(1), now), "deterministic")
	assert.Greater(t, len(orders), 2000, "a few thousand")
	assert.Less(t, len(orders), 5000)
	carried := map[string]int{}
	for _, p := range DemoProducts() {
		carried[p.ID] = p.StoreID
		assert.NotEmpty(t, p.Brand, p.ID)
		assert.NotEmpty(t, p.Stock, p.ID)
	}
	refunded, byUnion := 0, 0
	for _, o := range orders {
		require.NotEmpty(t, o.Lines, o.ID)
		assert.True(t, o.PaidAt.Before(now) && o.PaidAt.After(now.AddDate(-1, 0, -1)), o.ID)
		assert.Contains(t, []int{2, 3, 4, 5}, o.StoreID, o.ID)
		sum := 0
		for _, l := range o.Lines {
			assert.Contains(t, []int{0, o.StoreID}, carried[l.ProductID], "%s sells %s", o.ID, l.ProductID)
			sum += l.Qty * l.Price
		}
		assert.LessOrEqual(t, o.Total, sum, o.ID)
		if o.Refunded {
			refunded++
		}
		if o.ExternalUserID == "" {
			assert.NotEmpty(t, o.UnionID, o.ID)
			byUnion++
		}
	}
	assert.Positive(t, refunded)
	assert.Positive(t, byUnion)

	kind, stage := map[string]string{}, map[string]string{}
	for _, p := range DemoProducts() {
		kind[p.ID], stage[p.ID] = p.Kind, p.Stage
	}
	again, pairs, stages := 0, 0, map[string]bool{}
	bought := map[string]int{}
	for _, o := range orders {
		kinds := map[string]bool{}
		for _, l := range o.Lines {
			bought[o.ExternalUserID+"/"+l.ProductID]++
			kinds[kind[l.ProductID]] = true
			if s := stage[l.ProductID]; s != "" {
				stages[s] = true
			}
		}
		if kinds["新生儿纸尿裤"] && kinds["婴儿湿巾"] || kinds["咖啡豆"] && kinds["马克杯"] || kinds["洁面乳"] && kinds["柔肤水"] {
			pairs++
		}
	}
	for _, n := range bought {
		if n >= 3 {
			again++
		}
	}
	assert.Greater(t, again, 100, "customers buying a consumable again and again")
	assert.Greater(t, pairs, 20, "kinds bought together")
	assert.Len(t, stages, 3, "孕期, 0-1岁 and 1-3岁 products bought")
}
