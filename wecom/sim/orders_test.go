package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The demo's purchase history is fixed for a corp and a day, sells only what the store carries,
// and mixes the cases the card shows: several orders a customer, refunds, orders known by unionid.
func TestDemoOrders(t *testing.T) {
	corp := DemoCorp(1)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	orders := DemoOrders(corp, now)
	assert.Equal(t, orders, DemoOrders(DemoCorp(1), now), "deterministic")
	assert.Greater(t, len(orders), 300)
	assert.Less(t, len(orders), 600)
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
}
