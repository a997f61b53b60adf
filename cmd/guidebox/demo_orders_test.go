package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom/sim"
)

// The demo seeds its catalogue and purchase history through the catalogue service; a restart the
// same day finds them stored and adds nothing.
func TestDemoCatalogSeeds(t *testing.T) {
	ctx := context.Background()
	cfg, err := LoadConfig("")
	require.NoError(t, err)
	cfg.Database.Driver, cfg.Database.DSN = "mysql", repotest.DSN(t)
	cfg.WeCom = WeComConfig{CorpID: demoCorpID, Secret: demoSecret, Token: demoToken, AESKey: demoAESKey}
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	defer a.close()
	corp := sim.DemoCorp(1)
	var stores []service.Store
	for _, d := range corp.Departments {
		stores = append(stores, service.Store{ID: int64(d.ID), Name: d.Name, ParentID: int64(d.ParentID)})
	}
	require.NoError(t, a.graph.UpsertStores(ctx, stores))
	require.NoError(t, a.seedDemoProducts(ctx))
	n, err := a.seedDemoOrders(ctx, corp)
	require.NoError(t, err)
	assert.Equal(t, len(sim.DemoOrders(corp, time.Now())), n, "every demo order stored")
	again, err := a.seedDemoOrders(ctx, corp)
	require.NoError(t, err)
	assert.Zero(t, again, "a restart adds nothing")
	p, err := a.products.GetProduct(ctx, "P001")
	require.NoError(t, err)
	assert.Equal(t, "兰蔻", p.Brand)
	assert.Len(t, p.Stock, 4, "stocked in the four stores")
	assert.NotEmpty(t, p.TagIDs, "tagged with its 偏好品类 tag")
}
