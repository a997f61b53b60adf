package handler_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestAdminExport: the console's exports as CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX
// (readable by excelize), with names and ids, the list's filters and the caller's scope.
func TestAdminExport(t *testing.T) {
	t.Parallel()
	sc := newScopeScenario(t)
	st := sc.st
	guideName := func(id string) string {
		for _, u := range st.corp.Users {
			if u.UserID == id {
				return u.Name
			}
		}
		return ""
	}

	w := st.do(t, http.MethodGet, "/api/admin/handover/cases/export?format=csv&kind=onjob", "", sc.admin)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "text/csv; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Regexp(t, `^attachment; filename="handover-cases-\d{8}-\d{4}\.csv"$`, w.Header().Get("Content-Disposition"))
	body := w.Body.Bytes()
	require.True(t, bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")), "a UTF-8 BOM first")
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3, "the header and both cases")
	assert.Equal(t, []string{"编号", "类型", "原跟进成员", "原跟进成员 userid", "门店", "门店 ID"}, rows[0][:6])
	assert.Equal(t, []string{fmt.Sprint(int64(sc.case3)), "在职转接", guideName(sc.guide3), sc.guide3, "北京三里屯店", "3"}, rows[1][:6])

	w = st.do(t, http.MethodGet, "/api/admin/handover/cases/export?format=csv", "", sc.cfgMgr)
	require.Equal(t, http.StatusOK, w.Code)
	rows, err = csv.NewReader(bytes.NewReader(w.Body.Bytes()[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2, "a store manager exports their store's case only")
	assert.Equal(t, sc.guide3, rows[1][3])

	items := fmt.Sprintf("/api/admin/handover/cases/%d/items", int64(sc.case3))
	listed := st.as(t, sc.cfgMgr, http.MethodGet, items+"?kind=customer&limit=500", "")["items"].([]any)
	require.NotEmpty(t, listed)
	first := listed[0].(map[string]any)
	require.NotEmpty(t, first["target_name"], "customers by name")
	w = st.do(t, http.MethodGet, items+"/export?format=xlsx&kind=customer", "", sc.cfgMgr)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", w.Header().Get("Content-Type"))
	f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	assert.Equal(t, []string{"交接明细"}, f.GetSheetList())
	sheet, err := f.GetRows("交接明细")
	require.NoError(t, err)
	require.Len(t, sheet, len(listed)+1, "every item and the header")
	assert.Equal(t, []string{"类型", "客户或群", "客户或群 ID"}, sheet[0][:3])
	assert.Equal(t, []string{"客户", first["target_name"].(string), first["target_id"].(string)}, sheet[1][:3])

	w = st.do(t, http.MethodGet, "/api/admin/audit/export?format=xlsx", "", sc.admin)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	f2, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
	require.NoError(t, err)
	defer func() { _ = f2.Close() }()
	audit, err := f2.GetRows("操作日志")
	require.NoError(t, err)
	require.Len(t, audit, 3, "the header and the two opens")
	assert.Equal(t, "open_onjob", audit[1][3])
	assert.Equal(t, guideName(sc.adminID), audit[1][1], "the actor by name")
}

// TestExportGuardsFormulas: a customer whose name starts like a formula stays text in the CSV.
func TestExportGuardsFormulas(t *testing.T) {
	t.Parallel()
	sc := newScopeScenario(t)
	st := sc.st
	items := st.as(t, sc.admin, http.MethodGet, fmt.Sprintf("/api/admin/handover/cases/%d/items?kind=customer", int64(sc.case2)), "")["items"].([]any)
	require.NotEmpty(t, items)
	ext := items[0].(map[string]any)["target_id"].(string)
	require.NoError(t, st.db.Exec("UPDATE customers SET name = ? WHERE corp_id = ? AND external_userid = ?", `=HYPERLINK("http://x","y")`, sbCorp, ext).Error)
	w := st.do(t, http.MethodGet, fmt.Sprintf("/api/admin/handover/cases/%d/items/export?q=HYPERLINK", int64(sc.case2)), "", sc.admin)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\uFEFF"))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2, "the search finds the customer by name")
	assert.Equal(t, `'=HYPERLINK("http://x","y")`, rows[1][1])
}
