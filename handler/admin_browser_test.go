package handler_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/directorydb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/directory"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/wecom"
)

// adminScenario is what the admin browser tests need to know: who may log in as an admin, who may not,
// and the resigned guide whose case waits.
type adminScenario struct {
	Admin      string `json:"admin"`
	AdminName  string `json:"admin_name"`
	NonAdmin   string `json:"non_admin"`
	Resigned   string `json:"resigned"`
	CaseID     int64  `json:"case_id"`
	Customers  int    `json:"customers"`
	StoreMates int    `json:"store_mates"` // active guides of the resigned guide's store: the round-robin takers
}

type adminProbe struct{ sc adminScenario }

func (p *adminProbe) Mount(r *gin.Engine) {
	r.GET("/test/admin-scenario", func(c *gin.Context) { c.JSON(http.StatusOK, p.sc) })
}

// TestAdminBrowser drives the admin pages (#/admin) of the built UI in headless Chromium against the real
// router on MySQL with the simulator as WeCom, in demo mode: the sidebar stack plus the admin API and a
// running handover job, with a demo guide listed as an admin. A guide of the demo corp has resigned in
// WeCom and reconciliation (get_unassigned_list) has filed the case. It runs sidebar-ui/e2e/admin.mjs and
// only with GUIDEBOX_BROWSER=1 (scripts/test-ui.sh).
func TestAdminBrowser(t *testing.T) {
	if os.Getenv("GUIDEBOX_BROWSER") != "1" {
		t.Skip("browser tests run from scripts/test-ui.sh (GUIDEBOX_BROWSER=1)")
	}
	dist, err := filepath.Abs("../sidebar-ui/dist")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dist, "index.html"))
	require.NoError(t, err, "build the UI first: make ui-build")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.DiscardHandler)

	st := newSidebarStack(t, stackOpts{demo: true})
	sc := adminScenario{Admin: st.corp.Users[0].UserID, AdminName: st.corp.Users[0].Name, NonAdmin: st.corp.Users[1].UserID}
	// The resigned guide: the last guide of the last store, away from the sidebar scenario's guides.
	gone := st.corp.Users[len(st.corp.Users)-1]
	sc.Resigned = gone.UserID
	for _, u := range st.corp.Users {
		if u.UserID != gone.UserID && len(u.Departments) > 0 && len(gone.Departments) > 0 && u.Departments[0] == gone.Departments[0] {
			sc.StoreMates++
		}
	}
	require.NotContains(t, []string{st.guideA, st.guidePrev, st.guideOther, sc.Admin, sc.NonAdmin}, sc.Resigned)
	require.Positive(t, sc.StoreMates)

	svc, err := handover.New(handover.Config{Owner: "browser-test", Tick: 100 * time.Millisecond, InheritEdge: true},
		handoverdb.New(st.db, sbCorp), wecom.NewTransfers(st.wc), repo.NewTxManager(st.db), log)
	require.NoError(t, err)
	require.NoError(t, st.sim.ResignUser(sc.Resigned))
	n, err := svc.Reconcile(ctx)
	require.NoError(t, err)
	require.Positive(t, n, "the resigned guide's customers are waiting for a taker")
	cases, err := svc.ListCases(ctx, handover.CaseFilter{Limit: 5})
	require.NoError(t, err)
	require.Len(t, cases, 1)
	sc.CaseID, sc.Customers = cases[0].ID, n
	go svc.Run(ctx) // the runner serve starts: it picks up the case once the admin executes it

	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), CorpID: sbCorp, AgentID: sbAgent,
		Admins: []string{sc.Admin}, Demo: true}, wecom.NewSidebar(st.wc), graphdb.New(st.db, sbCorp))
	require.NoError(t, err)
	acc, err := access.New(access.Config{Admins: []string{sc.Admin}}, accessdb.New(st.db, sbCorp), nil)
	require.NoError(t, err)
	admin := handler.NewAdminHandler(handler.AdminDeps{Handover: svc, Access: acc, Directory: directory.New(directorydb.New(st.db, sbCorp)),
		Sessions: sessions, Log: log})
	router := st.buildRouter(t, stackOpts{demo: true, ui: os.DirFS(dist), admins: []string{sc.Admin},
		extra: []handler.Mounter{admin, &adminProbe{sc: sc}}}, log)
	srv := httptest.NewServer(router)
	defer srv.Close()
	runBrowserScript(t, "e2e/admin.mjs", srv.URL)
}
