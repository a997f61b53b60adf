package handler_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scopeScenario: in the demo corp, a corp admin; a store manager of store 3 by configuration; and the
// 店长 of store 2, a manager by WeCom department leadership only. An in-service case is open in each of
// stores 2 and 3.
type scopeScenario struct {
	st                          *consoleStack
	admin, cfgMgr, leader       *http.Cookie
	adminID, cfgMgrID, leaderID string
	case2, case3                float64
	guide2, guide3, taker2      string
	notAdmin                    *http.Cookie
}

func newScopeScenario(t *testing.T) *scopeScenario {
	admin := demoGuides(5)[1] // 陈婷婷 in the demo corp: a guide of store 5, not its 店长
	s2, s3 := demoGuides(2), demoGuides(3)
	sc := &scopeScenario{adminID: admin, cfgMgrID: s3[1], leaderID: s2[0], guide2: s2[2], guide3: s3[2], taker2: s2[3]}
	sc.st = newConsoleStack(t, consoleOpts{admins: []string{admin}, managers: map[string][]int64{sc.cfgMgrID: {3}}, leaders: true})
	st := sc.st
	sc.admin, sc.cfgMgr, sc.leader = st.demoSession(t, admin), st.demoSession(t, sc.cfgMgrID), st.demoSession(t, sc.leaderID)
	sc.notAdmin = st.demoSession(t, s2[4])
	open := func(guide string) float64 {
		v := st.as(t, sc.admin, http.MethodPost, "/api/admin/handover/cases",
			fmt.Sprintf(`{"kind":"onjob","handover_userid":%q,"all_customers":true,"all_groups":true}`, guide))
		return v["case"].(map[string]any)["id"].(float64)
	}
	sc.case2, sc.case3 = open(sc.guide2), open(sc.guide3)
	return sc
}

// TestAdminScope: a store manager sees and changes only their stores' cases, guides and customers; a
// direct request for another store's case is 403, not 404; a guide who manages nothing is refused.
func TestAdminScope(t *testing.T) {
	t.Parallel()
	sc := newScopeScenario(t)
	st := sc.st
	ids := func(who *http.Cookie, query string) []float64 {
		var out []float64
		for _, c := range st.as(t, who, http.MethodGet, "/api/admin/handover/cases"+query, "")["cases"].([]any) {
			out = append(out, c.(map[string]any)["id"].(float64))
		}
		return out
	}
	assert.ElementsMatch(t, []float64{sc.case2, sc.case3}, ids(sc.admin, ""), "a corp admin sees every store")
	assert.Equal(t, []float64{sc.case3}, ids(sc.cfgMgr, ""), "the configured manager of store 3")
	assert.Equal(t, []float64{sc.case2}, ids(sc.leader, ""), "the 店长 of store 2, by WeCom's department_leader")

	row := st.as(t, sc.cfgMgr, http.MethodGet, "/api/admin/handover/cases", "")["cases"].([]any)[0].(map[string]any)
	assert.Equal(t, "北京三里屯店", row["store_name"], "names, not ids")
	assert.NotEmpty(t, row["handover_name"])

	c2 := fmt.Sprintf("/api/admin/handover/cases/%d", int64(sc.case2))
	refused := []struct{ method, path, body string }{
		{"GET", c2, ""},
		{"GET", c2 + "/plan", ""},
		{"GET", c2 + "/items", ""},
		{"GET", c2 + "/items/export?format=xlsx", ""},
		{"PUT", c2 + "/plan", `{"strategy":"round_robin"}`},
		{"PATCH", c2 + "/items", `{"exclude":[]}`},
		{"POST", c2 + "/execute", ""},
		{"POST", c2 + "/cancel", ""},
		{"GET", "/api/admin/handover/cases?store_id=2", ""},
		{"GET", "/api/admin/handover/departed?store_id=2", ""},
		{"GET", "/api/admin/guides?store_id=2", ""},
		{"GET", "/api/admin/guides/" + sc.guide2 + "/customers", ""},
		{"GET", "/api/admin/audit?store_id=2", ""},
		{"POST", "/api/admin/handover/reconcile", ""},
		{"POST", "/api/admin/handover/cases", fmt.Sprintf(`{"kind":"onjob","handover_userid":%q,"all_customers":true}`, sc.guide2)},
		{"POST", "/api/admin/handover/cases", fmt.Sprintf(`{"kind":"onjob","handover_userid":%q,"all_customers":true,"plan":{"strategy":"one","takeover_userid":%q}}`,
			sc.guide3, sc.taker2)},
	}
	for _, r := range refused {
		w := st.do(t, r.method, r.path, r.body, sc.cfgMgr)
		assert.Equal(t, http.StatusForbidden, w.Code, "%s %s: %s", r.method, r.path, w.Body.String())
	}
	for _, path := range []string{"/api/admin/me", "/api/admin/handover/cases", c2} {
		w := st.do(t, http.MethodGet, path, "", sc.notAdmin)
		assert.Equal(t, http.StatusForbidden, w.Code, "a guide who manages no store: %s", path)
	}
	assert.Equal(t, http.StatusNotFound, st.do(t, http.MethodGet, "/api/admin/handover/cases/9999", "", sc.cfgMgr).Code,
		"a case that does not exist is still 404")

	me := st.as(t, sc.cfgMgr, http.MethodGet, "/api/admin/me", "")
	assert.Equal(t, "store_manager", me["role"])
	assert.Equal(t, []any{map[string]any{"id": float64(3), "name": "北京三里屯店", "parent_id": float64(1)}}, me["stores"])
	guides := st.as(t, sc.cfgMgr, http.MethodGet, "/api/admin/guides", "")["guides"].([]any)
	require.Len(t, guides, 5)
	for _, g := range guides {
		assert.Equal(t, "北京三里屯店", g.(map[string]any)["store_name"], "the member picker offers the manager's store only")
	}
	assert.Equal(t, "admin", st.as(t, sc.admin, http.MethodGet, "/api/admin/me", "")["role"])
}

