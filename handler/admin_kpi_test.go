package handler_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/guidebox/guidebox/handler"
)

// kpiActivity appends activity rows for the scope scenario: guide3 (store 3) opened the sidebar,
// shared a product with one of their customers, who paid an order two days later; guide2 (store 2)
// opened the sidebar only.
func kpiActivity(t *testing.T, sc *scopeScenario) (from, to string, customer3 string) {
	t.Helper()
	st := sc.st
	require.NoError(t, st.db.Raw("SELECT external_userid FROM follows WHERE corp_id = ? AND userid = ? AND active = 1 ORDER BY external_userid LIMIT 1",
		sbCorp, sc.guide3).Scan(&customer3).Error)
	require.NotEmpty(t, customer3)
	day := time.Now().AddDate(0, 0, -3).UTC()
	act := func(kind, guide, ext string, at time.Time, ref, detail string) {
		require.NoError(t, st.db.Exec(`INSERT INTO activity_log (corp_id, occurred_at, kind, guide_userid, external_userid, actor_kind, ref, detail)
			VALUES (?, ?, ?, ?, ?, 'guide', ?, ?)`, sbCorp, at, kind, guide, ext, ref, detail).Error)
	}
	act("sidebar_open", sc.guide3, "", day, "", "")
	act("product_shared", sc.guide3, customer3, day.Add(time.Minute), "sku1", "")
	act("order_paid", "", customer3, day.Add(48*time.Hour), "kpi-o1", `{"amount_fen": 25800}`)
	act("sidebar_open", sc.guide2, "", day, "", "")
	_, err := st.kpi.CatchUp(context.Background())
	require.NoError(t, err)
	return time.Now().AddDate(0, 0, -6).Format(time.DateOnly), time.Now().Format(time.DateOnly), customer3
}

