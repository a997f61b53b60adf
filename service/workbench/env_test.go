package workbench_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/workbench"
)

const wbCorp = "wwworkbenchtest001"

// wbEnv is a workbench over a throwaway MySQL database, with the graph written through its own store
// and a clock the test moves. The corp's time zone is Asia/Shanghai.
type wbEnv struct {
	t     *testing.T
	ctx   context.Context
	graph *graphdb.Store
	store *workbenchdb.Store
	svc   *workbench.Service
	loc   *time.Location

	mu  sync.Mutex
	now time.Time
}

// admin and guides of the test corp.
var (
	admin = workbench.Actor{UserID: "boss", Admin: true}
	amy   = workbench.Actor{UserID: "amy"}
	bob   = workbench.Actor{UserID: "bob"}
	cat   = workbench.Actor{UserID: "cat"}
)

func newWBEnv(t *testing.T, media workbench.MediaUploader) *wbEnv {
	t.Helper()
	return newWBEnvOn(t, repotest.New(t), media)
}

// newWBEnvOn is newWBEnv on a given database (the SQLite smoke test).
func newWBEnvOn(t *testing.T, db *gorm.DB, media workbench.MediaUploader) *wbEnv {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	e := &wbEnv{t: t, ctx: context.Background(), graph: graphdb.New(db, wbCorp), store: workbenchdb.New(db, wbCorp), loc: loc,
		now: time.Date(2026, 11, 25, 10, 0, 0, 0, loc)} // a Wednesday
	e.svc = workbench.New(e.store, media, workbench.Config{Location: loc, Now: e.clock})
	for _, g := range []service.Guide{{UserID: "amy", Name: "王安妮"}, {UserID: "bob", Name: "李博"}, {UserID: "cat", Name: "陈楷"}, {UserID: "boss", Name: "店长"}} {
		g.Status = service.GuideActive
		require.NoError(t, e.graph.UpsertGuide(e.ctx, g))
	}
	return e
}

func (e *wbEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *wbEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// follow makes guide follow customer ext (named name), added at `added`.
func (e *wbEnv) follow(guide, ext, name string, added time.Time) {
	e.t.Helper()
	require.NoError(e.t, e.graph.UpsertCustomer(e.ctx, service.Customer{ExternalUserID: ext, Name: name, UnionID: "u" + ext}))
	require.NoError(e.t, e.graph.SaveFollow(e.ctx, service.Follow{UserID: guide, ExternalUserID: ext, AddedAt: added.UTC(), Active: true,
		EventAt: added.UTC()}, &graph.FollowDetail{UserID: guide, Remark: name + "-备注"}))
}

// transfer plays an in-service transfer (在职转接) of ext from one guide to another: the old edge
// becomes a tombstone removed by the transfer, the new guide's edge is added, and ownership moves.
func (e *wbEnv) transfer(from, to, ext string) {
	e.t.Helper()
	at := e.clock().UTC()
	old, err := e.graph.GetFollow(e.ctx, from, ext, false)
	require.NoError(e.t, err)
	old.Active, old.RemovedAt, old.RemovedBy, old.EventAt = false, &at, service.RemovedByTransfer, at
	require.NoError(e.t, e.graph.SaveFollow(e.ctx, old, nil))
	require.NoError(e.t, e.graph.SaveFollow(e.ctx, service.Follow{UserID: to, ExternalUserID: ext, AddedAt: at, Active: true, EventAt: at}, nil))
	require.NoError(e.t, e.graph.SetOwner(e.ctx, ext, to, service.OwnerTransferred))
	require.NoError(e.t, e.graph.AppendOwnerships(e.ctx, []graph.OwnershipChange{{ExternalUserID: ext, FromUserID: from, ToUserID: to,
		Reason: service.OwnerTransferred, At: at}}))
}

// stages sets the demo pipeline.
func (e *wbEnv) stages() []workbench.Stage {
	e.t.Helper()
	st, err := e.svc.SetStages(e.ctx, admin, []workbench.Stage{{StageID: "contact", Name: "初次接触"}, {StageID: "intent", Name: "有意向"},
		{StageID: "deal", Name: "已成交"}, {StageID: "repeat", Name: "复购"}})
	require.NoError(e.t, err)
	return st
}
