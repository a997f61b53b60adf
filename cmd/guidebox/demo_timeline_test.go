package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/repo/timelinedb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/timeline"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// The offline demo's start leaves its customers a plausible timeline: the add with its channel's name,
// purchases, a follow-up note, a product shared, a reply and a material sent, newest first.
func TestDemoSeedsATimeline(t *testing.T) {
	ctx := context.Background()
	db := repotest.New(t)
	s, err := sim.New(sim.Config{CorpID: demoCorpID, Secret: demoSecret + repotest.RandomHex(4), Seed: 1, Clock: &demoClock{}})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	wc, err := wecom.NewClient(wecom.Config{CorpID: demoCorpID, Secret: s.Config().Secret, BaseURL: srv.URL})
	require.NoError(t, err)
	var cfg Config
	cfg.WeCom.CorpID, cfg.Worker.Enabled, cfg.Workbench.Timezone = demoCorpID, true, "Asia/Shanghai"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := &app{cfg: cfg, log: log, db: db, tx: repo.NewTxManager(db), inbox: graphdb.NewInboxStore(db), graph: graphdb.New(db, demoCorpID), wc: wc,
		products: catalogdb.New(db, demoCorpID)}
	a.catalog = catalog.NewService(a.products, a.tx, log)
	a.newRecommendations()
	t.Cleanup(func() { a.catalog.Close(); a.autotags.Close(); a.recommend.Close() })
	corp := sim.DemoCorp(1)
	require.NoError(t, a.catalog.SaveProducts(ctx, demoProducts(corp)))
	wb, err := a.newWorkbench()
	require.NoError(t, err)
	side := sidebar.NewService(sidebardb.New(db, demoCorpID), a.products, nil, nil, a.catalog)
	rt := &simRuntime{sim: s, clock: &demoClock{}, demo: true}
	rt.seedWorkbench = func(ctx context.Context) error { return seedDemoWorkbench(ctx, a, wb, side) }
	rt.afterStart(ctx, a, log, "http://127.0.0.1:8080")

	guide := ""
	for _, g := range corp.Users {
		if guide == "" && g.Status == 1 {
			guide = g.UserID
		}
	}
	ids, err := a.graph.ActiveCustomerIDs(ctx, guide, "", 1)
	require.NoError(t, err)
	require.Len(t, ids, 1)
	tl := timeline.NewService(timelinedb.New(db, demoCorpID))
	kinds := map[string]bool{}
	var all []timeline.Entry
	for before := "start"; before != ""; {
		if before == "start" {
			before = ""
		}
		p, err := tl.Page(ctx, guide, ids[0], before)
		require.NoError(t, err)
		all, before = append(all, p.Entries...), p.Next
	}
	for i, e := range all {
		kinds[e.Kind] = true
		assert.NotEmpty(t, e.Title)
		if i > 0 {
			assert.False(t, e.At.After(all[i-1].At), "newest first")
		}
	}
	for _, k := range []string{service.ActivityCustomerAdded, service.ActivityNoteAdded, service.ActivityProductShared,
		service.ActivityReplySent, service.ActivityMaterialSent} {
		assert.True(t, kinds[k], "the demo customer's timeline has %s", k)
	}
	t.Logf("demo timeline of %s: %d entries, kinds %v", ids[0], len(all), kinds)
}