// TestAdminKPI: the numbers by name for a corp admin, drilled from the corp to a store to a guide to
// their customers; a store manager sees their stores' numbers only and is refused another store's
// (403); exports carry the same numbers; the BI API answers the corp's by API key.
func TestAdminKPI(t *testing.T) {
	t.Parallel()
	sc := newScopeScenario(t)
	st := sc.st
	from, to, customer3 := kpiActivity(t, sc)
	period := "from=" + from + "&to=" + to

	ov := st.as(t, sc.admin, http.MethodGet, "/api/admin/kpi/overview?"+period, "")
	tot := ov["totals"].(map[string]any)
	assert.EqualValues(t, 2, tot["login_guide_days"])
	assert.EqualValues(t, 1, tot["share_guide_days"])
	assert.EqualValues(t, 1, tot["converted"])
	assert.EqualValues(t, 1, tot["reached"])
	assert.EqualValues(t, 25800, tot["amount_fen"])
	assert.EqualValues(t, 1, tot["conversion_rate"])
	assert.Len(t, ov["days"], 7)
	guides := ov["guides"].(float64)
	assert.InDelta(t, 2/(7*guides), tot["login_rate"], 1e-4, "guide-days with an open / guide-days in service")

	stores := st.as(t, sc.admin, http.MethodGet, "/api/admin/kpi/stores?"+period, "")["stores"].([]any)
	byID := map[float64]map[string]any{}
	for _, s := range stores {
		byID[s.(map[string]any)["store_id"].(float64)] = s.(map[string]any)
	}
	require.Contains(t, byID, float64(3))
	assert.Equal(t, "北京三里屯店", byID[3]["name"])
	assert.EqualValues(t, 25800, byID[3]["amount_fen"])
	assert.EqualValues(t, 1, byID[2]["login_guide_days"])

	gs := st.as(t, sc.admin, http.MethodGet, "/api/admin/kpi/guides?store_id=3&"+period, "")["guides"].([]any)
	var g3 map[string]any
	for _, g := range gs {
		if g.(map[string]any)["userid"] == sc.guide3 {
			g3 = g.(map[string]any)
		}
	}
	require.NotNil(t, g3, "the store's guides")
	assert.NotEmpty(t, g3["name"])
	assert.Equal(t, "北京三里屯店", g3["store_name"])
	assert.EqualValues(t, 1, g3["orders"])
	one := st.as(t, sc.admin, http.MethodGet, "/api/admin/kpi/guides/"+sc.guide3+"?"+period, "")
	assert.Len(t, one["days"], 7)
	cs := st.as(t, sc.admin, http.MethodGet, "/api/admin/kpi/guides/"+sc.guide3+"/customers?limit=200&"+period, "")["customers"].([]any)
	var c3 map[string]any
	for _, c := range cs {
		if c.(map[string]any)["external_userid"] == customer3 {
			c3 = c.(map[string]any)
		}
	}
	require.NotNil(t, c3)
	assert.NotEmpty(t, c3["name"], "customers by name")
	assert.EqualValues(t, 25800, c3["amount_fen"])
	assert.EqualValues(t, 1, c3["reached_days"])

	// The configured manager of store 3: their store's numbers, and 403 for store 2.
	mine := st.as(t, sc.cfgMgr, http.MethodGet, "/api/admin/kpi/overview?"+period, "")["totals"].(map[string]any)
	assert.EqualValues(t, 1, mine["login_guide_days"], "store 3 only")
	assert.Equal(t, byID[3]["amount_fen"], mine["amount_fen"])
	ms := st.as(t, sc.cfgMgr, http.MethodGet, "/api/admin/kpi/stores?"+period, "")["stores"].([]any)
	require.Len(t, ms, 1)
	assert.EqualValues(t, 3, ms[0].(map[string]any)["store_id"])
	for _, path := range []string{"/api/admin/kpi/overview?store_id=2&", "/api/admin/kpi/stores?store_id=2&", "/api/admin/kpi/guides?store_id=2&",
		"/api/admin/kpi/guides/" + sc.guide2 + "?", "/api/admin/kpi/guides/" + sc.guide2 + "/customers?",
		"/api/admin/kpi/guides/export?store_id=2&format=xlsx&", "/api/admin/kpi/guides/" + sc.guide2 + "/customers/export?"} {
		w := st.do(t, http.MethodGet, path+period, "", sc.cfgMgr)
		assert.Equal(t, http.StatusForbidden, w.Code, "%s: %s", path, w.Body.String())
	}
	w := st.do(t, http.MethodGet, "/api/admin/kpi/overview?"+period, "", sc.notAdmin)
	assert.Equal(t, http.StatusForbidden, w.Code, "a guide who manages nothing")
	for _, bad := range []string{"from=2026-13-01", "from=2026-03-02&to=2026-03-01", "to=2020-01-01&from=2010-01-01", "store_id=x"} {
		w := st.do(t, http.MethodGet, "/api/admin/kpi/overview?"+bad, "", sc.admin)
		assert.Equal(t, http.StatusBadRequest, w.Code, bad)
	}
	w = st.do(t, http.MethodGet, "/api/admin/kpi/guides?"+period, "", sc.admin)
	assert.Equal(t, http.StatusBadRequest, w.Code, "guides are per store")

	// Exports: the stores' numbers as CSV (BOM), a store's guides as XLSX, a guide's customers.
	w = st.do(t, http.MethodGet, "/api/admin/kpi/stores/export?format=csv&"+period, "", sc.cfgMgr)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	rows, err := csv.NewReader(bytes.NewReader(w.Body.Bytes()[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2, "the header and the manager's store")
	assert.Equal(t, []string{"门店", "门店 ID", "在职导购", "起", "止", "登录率", "分享率", "成交率"}, rows[0][:8])
	assert.Equal(t, []string{"北京三里屯店", "3"}, rows[1][:2])
	assert.Equal(t, "100.0%", rows[1][7])
	w = st.do(t, http.MethodGet, "/api/admin/kpi/guides/export?format=xlsx&store_id=3&"+period, "", sc.admin)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	sheet, err := f.GetRows("导购业绩")
	require.NoError(t, err)
	assert.Len(t, sheet, len(gs)+1)
	w = st.do(t, http.MethodGet, "/api/admin/kpi/guides/"+sc.guide3+"/customers/export?"+period, "", sc.admin)
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), fmt.Sprint(c3["name"]))
	assert.Contains(t, w.Body.String(), "258.00")
}

// TestBIKPI: the BI API answers the corp's numbers, the console's, by API key only.
func TestBIKPI(t *testing.T) {
	t.Parallel()
	sc := newScopeScenario(t)
	from, to, _ := kpiActivity(t, sc)
	period := "from=" + from + "&to=" + to
	bi := handler.NewBIHandler(handler.BIDeps{KPI: sc.st.kpi, Keys: []string{"bi-key-0123456789abcdef"}})
	r := handler.NewRouter(handler.Deps{Log: slog.New(slog.DiscardHandler), Metrics: handler.NewMetrics(nil),
		Ready: func(context.Context) error { return nil }, Features: []handler.Mounter{bi}})
	get := func(path, key string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		return w
	}
	assert.Equal(t, http.StatusUnauthorized, get("/api/bi/kpi/overview?"+period, "").Code)
	assert.Equal(t, http.StatusUnauthorized, get("/api/bi/kpi/overview?"+period, "wrong-key-0123456789").Code)
	w := get("/api/bi/kpi/overview?"+period, "bi-key-0123456789abcdef")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	admin := sc.st.as(t, sc.admin, http.MethodGet, "/api/admin/kpi/overview?"+period, "")
	assert.Equal(t, admin, decode(t, w), "the console's numbers")
	w = get("/api/bi/kpi/guides?store_id=3&"+period, "bi-key-0123456789abcdef")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
}
