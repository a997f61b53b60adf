package handler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/service/handover"
)

// adminScenario is what the console's browser tests need to know: who signs in as a corp admin, as a
// store manager and as a plain guide; the resigned guide whose case waits; an in-service case in the
// store manager's store; and a guide with customers to move with the member picker.
type adminScenario struct {
	Admin        string        `json:"admin"`
	AdminName    string        `json:"admin_name"`
	NonAdmin     string        `json:"non_admin"`
	Resigned     string        `json:"resigned"`
	ResignedName string        `json:"resigned_name"`
	Store        string        `json:"store"` // the resigned guide's store
	CaseID       int64         `json:"case_id"`
	Customers    int           `json:"customers"`
	StoreMates   int           `json:"store_mates"` // active guides of the resigned guide's store: the round-robin takers
	Manager      string        `json:"manager"`     // the 店长 of another store (WeCom department leader)
	ManagerName  string        `json:"manager_name"`
	ManagerStore string        `json:"manager_store"`
	ManagerCase  int64         `json:"manager_case"` // an in-service case in the manager's store
	MoveFrom     string        `json:"move_from"`    // a guide whose customers the admin moves (在职转接), by name
	MoveFromID   string        `json:"move_from_id"` // and their userid
	MoveTo       string        `json:"move_to"`      // the taker, by name
	MoveToID     string        `json:"move_to_id"`
	KPIStoreID   int64         `json:"kpi_store_id"` // a store with two weeks of activity (the home's drill-down)
	KPIStore     string        `json:"kpi_store"`
	KPIGuide     string        `json:"kpi_guide"` // one of its guides, by userid and name
	KPIGuideName string        `json:"kpi_guide_name"`
	Pages        pagesScenario `json:"pages"` // the work pages' data (e2e/admin-pages.mjs)
}

type adminProbe struct{ sc *adminScenario }

func (p *adminProbe) Mount(r *gin.Engine) {
	r.GET("/test/admin-scenario", func(c *gin.Context) { c.JSON(http.StatusOK, p.sc) })
}

// TestAdminBrowser drives the admin console (/admin/) of the built UI in headless Chromium against the
// real router on MySQL with the simulator as WeCom, in demo mode: the sidebar stack plus the console's
// API and a running handover job. One demo guide is a corp admin (sidebar.admins); each store's 店长 leads
// its WeCom department and so manages it. A guide of the demo corp has resigned in WeCom and
// reconciliation (get_unassigned_list) has filed the case. It runs sidebar-ui/e2e/admin.mjs and only
// with GUIDEBOX_BROWSER=1 (scripts/test-ui.sh).
func TestAdminBrowser(t *testing.T) {
	if os.Getenv("GUIDEBOX_BROWSER") != "1" {
		t.Skip("browser tests run from scripts/test-ui.sh (GUIDEBOX_BROWSER=1)")
	}
	ctx := context.Background()
	s2, s5 := demoGuides(2), demoGuides(5)
	sc := &adminScenario{Admin: s5[1], NonAdmin: s2[1], Manager: s2[0]}
	st := newConsoleStack(t, consoleOpts{admins: []string{sc.Admin}, leaders: true, run: true, ui: true, work: true,
		extra: []handler.Mounter{&adminProbe{sc: sc}}})
	st.seedPages(t, &sc.Pages)
	name := func(id string) string {
		for _, u := range st.corp.Users {
			if u.UserID == id {
				return u.Name
			}
		}
		return ""
	}
	// The resigned guide: the last guide of the last store, away from the sidebar scenario's guides.
	gone := st.corp.Users[len(st.corp.Users)-1]
	sc.Resigned, sc.ResignedName, sc.Store = gone.UserID, gone.Name, "深圳万象城店"
	sc.AdminName, sc.ManagerName, sc.ManagerStore = name(sc.Admin), name(sc.Manager), "上海南京西路店"
	for _, u := range s5 {
		if u != sc.Resigned {
			sc.StoreMates++
		}
	}
	require.NotContains(t, []string{st.guideA, st.guidePrev, st.guideOther, sc.Admin, sc.NonAdmin, sc.Manager}, sc.Resigned)
	sc.MoveFromID, sc.MoveToID = s5[2], s5[3]
	sc.MoveFrom, sc.MoveTo = name(sc.MoveFromID), name(sc.MoveToID)

	require.NoError(t, st.sim.ResignUser(sc.Resigned))
	// WeCom's delete_user marks the guide resigned in the graph; reconciliation files the case.
	require.NoError(t, graphdb.New(st.db, sbCorp).ResignGuide(ctx, sc.Resigned, time.Now()))
	n, err := st.svc.Reconcile(ctx)
	require.NoError(t, err)
	require.Positive(t, n, "the resigned guide's customers are waiting for a taker")
	cases, err := st.svc.ListCases(ctx, handover.CaseFilter{Limit: 5})
	require.NoError(t, err)
	require.Len(t, cases, 1)
	sc.CaseID, sc.Customers = cases[0].ID, n

	admin := st.demoSession(t, sc.Admin)
	v := st.as(t, admin, http.MethodPost, "/api/admin/handover/cases",
		fmt.Sprintf(`{"kind":"onjob","handover_userid":%q,"all_customers":true}`, s2[2]))
	sc.ManagerCase = int64(v["case"].(map[string]any)["id"].(float64))

	sc.KPIStoreID, sc.KPIStore, sc.KPIGuide, sc.KPIGuideName = seedKPIHistory(t, st)

	srv := httptest.NewServer(st.router)
	defer srv.Close()
	runBrowserScript(t, "e2e/admin.mjs", srv.URL)
	runBrowserScript(t, "e2e/admin-pages.mjs", srv.URL) // 导购任务, 商品与订单, 话术与素材, 客户资料字段
}
