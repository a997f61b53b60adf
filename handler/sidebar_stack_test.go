package handler_test

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

const (
	sbCorp    = "wwsidebartest00001"
	sbAgent   = 1000002
	sbSecret  = "sidebar-test-secret"
	sbKey     = "sidebar-test-session-key-0123456789"
	sbHandoff = "客户偏好周末到店，喜欢大地色系"
)

// sidebarStack is the real sidebar on MySQL with the simulator as WeCom: the demo corp loaded into the
// simulator and copied into the graph the way serve does it (directory sync, then reconciliation).
type sidebarStack struct {
	sim    *sim.Sim
	wc     *wecom.Client
	db     *gorm.DB
	graph  *graph.Service
	store  *sidebardb.Store
	router http.Handler
	corp   *sim.Corp
	// The scenario: guide A's customers, one inherited from guide Prev, one lost, one of another guide.
	guideA, guidePrev, guideOther   string
	mine, inherited, lost, otherCus string
	groupA, groupOther              string
}

type stackOpts struct {
	demo   bool
	ui     fs.FS
	extra  []handler.Mounter
	admins []string // sidebar.admins; default ["admin"], no guide of the demo corp
	readNow bool // cards read WeCom on the spot (the graph service as the sidebar's ContactReader)
}

func newSidebarStack(t testing.TB, o stackOpts) *sidebarStack {
	t.Helper()
	ctx := context.Background()
	s, err := sim.New(sim.Config{CorpID: sbCorp, AgentID: sbAgent, Secret: sbSecret, Seed: 1})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	wc, err := wecom.NewClient(wecom.Config{CorpID: sbCorp, AgentID: sbAgent, Secret: sbSecret, BaseURL: srv.URL})
	require.NoError(t, err)
	db := repotest.New(t)
	log := slog.New(slog.DiscardHandler)
	st := &sidebarStack{sim: s, wc: wc, db: db, corp: sim.DemoCorp(1), store: sidebardb.New(db, sbCorp)}
	st.graph = graph.NewService(graphdb.New(db, sbCorp), graphdb.NewInboxStore(db), wecom.NewDirectory(wc), repo.NewTxManager(db), nil, log)
	require.NoError(t, s.Load(st.corp))
	st.pickScenario(t)
	require.NoError(t, st.graph.SyncDirectory(ctx))
	for _, u := range st.corp.Users {
		require.NoError(t, st.graph.SyncGuide(ctx, u.UserID))
		_, err := st.graph.ReconcileGuide(ctx, u.UserID, time.Now())
		require.NoError(t, err)
	}
	require.NoError(t, s.CustomerDeletesGuide(st.guideA, st.lost)) // reaches the graph as drift that reconciliation repairs
	_, err = st.graph.ReconcileGuide(ctx, st.guideA, time.Now())
	require.NoError(t, err)
	st.handOver(t)
	require.NoError(t, st.store.UpsertProducts(ctx, demoProducts(s)))
	st.router = st.buildRouter(t, o, log)
	return st
}

// pickScenario chooses ids from the demo corp and plays, in the simulator, guide A adding the customer
// that A is about to take over from guide Prev.
func (st *sidebarStack) pickScenario(t testing.TB) {
	t.Helper()
	followers := map[string][]string{}
	for _, f := range st.corp.Follows {
		followers[f.ExternalUserID] = append(followers[f.ExternalUserID], f.UserID)
	}
	var single []sim.Follow // customers with one follower
	for _, f := range st.corp.Follows {
		if len(followers[f.ExternalUserID]) == 1 {
			single = append(single, f)
		}
	}
	st.guideA = st.corp.Groups[0].Owner
	var mineIDs []string
	for _, f := range single {
		switch {
		case f.UserID == st.guideA && len(f.TagIDs) > 0:
			mineIDs = append(mineIDs, f.ExternalUserID)
		case f.UserID != st.guideA && st.otherCus == "":
			st.otherCus, st.guideOther = f.ExternalUserID, f.UserID
		case f.UserID != st.guideA && st.inherited == "" && f.Remark != "":
			st.inherited, st.guidePrev = f.ExternalUserID, f.UserID
		}
	}
	require.GreaterOrEqual(t, len(mineIDs), 2, "demo corp: guide A needs customers")
	require.NotEmpty(t, st.inherited, "demo corp: a customer with a remark to hand over")
	st.mine, st.lost = mineIDs[0], mineIDs[1]
	_, _, err := st.sim.CustomerAddsGuide(st.guideA, sim.Customer{ExternalUserID: st.inherited}, "")
	require.NoError(t, err)
	for _, g := range st.corp.Groups {
		if g.Owner == st.guideA && st.groupA == "" {
			st.groupA = g.ChatID
		} else if g.Owner != st.guideA && st.groupOther == "" && !memberOf(g, st.guideA) {
			st.groupOther = g.ChatID
		}
	}
	require.NotEmpty(t, st.groupA, "demo corp: guide A owns a group")
}

func memberOf(g sim.Group, userID string) bool {
	for _, m := range g.Members {
		if m.UserID == userID {
			return true
		}
	}
	return false
}

// handOver records guide A as the inherited customer's owner, as the handover flow does when a transfer completes.
func (st *sidebarStack) handOver(t testing.TB) {
	t.Helper()
	require.NoError(t, st.graph.AssignOwner(context.Background(), st.inherited, st.guideA, service.OwnerTransferred, sbHandoff,
		time.Now()))
}

func (st *sidebarStack) buildRouter(t testing.TB, o stackOpts, log *slog.Logger) http.Handler {
	t.Helper()
	adapter := wecom.NewSidebar(st.wc)
	var reader sidebar.ContactReader
	if o.readNow {
		reader = st.graph
	}
	admins := o.admins
	if admins == nil {
		admins = []string{"admin"}
	}
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), CorpID: sbCorp, AgentID: sbAgent,
		Admins: admins, Demo: o.demo}, adapter, graphdb.New(st.db, sbCorp))
	require.NoError(t, err)
	side := handler.NewSidebarHandler(handler.SidebarDeps{
		Sidebar:  sidebar.NewService(st.store, adapter, nil, nil, reader),
		Sessions: sessions,
		JSAPI:    sidebar.NewJSAPIService(adapter, sbCorp, sbAgent, []string{"example.com", "127.0.0.1"}),
		UI:       o.ui, Demo: o.demo, Log: log,
	})
	return handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{}, nil }),
		Ready: func(context.Context) error { return nil }, Features: append([]handler.Mounter{side}, o.extra...)})
}

// demoProducts is the simulator's demo catalogue with each product tagged by its 偏好品类 tag.
func demoProducts(s *sim.Sim) []sidebar.Product {
	var out []sidebar.Product
	for i, p := range sim.DemoProducts() {
		sp := sidebar.Product{ProductID: p.ID, Name: p.Name, Description: p.Category, PriceCents: int64(p.Price),
			LinkURL: "https://shop.example.com/products/" + p.ID, StoreID: int64(p.StoreID), Order: int64(100 - i)}
		if id := s.TagID("偏好品类", p.Category); id != "" {
			sp.TagIDs = []string{id}
		}
		out = append(out, sp)
	}
	return out
}
