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
	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/recommenddb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/repo/tasksdb"
	"github.com/guidebox/guidebox/repo/timelinedb"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/recommend"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/service/timeline"
	"github.com/guidebox/guidebox/service/workbench"
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
	cat    *catalog.Service // products, stock and orders
	wb     *workbench.Service
	side   *sidebar.Service
	rec    *recommend.Service
	router http.Handler
	corp   *sim.Corp
	admin  string // a guide listed in sidebar.admins
	// The scenario: guide A's customers, one inherited from guide Prev, one lost, one of another guide.
	guideA, guidePrev, guideOther   string
	mine, inherited, lost, otherCus string
	groupA, groupOther              string
	tasks                           *tasks.Service // with stackOpts.tasks
	task                            tasks.Task     // seeded for guide A, its 群发 created in the simulator
}

type stackOpts struct {
	demo   bool
	ui     fs.FS
	extra  []handler.Mounter
	admins []string // sidebar.admins; default ["admin"], no guide of the demo corp
	tasks  bool     // mount the guide's tasks and seed one for guide A
	// console marks store managers as admins in sessions (sidebar.SessionConfig.Console); nil: admins only
	console sidebar.ConsoleAccess
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
	st.cat = catalog.NewService(catalogdb.New(db, sbCorp), repo.NewTxManager(db), log)
	t.Cleanup(st.cat.Close)
	require.NoError(t, st.cat.SaveProducts(ctx, demoProducts(s)))
	st.rec = recommend.New(recommend.Config{}, recommenddb.New(db, sbCorp), log)
	t.Cleanup(st.rec.Close)
	if o.tasks {
		st.seedTask(t, log)
	}
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
	for _, u := range st.corp.Users {
		if st.admin == "" && u.UserID != st.guideA && u.UserID != st.guideOther && u.UserID != st.guidePrev {
			st.admin = u.UserID
		}
	}
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
		admins = []string{"admin", st.admin}
	}
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), CorpID: sbCorp, AgentID: sbAgent,
		Admins: admins, Console: o.console, Demo: o.demo}, adapter, graphdb.New(st.db, sbCorp))
	require.NoError(t, err)
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	st.wb = workbench.New(workbenchdb.New(st.db, sbCorp), wecom.NewMaterials(st.wc), workbench.Config{Location: loc})
	sideSvc := sidebar.NewService(st.store, catalogdb.New(st.db, sbCorp), adapter, st.rec, st.cat).WithWorkbench(cardWorkbench{st.wb}).
		WithContactReader(reader)
	st.side = sideSvc
	side := handler.NewSidebarHandler(handler.SidebarDeps{
		Sidebar:  sideSvc,
		Sessions: sessions,
		JSAPI:    sidebar.NewJSAPIService(adapter, sbCorp, sbAgent, []string{"example.com", "127.0.0.1"}),
		UI:       o.ui, Demo: o.demo, Log: log, Tasks: st.tasks,
	})
	wbRoutes := handler.NewWorkbenchHandler(handler.WorkbenchDeps{Workbench: st.wb, Sessions: sessions, Log: log})
	acc, err := access.New(access.Config{Admins: admins}, accessdb.New(st.db, sbCorp), nil)
	require.NoError(t, err)
	wbAdmin := handler.NewWorkbenchAdminHandler(handler.WorkbenchAdminDeps{Workbench: st.wb, Sidebar: sideSvc, Sessions: sessions,
		Access: acc, Log: log})
	tl := handler.NewTimelineHandler(handler.TimelineDeps{Timeline: timeline.NewService(timelinedb.New(st.db, sbCorp)), Sessions: sessions, Log: log})
	return handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{}, nil }),
		Ready: func(context.Context) error { return nil }, Features: append([]handler.Mounter{side, wbRoutes, wbAdmin, tl}, o.extra...)})
}

// cardWorkbench is the card's Workbench port over the workbench, as cmd/guidebox wires it.
type cardWorkbench struct{ wb *workbench.Service }

func (c cardWorkbench) CardSummary(ctx context.Context, userID, extID string) (sidebar.WorkbenchSummary, error) {
	s, err := c.wb.Summary(ctx, userID, extID)
	return sidebar.WorkbenchSummary{Stage: s.StageName, NextFollowUp: s.NextFollowUp}, err
}

func (c cardWorkbench) ChannelName(ctx context.Context, state string) (string, error) {
	return c.wb.ChannelName(ctx, state)
}

