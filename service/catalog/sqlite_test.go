package catalog_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler/sheet"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

// The embedded SQLite default (make run) runs the catalogue's main flows: import, export, orders,
// refunds, linking by unionid and the card's recent orders.
func TestCatalogOnSQLite(t *testing.T) {
	e := newEnvOn(t, repotest.NewSQLite(t))
	ctx := context.Background()
	rep, err := e.svc.ImportProducts(ctx, rows(t, gbk(t, productsCSV)))
	require.NoError(t, err)
	assert.Equal(t, catalog.Report{Rows: 2, Imported: 2}, rep)
	ps, err := e.store.StoreProducts(ctx, 3, 10)
	require.NoError(t, err)
	require.Len(t, ps, 1, "P001 is carried by store 3 (sold out there); P002 is off sale")
	assert.Equal(t, []service.StoreStock{{StoreID: 3, Qty: 0}}, ps[0].Stock, "only this store's stock")
	ps, err = e.store.StoreProducts(ctx, 4, 10)
	require.NoError(t, err)
	assert.Empty(t, ps, "store 4 carries neither")

	var buf bytes.Buffer
	w, err := sheet.NewWriter(&buf, sheet.XLSX)
	require.NoError(t, err)
	require.NoError(t, e.svc.ExportProducts(ctx, w))
	require.NoError(t, w.Close())
	rep, err = e.svc.ImportProducts(ctx, rows(t, buf.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Imported)

	o := anOrder("S1")
	o.ExternalUserID, o.UnionID = "", "o-sqlite"
	_, outcome, err := e.svc.Ingest(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, catalog.Created, outcome)
	o.Status = service.OrderRefunded
	_, outcome, err = e.svc.Ingest(ctx, o)
	require.NoError(t, err)
	assert.Equal(t, catalog.Refunded, outcome)
	require.NoError(t, e.graph.UpsertCustomer(ctx, service.Customer{ExternalUserID: "wm-s", UnionID: "o-sqlite", Name: "S"}))
	recent, err := e.svc.RecentOrders(ctx, "wm-s", 5)
	require.NoError(t, err)
	require.Len(t, recent, 1)
	assert.Equal(t, "上海南京西路店", recent[0].StoreName)
	assert.Equal(t, "丝绒哑光口红", recent[0].Lines[0].Name)
	n, err := e.svc.LinkOrders(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, []lineState{{"wm-s", true}, {"wm-s", true}}, e.lines(t, "S1"))
}
