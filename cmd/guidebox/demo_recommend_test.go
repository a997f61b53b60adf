package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// The offline demo's start gives it auto-tag rules of every kind, tags its customers from their
// purchase history (高消费 written to WeCom too) and builds the recommendations' index: two customers
// of one guide get different lists, each item with its reason, nothing out of stock. A restart adds
// no rule.
func TestDemoTagsCustomersAndRecommends(t *testing.T) {
	ctx := context.Background()
	db := repotest.New(t)
	s, err := sim.New(sim.Config{CorpID: demoCorpID, Secret: demoSecret + repotest.RandomHex(4), Seed: 1, Clock: &demoClock{}})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	wc, err := wecom.NewClient(wecom.Config{CorpID: demoCorpID, Secret: s.Config().Secret, BaseURL: srv.URL})
	require.NoError(t, err)
	var cfg Config
	cfg.WeCom.CorpID, cfg.Worker.Enabled = demoCorpID, true
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := &app{cfg: cfg, log: log, db: db, tx: repo.NewTxManager(db), inbox: graphdb.NewInboxStore(db), graph: graphdb.New(db, demoCorpID), wc: wc,
		products: catalogdb.New(db, demoCorpID)}
	a.catalog = catalog.NewService(a.products, a.tx, log)
	a.newRecommendations()
	t.Cleanup(func() { a.catalog.Close(); a.autotags.Close(); a.recommend.Close() })
	corp := sim.DemoCorp(1)
	require.NoError(t, a.catalog.SaveProducts(ctx, demoProducts(corp)))
	start := time.Now()
	(&simRuntime{sim: s, clock: &demoClock{}, demo: true}).afterStart(ctx, a, log, "http://127.0.0.1:8080")
	t.Logf("demo start (directory, reconciliation, %d orders, rules, pass, marks, index) took %s", len(sim.DemoOrders(corp, time.Now())),
		time.Since(start).Round(time.Millisecond))

	rules, err := a.autotags.Rules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, len(demoRules()))
	for _, r := range rules {
		if r.Kind != "dormant" && r.Name != "消费阶段·流失" {
			assert.Positive(t, r.Customers, "%s tags someone", r.Name)
		}
	}
	var marked int64
	require.NoError(t, db.Raw("SELECT COUNT(*) FROM autotag_marks WHERE corp_id = ? AND state = 'done'", demoCorpID).Scan(&marked).Error)
	assert.Positive(t, marked, "高消费 is in WeCom")

	// Two customers of one guide, with orders, get different lists with reasons.
	guide := corp.Users[0]
	var lists [][]service.Recommendation
	for _, f := range corp.Follows {
		if f.UserID != guide.UserID || len(lists) == 2 {
			continue
		}
		rs, err := a.recommend.Recommend(ctx, service.RecommendInput{UserID: guide.UserID, StoreID: int64(guide.MainDepartment),
			ExternalUserID: f.ExternalUserID, TagIDs: f.TagIDs, Limit: 5})
		require.NoError(t, err)
		if len(rs) == 5 {
			lists = append(lists, rs)
		}
	}
	require.Len(t, lists, 2)
	assert.NotEqual(t, lists[0][0].Product.SKU+lists[0][1].Product.SKU, lists[1][0].Product.SKU+lists[1][1].Product.SKU)
	for _, l := range lists {
		for _, r := range l {
			assert.NotEmpty(t, r.Reason)
			if len(r.Product.Stock) > 0 {
				assert.Positive(t, r.Product.Stock[0].Qty, "%s: nothing out of stock", r.Product.SKU)
			}
		}
	}
	require.NoError(t, a.seedDemoRecommendations(ctx, log))
	rules, err = a.autotags.Rules(ctx)
	require.NoError(t, err)
	assert.Len(t, rules, len(demoRules()), "a restart adds no rule")
}
