package handover_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// hEnv is a handover test world: a throwaway MySQL, the WeCom simulator on a manual clock,
// the real client and adapter, and a handover.Service over them.
type hEnv struct {
	t     testing.TB
	ctx   context.Context
	db    *gorm.DB
	sim   *sim.Sim
	clock *sim.ManualClock
	url   string // the simulator's
	wc    *wecom.Client
	store *handoverdb.Store
	graph *graphdb.Store
	tx    *repo.TxManager
	cfg   handover.Config
	svc   *handover.Service

	mu    sync.Mutex
	calls map[string]int // WeCom endpoint → calls
}

func newHEnv(t testing.TB, tune ...func(*handover.Config)) *hEnv {
	t.Helper()
	db := repotest.New(t)
	clock := sim.NewManualClock(time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC))
	sm, err := sim.New(sim.Config{Clock: clock, Secret: "s-" + repotest.RandomHex(6), Limits: sim.Unlimited})
	require.NoError(t, err)
	sm.SetPushPaused(true) // callbacks are taken with TakeQueued and fed by the test
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	e := &hEnv{t: t, ctx: context.Background(), db: db, sim: sm, clock: clock, url: srv.URL, calls: map[string]int{}}
	e.wc, err = wecom.NewClient(wecom.Config{CorpID: sm.Config().CorpID, Secret: sm.Config().Secret, BaseURL: srv.URL},
		wecom.WithObserver(e.observe))
	require.NoError(t, err)
	corp := sm.Config().CorpID
	e.store, e.graph, e.tx = handoverdb.New(db, corp), graphdb.New(db, corp), repo.NewTxManager(db)
	e.cfg = handover.Config{Now: clock.Now, InheritEdge: true, PageSize: 500}
	for _, f := range tune {
		f(&e.cfg)
	}
	e.svc = e.newService(e.cfg)
	return e
}

// newService builds a fresh service instance over the same database and simulator (a restart).
func (e *hEnv) newService(cfg handover.Config) *handover.Service {
	svc, err := handover.New(cfg, e.store, wecom.NewTransfers(e.wc), e.tx, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(e.t, err)
	return svc
}

// observe counts the WeCom calls the client makes (wecom.WithObserver).
func (e *hEnv) observe(endpoint string, _ int, _ time.Duration) {
	e.mu.Lock()
	e.calls[endpoint]++
	e.mu.Unlock()
}

func (e *hEnv) callCount(endpoint string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls["cgi-bin/externalcontact/"+endpoint]
}

// guides adds active guides of a store to WeCom and the graph.
func (e *hEnv) guides(store int, ids ...string) {
	e.sim.AddDepartment(sim.Department{ID: store, Name: fmt.Sprintf("门店%d", store), ParentID: 1})
	for _, id := range ids {
		e.sim.AddUser(sim.User{UserID: id, Name: "导购" + id, Departments: []int{store}})
		require.NoError(e.t, e.graph.UpsertGuide(e.ctx, service.Guide{UserID: id, Name: "导购" + id, StoreID: int64(store), Status: service.GuideActive}))
	}
}

// customers gives guide n new customers in WeCom and in the graph (with a remark), returning their ids.
func (e *hEnv) customers(guide string, n int) []string {
	corp := &sim.Corp{}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("wm%s%05d%s", guide, i, repotest.RandomHex(3))
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: ids[i], Name: "客户" + ids[i]})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: guide, ExternalUserID: ids[i], CreateTime: e.clock.Now(), Remark: "老客户", AddWay: 1})
	}
	require.NoError(e.t, e.sim.Load(corp))
	e.follow(guide, ids...)
	return ids
}

// follow records active edges guide→customers in the graph.
func (e *hEnv) follow(guide string, exts ...string) {
	for _, ext := range exts {
		at := e.clock.Now().Add(-time.Hour)
		require.NoError(e.t, e.graph.UpsertCustomer(e.ctx, service.Customer{ExternalUserID: ext, Name: "客户"}))
		require.NoError(e.t, e.graph.SaveFollow(e.ctx, service.Follow{UserID: guide, ExternalUserID: ext, AddedAt: at, Active: true, EventAt: at},
			&graph.FollowDetail{UserID: guide, Remark: "老客户", Description: "爱买鞋"}))
		require.NoError(e.t, e.graph.SetOwner(e.ctx, ext, guide, service.OwnerAdded))
	}
}

// resign plays the guide leaving: WeCom's delete_user as the graph worker applies it.
func (e *hEnv) resign(guide string) int64 {
	require.NoError(e.t, e.sim.ResignUser(guide))
	return applyResignation(e.t, e.ctx, e.tx, e.graph, e.svc, e.store, guide, e.clock.Now())
}

// applyResignation does what the graph worker does with delete_user, in its order and in one
// transaction: the guide is marked resigned (keeping name and store), then the case opens.
// It returns the case id.
func applyResignation(t testing.TB, ctx context.Context, tx service.Transactor, graph *graphdb.Store,
	svc *handover.Service, store *handoverdb.Store, guide string, at time.Time) int64 {
	t.Helper()
	err := tx.InTx(ctx, func(ctx context.Context) error {
		if err := graph.ResignGuide(ctx, guide, at); err != nil {
			return err
		}
		return svc.GuideResigned(ctx, guide, at)
	})
	require.NoError(t, err)
	c, err := store.LatestCase(ctx, handover.KindResigned, guide)
	require.NoError(t, err)
	return c.ID
}

// run runs the case once with the current service.
func (e *hEnv) run(id int64) {
	e.t.Helper()
	require.NoError(e.t, e.svc.RunCase(e.ctx, id))
}

// deliverFails feeds the simulator's transfer_fail callbacks to the service, as the graph worker would.
func (e *hEnv) deliverFails() int {
	n := 0
	e.sim.Tick() // WeCom completes due takeovers on its own clock
	for _, m := range e.sim.TakeQueued() {
		if m.ChangeType == "transfer_fail" {
			require.NoError(e.t, e.svc.TransferFailed(e.ctx, m.UserID, m.ExternalUserID, m.FailReason, time.Unix(m.CreateTime, 0)))
			n++
		}
	}
	return n
}

// states counts a case's items by kind/state.
func (e *hEnv) states(id int64) map[string]map[string]int {
	v, err := e.svc.View(e.ctx, id)
	require.NoError(e.t, err)
	return v.Counts
}

// transfersPerCustomer counts the transfers WeCom started per customer.
func (e *hEnv) transfersPerCustomer() map[string]int {
	out := map[string]int{}
	for _, r := range e.sim.Transfers() {
		out[r.ExternalUserID]++
	}
	return out
}
