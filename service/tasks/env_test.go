package tasks_test

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
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/tasksdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// tEnv is a tasks test world: a throwaway MySQL, the WeCom simulator on a manual clock, the real
// client and adapter, and a tasks.Service over them.
type tEnv struct {
	t     testing.TB
	ctx   context.Context
	db    *gorm.DB
	sim   *sim.Sim
	clock *sim.ManualClock
	wc    *wecom.Client
	store *tasksdb.Store
	graph *graphdb.Store
	cfg   tasks.Config
	deps  tasks.Deps
	svc   *tasks.Service
	done  *completions

	mu    sync.Mutex
	calls map[string]int // WeCom endpoint → calls
}

// t0 is Monday 3 March 2025, 10:00 in Beijing.
var t0 = time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)

func newTEnv(t testing.TB, tune ...func(*tasks.Config)) *tEnv {
	t.Helper()
	db := repotest.New(t)
	clock := sim.NewManualClock(t0)
	sm, err := sim.New(sim.Config{Clock: clock, Secret: "s-" + repotest.RandomHex(6), Limits: sim.Unlimited})
	require.NoError(t, err)
	sm.SetPushPaused(true)
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	e := &tEnv{t: t, ctx: context.Background(), db: db, sim: sm, clock: clock, calls: map[string]int{}, done: &completions{}}
	e.wc, err = wecom.NewClient(wecom.Config{CorpID: sm.Config().CorpID, Secret: sm.Config().Secret, BaseURL: srv.URL},
		wecom.WithClock(clock.Now), wecom.WithObserver(func(ep string, _ int, _ time.Duration) {
			e.mu.Lock()
			e.calls[ep]++
			e.mu.Unlock()
		}))
	require.NoError(t, err)
	corp := sm.Config().CorpID
	e.store, e.graph = tasksdb.New(db, corp), graphdb.New(db, corp)
	e.cfg = tasks.Config{Owner: "runner-1", Now: clock.Now, RemindBefore: 3 * time.Hour, PollInterval: 30 * time.Minute}
	for _, f := range tune {
		f(&e.cfg)
	}
	e.deps = tasks.Deps{Completions: e.done}
	e.svc = e.newService(e.cfg)
	return e
}

// newService builds a fresh service over the same database and simulator (a restart).
func (e *tEnv) newService(cfg tasks.Config) *tasks.Service {
	svc, err := tasks.New(cfg, e.store, wecom.NewMass(e.wc), repo.NewTxManager(e.db), e.deps, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(e.t, err)
	return svc
}

func (e *tEnv) callCount(endpoint string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls["cgi-bin/externalcontact/"+endpoint]
}

// store adds a store (department) to WeCom and the graph.
func (e *tEnv) addStore(id int, name string) {
	e.sim.AddDepartment(sim.Department{ID: id, Name: name, ParentID: 1})
	require.NoError(e.t, e.graph.UpsertStores(e.ctx, []service.Store{{ID: int64(id), Name: name, ParentID: 1}}))
}

// guide adds an active guide of a store to WeCom and the graph.
func (e *tEnv) guide(store int, id, name string) {
	e.sim.AddUser(sim.User{UserID: id, Name: name, Departments: []int{store}})
	require.NoError(e.t, e.graph.UpsertGuide(e.ctx, service.Guide{UserID: id, Name: name, StoreID: int64(store), Status: service.GuideActive}))
}

// customers gives a guide n new customers (owned by the guide) in WeCom and in the graph, with
// tags on the edge; it returns their ids.
func (e *tEnv) customers(guide string, n int, tags ...string) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("wm%s%03d%s", guide, i, repotest.RandomHex(3))
		e.follow(guide, ids[i], e.clock.Now().Add(-48*time.Hour), tags...)
		require.NoError(e.t, e.graph.SetOwner(e.ctx, ids[i], guide, service.OwnerAdded))
	}
	return ids
}

// follow links guide and customer in WeCom and the graph (an active edge added at at).
func (e *tEnv) follow(guide, ext string, at time.Time, tags ...string) {
	require.NoError(e.t, e.sim.Load(&sim.Corp{Customers: []sim.Customer{{ExternalUserID: ext, Name: "客户" + ext}},
		Follows: []sim.Follow{{UserID: guide, ExternalUserID: ext, CreateTime: at, AddWay: 1}}}))
	require.NoError(e.t, e.graph.UpsertCustomer(e.ctx, service.Customer{ExternalUserID: ext, Name: "客户" + ext}))
	require.NoError(e.t, e.graph.SaveFollow(e.ctx, service.Follow{UserID: guide, ExternalUserID: ext, AddedAt: at, Active: true, EventAt: at},
		&graph.FollowDetail{UserID: guide, TagIDs: tags}))
}

// create makes a task due in two days with a text and a link card.
func (e *tEnv) create(target tasks.Target) tasks.Task {
	e.t.Helper()
	t, err := e.svc.Create(e.ctx, "hq-admin", tasks.NewTask{Title: "春季新品上市", Text: "您好，春季新品已到店，欢迎来试穿～",
		Links:  []tasks.Link{{Title: "春季新品", URL: "https://shop.example.com/spring", Desc: "全场新品9折"}},
		Target: target, Deadline: e.clock.Now().Add(48 * time.Hour)}, tasks.AllStores)
	require.NoError(e.t, err)
	return t
}

// run runs the task once, as the runner does.
func (e *tEnv) run(id int64) {
	e.t.Helper()
	ran, err := e.svc.RunTask(e.ctx, id)
	require.NoError(e.t, err)
	require.True(e.t, ran, "the task's lease is free")
}

// msgsOf returns the simulator's 群发 by sender.
func (e *tEnv) msgsOf() map[string][]sim.GroupMsg {
	out := map[string][]sim.GroupMsg{}
	for _, m := range e.sim.GroupMsgs() {
		out[m.Sender] = append(out[m.Sender], m)
	}
	return out
}

// confirm plays the guide sending every 群发 waiting for them in the WeCom client.
func (e *tEnv) confirm(guide string) {
	for _, id := range e.sim.PendingGroupMsgs(guide) {
		require.NoError(e.t, e.sim.ConfirmGroupMsg(guide, id))
	}
}

// assignments maps a task's assignments by guide.
func (e *tEnv) assignments(id int64) map[string]tasks.Assignment {
	as, err := e.store.Assignments(e.ctx, id)
	require.NoError(e.t, err)
	out := map[string]tasks.Assignment{}
	for _, a := range as {
		out[a.UserID] = a
	}
	return out
}

// recipients maps a task's customers to their state (read straight from the table).
func (e *tEnv) recipients(id int64) map[string]string {
	var rows []struct {
		ExternalUserID string `gorm:"column:external_userid"`
		State          string
	}
	require.NoError(e.t, e.db.Table("task_recipients").Select("external_userid, state").Where("task_id = ?", id).Scan(&rows).Error)
	out := map[string]string{}
	for _, r := range rows {
		out[r.ExternalUserID] = r.State
	}
	return out
}

// completions records what the KPI port hears.
type completions struct {
	mu  sync.Mutex
	got []tasks.Completion
}

func (c *completions) TaskCompleted(_ context.Context, x tasks.Completion) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, x)
	return nil
}

func (c *completions) all() []tasks.Completion {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]tasks.Completion(nil), c.got...)
}
