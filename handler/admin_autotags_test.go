package handler_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/autotagdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// The admin API manages auto-tag rules: bad input is a 400 naming the field, a tag named but not in
// the corp is created in WeCom, a rule is listed with its tag's name and customers, changed, deleted;
// a pass starts in the background; guides who are not admins get 403.
func TestAdminAutoTagRules(t *testing.T) {
	ctx := context.Background()
	db := repotest.New(t)
	sm, err := sim.New(sim.Config{Secret: "s-" + repotest.RandomHex(6)})
	require.NoError(t, err)
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	corp := sm.Config().CorpID
	wc, err := wecom.NewClient(wecom.Config{CorpID: corp, Secret: sm.Config().Secret, BaseURL: srv.URL})
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	gs := graph.NewService(graphdb.New(db, corp), graphdb.NewInboxStore(db), wecom.NewDirectory(wc), repo.NewTxManager(db), nil, log)
	svc := autotag.New(autotag.Config{}, autotagdb.New(db, corp), wecom.NewAutoTags(wc), gs.SyncDirectory, log)
	t.Cleanup(svc.Close)
	acc, err := access.New(access.Config{Admins: []string{"boss"}, Managers: map[string][]int64{"mgr": {2}}}, accessdb.New(db, corp), nil)
	require.NoError(t, err)
	admin := handler.NewAdminHandler(handler.AdminDeps{AutoTags: svc, Access: acc,
		Sessions: fakeSessions{"tok-boss": "boss", "tok-guide": "anna", "tok-mgr": "mgr"}, Log: log})
	r := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(nil), Ready: func(context.Context) error { return nil },
		Features: []handler.Mounter{admin}})
	do := func(method, path, cookie, body string) (int, map[string]any) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.AddCookie(&http.Cookie{Name: handler.SessionCookie, Value: cookie})
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		var out map[string]any
		if w.Body.Len() > 0 {
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out), w.Body.String())
		}
		return w.Code, out
	}

	code, body := do(http.MethodPost, "/api/admin/autotags/rules", "tok-boss", `{"name":"高消费","kind":"spend","tag_name":"高消费"}`)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, body["message"], "min_fen")
	code, body = do(http.MethodPost, "/api/admin/autotags/rules", "tok-boss", `{"name":"高消费","kind":"spend","min_fen":"many"}`)
	assert.Equal(t, http.StatusBadRequest, code, body)
	code, _ = do(http.MethodPost, "/api/admin/autotags/rules", "tok-guide", `{"name":"x","kind":"dormant","tag_name":"x"}`)
	assert.Equal(t, http.StatusForbidden, code)
	code, _ = do(http.MethodPost, "/api/admin/autotags/rules", "tok-mgr", `{"name":"x","kind":"dormant","tag_name":"x"}`)
	assert.Equal(t, http.StatusForbidden, code, "rules are the corp's: a store manager may not change them")

	code, body = do(http.MethodPost, "/api/admin/autotags/rules", "tok-boss",
		`{"name":"高消费","kind":"spend","min_fen":300000,"days":90,"tag_name":"高消费","to_wecom":true}`)
	require.Equal(t, http.StatusCreated, code, body)
	assert.Equal(t, sm.TagID(autotag.DefaultTagGroup, "高消费"), body["tag_id"], "created in WeCom")
	assert.Equal(t, "高消费", body["tag_name"])
	id := "/api/admin/autotags/rules/" + jsonNumber(body["id"])
	code, body = do(http.MethodPut, id, "tok-boss", `{"name":"高消费客户","kind":"spend","min_fen":500000,"tag_name":"高消费"}`)
	require.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, float64(500000), body["min_fen"])
	code, body = do(http.MethodGet, "/api/admin/autotags/rules", "tok-boss", "")
	require.Equal(t, http.StatusOK, code)
	rules := body["rules"].([]any)
	require.Len(t, rules, 1)
	assert.Equal(t, "高消费客户", rules[0].(map[string]any)["name"])
	assert.Equal(t, float64(0), rules[0].(map[string]any)["customers"])

	code, _ = do(http.MethodPost, "/api/admin/autotags/run", "tok-boss", "")
	assert.Equal(t, http.StatusAccepted, code)
	code, body = do(http.MethodPut, id, "tok-boss", `{"name":"高消费客户","kind":"spend","min_fen":500000,"tag_name":"高消费","enabled":false}`)
	require.Equal(t, http.StatusOK, code, body)
	assert.Equal(t, false, body["enabled"], "switched off")
	code, _ = do(http.MethodDelete, id, "tok-boss", "")
	assert.Equal(t, http.StatusNoContent, code)
	code, _ = do(http.MethodDelete, id, "tok-boss", "")
	assert.Equal(t, http.StatusNotFound, code)
	code, _ = do(http.MethodPut, "/api/admin/autotags/rules/abc", "tok-boss", `{}`)
	assert.Equal(t, http.StatusBadRequest, code)
	waitFor(t, func() bool { return svc.StartPass(ctx) == nil }, "the background pass ends")

	code, body = do(http.MethodGet, "/api/admin/audit", "tok-boss", "")
	require.Equal(t, http.StatusOK, code, body)
	var got []string
	for _, e := range body["entries"].([]any) {
		m := e.(map[string]any)
		assert.Equal(t, "boss", m["actor"])
		assert.Equal(t, "autotag_rule:"+strings.TrimPrefix(id, "/api/admin/autotags/rules/"), m["target"])
		got = append(got, m["action"].(string)+" "+m["detail"].(string))
	}
	assert.Equal(t, []string{"delete_rule 「高消费客户」→ 标签 高消费", "update_rule 停用：「高消费客户」→ 标签 高消费",
		"update_rule 「高消费客户」→ 标签 高消费", "create_rule 「高消费」→ 标签 高消费（写入企业微信）"}, got, "each change in the audit log, newest first")
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out: %s", what)
}
