package handler_test

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/directorydb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/repo/kpidb"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/directory"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/kpi"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// consoleStack is the sidebar stack (the demo corp on MySQL, the simulator as WeCom) with the admin
// console's API: handover, roles (access) and the directory, wired as serve wires them. In the demo corp
// each store's first guide (店长) leads its WeCom department.
type consoleStack struct {
	*sidebarStack
	svc *handover.Service
	acc *access.Service
	kpi *kpi.Service
}

type consoleOpts struct {
	admins   []string           // sidebar.admins
	managers map[string][]int64 // console.store_managers
	leaders  bool               // console.department_leaders
	run      bool               // run the handover job (as serve does)
	ui       bool               // serve the built UI (browser tests)
	work     bool               // the work pages' APIs: tasks, the catalogue with demo orders, auto-tags
	extra    []handler.Mounter
}

func newConsoleStack(t testing.TB, o consoleOpts) *consoleStack {
	t.Helper()
	st := &consoleStack{sidebarStack: newSidebarStack(t, stackOpts{demo: true, admins: o.admins})}
	log := slog.New(slog.DiscardHandler)
	var err error
	st.svc, err = handover.New(handover.Config{Owner: "console-test", Tick: 100 * time.Millisecond, InheritEdge: true},
		handoverdb.New(st.db, sbCorp), wecom.NewTransfers(st.wc), repo.NewTxManager(st.db), log)
	require.NoError(t, err)
	st.acc, err = access.New(access.Config{Admins: o.admins, Managers: o.managers, DepartmentLeaders: o.leaders},
		accessdb.New(st.db, sbCorp), wecom.NewLeaders(st.wc))
	require.NoError(t, err)
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), CorpID: sbCorp, AgentID: sbAgent,
		Admins: o.admins, Console: st.acc, Demo: true}, wecom.NewSidebar(st.wc), graphdb.New(st.db, sbCorp))
	require.NoError(t, err)
	st.kpi = kpi.New(kpi.Config{}, kpidb.New(st.db, sbCorp), repo.NewTxManager(st.db), log)
	deps := handler.AdminDeps{Handover: st.svc, Access: st.acc, Directory: directory.New(directorydb.New(st.db, sbCorp)),
		KPI: st.kpi, Sessions: sessions, Log: log}
	if o.work {
		w := newConsoleWork(t, st.sidebarStack, log)
		deps.Tasks, deps.Catalog, deps.AutoTags = w.tasks, st.cat, w.tags
	}
	admin := handler.NewAdminHandler(deps)
	so := stackOpts{demo: true, admins: o.admins, console: st.acc, extra: append([]handler.Mounter{admin}, o.extra...)}
	if o.ui {
		so.ui = builtUI(t)
	}
	st.router = st.buildRouter(t, so, log)
	if o.run {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go st.svc.Run(ctx)
	}
	return st
}

// demoGuides lists the guides of a store (department) of the demo corp the stacks load (seed 1), its 店长
// (the department's leader) first.
func demoGuides(store int) []string {
	var out []string
	for _, u := range sim.DemoCorp(1).Users {
		if u.MainDepartment == store {
			out = append(out, u.UserID)
		}
	}
	return out
}

// as sends one request as a signed-in member (the demo bridge's session, as WeCom OAuth would give).
func (st *consoleStack) as(t testing.TB, who *http.Cookie, method, target, body string) map[string]any {
	t.Helper()
	w := st.do(t, method, target, body, who)
	require.Less(t, w.Code, 300, "%s %s: %s", method, target, w.Body.String())
	return decode(t, w)
}

// builtUI is sidebar-ui's build (make ui-build), with the sidebar and the console.
func builtUI(t testing.TB) fs.FS {
	t.Helper()
	dist, err := filepath.Abs("../sidebar-ui/dist")
	require.NoError(t, err)
	for _, page := range []string{"index.html", "console.html"} {
		_, err = os.Stat(filepath.Join(dist, page))
		require.NoError(t, err, "build the UI first: make ui-build")
	}
	return os.DirFS(dist)
}
