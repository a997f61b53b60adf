package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestDemoSeedsATaskAndItsGuidesCanSend: the offline demo's first start leaves one task with a 群发
// for every store's guide; the demo's control plays a guide sending it in 群发助手, and the task
// reads WeCom's progress at once. A second start adds no second task.
func TestDemoSeedsATaskAndItsGuidesCanSend(t *testing.T) {
	ctx := context.Background()
	db := repotest.New(t)
	clock := &demoClock{}
	s, err := sim.New(sim.Config{CorpID: demoCorpID, Secret: demoSecret + repotest.RandomHex(4), Seed: 1, Clock: clock})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	wc, err := wecom.NewClient(wecom.Config{CorpID: demoCorpID, Secret: s.Config().Secret, BaseURL: srv.URL})
	require.NoError(t, err)
	var cfg Config
	cfg.WeCom.CorpID, cfg.Worker.Enabled = demoCorpID, true
	cfg.Tasks = TasksConfig{Lease: time.Minute, PollInterval: 30 * time.Minute, RemindBefore: 3 * time.Hour}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := &app{cfg: cfg, log: log, db: db, tx: repo.NewTxManager(db), inbox: graphdb.NewInboxStore(db), graph: graphdb.New(db, demoCorpID), wc: wc,
		products: catalogdb.New(db, demoCorpID)}
	a.catalog = catalog.NewService(a.products, a.tx, log)
	t.Cleanup(a.catalog.Close)
	require.NoError(t, a.catalog.SaveProducts(ctx, demoProducts(sim.DemoCorp(1))))
	a.newRecommendations()
	t.Cleanup(a.autotags.Close)
	ts, err := newTasksService(a)
	require.NoError(t, err)
	r := &simRuntime{sim: s, clock: clock, demo: true, tasks: ts}
	r.afterStart(ctx, a, log, "http://127.0.0.1:8080")

	list, err := ts.List(ctx, tasks.TaskFilter{}, tasks.AllStores)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, 20, list[0].Totals.Guides, "every guide of the 4 demo stores")
	assert.Equal(t, 300, list[0].Totals.Customers, "each demo customer once")
	msgs := s.GroupMsgs()
	require.Len(t, msgs, 20)
	guide := msgs[0].Sender

	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	r.Mount(e)
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/demo/api/sim/groupmsg/send", strings.NewReader(`{"userid":"`+guide+`"}`)))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.JSONEq(t, `{"sent":1}`, w.Body.String())
	w = httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/demo/api/sim/groupmsg/send", strings.NewReader(`{}`)))
	assert.Equal(t, http.StatusBadRequest, w.Code)

	mine, err := ts.GuideTasks(ctx, guide)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	assert.Equal(t, tasks.AssignDone, mine[0].Assignment.Status, "read from WeCom at once")
	assert.Equal(t, mine[0].Assignment.Customers, mine[0].Assignment.Sent)

	seedDemoTask(ctx, ts, log)
	list, err = ts.List(ctx, tasks.TaskFilter{}, tasks.AllStores)
	require.NoError(t, err)
	assert.Len(t, list, 1, "a demo database that holds a task gets no second one")
}