// TestAdminAuditScope: every admin write records actor, action, target, the target's store and the
// actor's scope; a store manager reads the entries of their stores only.
func TestAdminAuditScope(t *testing.T) {
	t.Parallel()
	sc := newScopeScenario(t)
	st := sc.st
	c3 := fmt.Sprintf("/api/admin/handover/cases/%d", int64(sc.case3))
	st.as(t, sc.cfgMgr, http.MethodPut, c3+"/plan", `{"strategy":"round_robin"}`)
	st.as(t, sc.cfgMgr, http.MethodPost, c3+"/cancel", "")

	entries := st.as(t, sc.admin, http.MethodGet, "/api/admin/audit", "")["entries"].([]any)
	require.Len(t, entries, 4, "two opens by the admin, a plan and a cancel by the manager")
	last := entries[0].(map[string]any)
	assert.Equal(t, sc.cfgMgrID, last["actor"])
	assert.NotEmpty(t, last["actor_name"])
	assert.Equal(t, "cancel", last["action"])
	assert.Equal(t, fmt.Sprintf("handover_case:%d", int64(sc.case3)), last["target"])
	assert.Equal(t, float64(3), last["store_id"])
	assert.Equal(t, "北京三里屯店", last["store_name"])
	assert.Equal(t, "stores:3", last["scope"])
	first := entries[3].(map[string]any)
	assert.Equal(t, "open_onjob", first["action"])
	assert.Equal(t, "all", first["scope"], "the corp admin acted over every store")
	assert.Equal(t, float64(2), first["store_id"])

	mine := st.as(t, sc.cfgMgr, http.MethodGet, "/api/admin/audit", "")["entries"].([]any)
	require.Len(t, mine, 3, "store 3's open, plan and cancel; not store 2's open")
	for _, e := range mine {
		assert.Equal(t, float64(3), e.(map[string]any)["store_id"])
	}
}
