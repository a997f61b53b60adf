package catalog_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

func skus(ps []service.Product) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.SKU
	}
	return out
}

func TestProductsSearchFiltersAndPagesBySKU(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.SaveProducts(ctx, []service.Product{
		{SKU: "P001", Name: "玻尿酸面霜", Brand: "雅诗", Category: "美妆", PriceFen: 19900, OnSale: true, Stock: []service.StoreStock{{StoreID: 2, Qty: 5}, {StoreID: 3, Qty: 0}}},
		{SKU: "P002", Name: "保湿面膜 10 片", Brand: "雅诗", Category: "美妆", PriceFen: 9900, OnSale: false},
		{SKU: "H001", Name: "亚麻床品四件套", Brand: "素居", Category: "家居", PriceFen: 59900, OnSale: true},
		{SKU: "H002", Name: "100%_纯棉毛巾", Brand: "素居", Category: "家居", PriceFen: 2900, OnSale: true},
	}))
	yes, no := true, false
	tests := []struct {
		name string
		q    catalog.ProductQuery
		want []string
	}{
		{"everything by SKU", catalog.ProductQuery{}, []string{"H001", "H002", "P001", "P002"}},
		{"part of the name", catalog.ProductQuery{Q: "面"}, []string{"P001", "P002"}},
		{"a SKU prefix", catalog.ProductQuery{Q: "h00"}, nil},
		{"a SKU prefix, its case", catalog.ProductQuery{Q: "H00"}, []string{"H001", "H002"}},
		{"LIKE's wildcards are text", catalog.ProductQuery{Q: "%_"}, []string{"H002"}},
		{"category", catalog.ProductQuery{Category: "家居"}, []string{"H001", "H002"}},
		{"brand and on sale", catalog.ProductQuery{Brand: "雅诗", OnSale: &yes}, []string{"P001"}},
		{"not on sale", catalog.ProductQuery{OnSale: &no}, []string{"P002"}},
		{"a page after a SKU", catalog.ProductQuery{After: "H002", Limit: 1}, []string{"P001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := e.svc.Products(ctx, tt.q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, nilIfEmpty(skus(ps)))
		})
	}
	ps, err := e.svc.Products(ctx, catalog.ProductQuery{Q: "P001"})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, []service.StoreStock{{StoreID: 2, Qty: 5}, {StoreID: 3, Qty: 0}}, ps[0].Stock, "stock in every store")

	f, err := e.svc.ProductFacets(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"家居", "美妆"}, f.Categories)
	assert.Equal(t, []string{"素居", "雅诗"}, f.Brands)

	_, err = e.svc.Products(ctx, catalog.ProductQuery{Q: string(make([]rune, 65))})
	var ve *service.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "q", ve.Field)
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func orderIDs(os []catalog.ListedOrder) []string {
	out := []string{}
	for _, o := range os {
		out = append(out, o.OrderID)
	}
	return out
}

func TestOrdersListNamesFiltersPagesAndKeepsToTheScope(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.graph.UpsertCustomer(ctx, service.Customer{ExternalUserID: "wm-alice", Name: "王小美", Avatar: "https://a/1.png"}))
	require.NoError(t, e.graph.UpsertGuide(ctx, service.Guide{UserID: "zhangsan", Name: "张三", StoreID: 2, Status: service.GuideActive}))
	require.NoError(t, e.svc.SaveProducts(ctx, []service.Product{{SKU: "P001", Name: "玻尿酸面霜", PriceFen: 19900, OnSale: true}}))
	for i, store := range []int64{2, 2, 3, 2} {
		o := anOrder(fmt.Sprintf("SO-%d", i+1))
		o.StoreID, o.PaidAt = store, fmt.Sprintf("2025-05-0%dT10:00:00+08:00", i+1)
		_, _, err := e.svc.Ingest(ctx, o)
		require.NoError(t, err)
	}
	refund := anOrder("SO-2")
	refund.PaidAt, refund.Status = "2025-05-02T10:00:00+08:00", service.OrderRefunded
	_, _, err := e.svc.Ingest(ctx, refund)
	require.NoError(t, err)
	other := anOrder("XO-9")
	other.ExternalUserID, other.PaidAt = "wm-bob", "2025-04-01T10:00:00+08:00"
	_, _, err = e.svc.Ingest(ctx, other)
	require.NoError(t, err)

	all, err := e.svc.Orders(ctx, catalog.OrderQuery{})
	require.NoError(t, err)
	assert.Equal(t, []string{"SO-4", "SO-3", "SO-2", "SO-1", "XO-9"}, orderIDs(all), "newest first")
	first := all[0]
	assert.Equal(t, "王小美", first.CustomerName)
	assert.Equal(t, "张三", first.GuideName)
	assert.Equal(t, "上海南京西路店", first.StoreName)
	require.Len(t, first.Lines, 2)
	assert.Equal(t, "玻尿酸面霜", first.Lines[0].Name)

	for name, tt := range map[string]struct {
		q    catalog.OrderQuery
		want []string
	}{
		"by the customer's name": {catalog.OrderQuery{Q: "小美"}, []string{"SO-4", "SO-3", "SO-2", "SO-1"}},
		"by external_userid":     {catalog.OrderQuery{Q: "wm-bob"}, []string{"XO-9"}},
		"by an order id prefix":  {catalog.OrderQuery{Q: "XO"}, []string{"XO-9"}},
		"by store":               {catalog.OrderQuery{StoreIDs: []int64{3}}, []string{"SO-3"}},
		"refunded":               {catalog.OrderQuery{Status: service.OrderRefunded}, []string{"SO-2"}},
		"a page before a cursor": {catalog.OrderQuery{Before: &catalog.OrderCursor{PaidAt: all[1].PaidAt, OrderID: all[1].OrderID}, Limit: 2}, []string{"SO-2", "SO-1"}},
	} {
		t.Run(name, func(t *testing.T) {
			os, err := e.svc.Orders(ctx, tt.q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, orderIDs(os))
		})
	}

	mgr := service.WithScope(ctx, service.Scope{UserID: "mgr", Role: service.RoleStoreManager, Stores: []int64{3}})
	mine, err := e.svc.Orders(mgr, catalog.OrderQuery{})
	require.NoError(t, err)
	assert.Equal(t, []string{"SO-3"}, orderIDs(mine), "a store manager reads their stores' orders only")
	_, err = e.svc.Orders(mgr, catalog.OrderQuery{StoreIDs: []int64{2}})
	require.ErrorIs(t, err, service.ErrForbidden, "another store's orders")
	_, err = e.svc.Orders(ctx, catalog.OrderQuery{Status: "void"})
	var ve *service.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "status", ve.Field)
}