// demoProducts is the simulator's demo catalogue with each product tagged by its 偏好品类 tag (and a 母婴
// product by its 母婴阶段 tag).
func demoProducts(s *sim.Sim) []service.Product {
	var out []service.Product
	for i, p := range sim.DemoProducts() {
		sp := service.Product{SKU: p.ID, Name: p.Name, Brand: p.Brand, Category: p.Category, PriceFen: int64(p.Price), OnSale: true,
			LinkURL: "https://shop.example.com/products/" + p.ID, Order: int64(1000 - i)}
		if id := s.TagID("偏好品类", p.Category); id != "" {
			sp.TagIDs = []string{id}
		}
		if id := s.TagID("母婴阶段", p.Stage); p.Stage != "" && id != "" {
			sp.TagIDs = append(sp.TagIDs, id)
		}
		for _, q := range p.Stock {
			sp.Stock = append(sp.Stock, service.StoreStock{StoreID: int64(q.StoreID), Qty: int64(q.Qty)})
		}
		out = append(out, sp)
	}
	return out
}

// seedTask creates a task for guide A's customer and runs it: the 群发 waits for guide A in WeCom.
func (st *sidebarStack) seedTask(t testing.TB, log *slog.Logger) {
	t.Helper()
	ctx := context.Background()
	svc, err := tasks.New(tasks.Config{}, tasksdb.New(st.db, sbCorp), wecom.NewMass(st.wc), repo.NewTxManager(st.db), tasks.Deps{}, log)
	require.NoError(t, err)
	st.tasks = svc
	st.task, err = svc.Create(ctx, "admin", tasks.NewTask{Title: "周末新品上市", Text: "您好，周末新品已到店，欢迎来试穿～",
		Links:  []tasks.Link{{Title: "周末新品", URL: "https://shop.example.com/weekend"}},
		Target: tasks.Target{ExternalUserIDs: []string{st.mine}}, Deadline: time.Now().Add(50 * time.Hour)}, tasks.AllStores)
	require.NoError(t, err)
	_, err = svc.RunTask(ctx, st.task.ID)
	require.NoError(t, err)
}

// seedOrders posts the demo corp's purchase history and two orders of the scenario's customer (one
// refunded) through the orders service, as the POS would, then builds the recommendations' index.
func (st *sidebarStack) seedOrders(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	for _, o := range sim.DemoOrders(st.corp, time.Now()) {
		total := int64(o.Total)
		in := catalog.OrderInput{OrderID: o.ID, ExternalUserID: o.ExternalUserID, UnionID: o.UnionID, StoreID: int64(o.StoreID),
			GuideUserID: o.GuideUserID, PaidAt: o.PaidAt.Format(time.RFC3339), TotalFen: &total, Status: service.OrderPaid}
		if o.Refunded {
			in.Status = service.OrderRefunded
		}
		for _, l := range o.Lines {
			price := int64(l.Price)
			in.Lines = append(in.Lines, catalog.LineInput{SKU: l.ProductID, Qty: int64(l.Qty), PriceFen: &price})
		}
		_, _, err := st.cat.Ingest(ctx, in)
		require.NoError(t, err)
	}
	var store int64
	require.NoError(t, st.db.Raw("SELECT store_id FROM guides WHERE corp_id = ? AND userid = ?", sbCorp, st.guideA).Scan(&store).Error)
	now := time.Now()
	p1, p2, p3 := int64(19900), int64(29900), int64(12900)
	for _, o := range []catalog.OrderInput{
		{OrderID: "SC-PAID", ExternalUserID: st.mine, StoreID: store, GuideUserID: st.guideA, PaidAt: now.Add(-26 * time.Hour).Format(time.RFC3339),
			TotalFen: &[]int64{2*p1 + p2}[0], Status: service.OrderPaid,
			Lines: []catalog.LineInput{{SKU: "P001", Qty: 2, PriceFen: &p1}, {SKU: "P002", Qty: 1, PriceFen: &p2}}},
		{OrderID: "SC-REFUNDED", ExternalUserID: st.mine, StoreID: store, PaidAt: now.Add(-200 * time.Hour).Format(time.RFC3339),
			TotalFen: &p3, Status: service.OrderRefunded, Lines: []catalog.LineInput{{SKU: "P019", Qty: 1, PriceFen: &p3}}},
	} {
		_, _, err := st.cat.Ingest(ctx, o)
		require.NoError(t, err)
	}
	_, err := st.rec.Rebuild(ctx) // the scheduled job, as serve runs it
	require.NoError(t, err)
}
