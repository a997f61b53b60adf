package handler_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/tasksdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// tasksAdmin is the admin API with tasks on MySQL and the simulator: store 徐汇店 with guide 安娜
// and one customer of hers.
type tasksAdmin struct {
	router   http.Handler
	sim      *sim.Sim
	svc      *tasks.Service
	customer string // anna's customer
}

func newTasksAdmin(t *testing.T) *tasksAdmin {
	ctx := context.Background()
	db := repotest.New(t)
	sm, err := sim.New(sim.Config{Secret: "s-" + repotest.RandomHex(6)})
	require.NoError(t, err)
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	wc, err := wecom.NewClient(wecom.Config{CorpID: sm.Config().CorpID, Secret: sm.Config().Secret, BaseURL: srv.URL})
	require.NoError(t, err)
	corp := sm.Config().CorpID
	log := slog.New(slog.DiscardHandler)
	g := graphdb.New(db, corp)
	sm.AddDepartment(sim.Department{ID: 10, Name: "徐汇店", ParentID: 1})
	sm.AddUser(sim.User{UserID: "anna", Name: "安娜", Departments: []int{10}})
	ext, _, err := sm.CustomerAddsGuide("anna", sim.Customer{Name: "王小美"}, "")
	require.NoError(t, err)
	require.NoError(t, g.UpsertStores(ctx, []service.Store{{ID: 10, Name: "徐汇店", ParentID: 1}}))
	require.NoError(t, g.UpsertGuide(ctx, service.Guide{UserID: "anna", Name: "安娜", StoreID: 10, Status: service.GuideActive}))
	require.NoError(t, g.UpsertCustomer(ctx, service.Customer{ExternalUserID: ext, Name: "王小美"}))
	at := time.Now().Add(-time.Hour)
	require.NoError(t, g.SaveFollow(ctx, service.Follow{UserID: "anna", ExternalUserID: ext, AddedAt: at, Active: true, EventAt: at},
		&graph.FollowDetail{UserID: "anna"}))
	svc, err := tasks.New(tasks.Config{}, tasksdb.New(db, corp), wecom.NewMass(wc), repo.NewTxManager(db), tasks.Deps{}, log)
	require.NoError(t, err)
	acc, err := access.New(access.Config{Admins: []string{"boss"}}, accessdb.New(db, corp), nil)
	require.NoError(t, err)
	admin := handler.NewAdminHandler(handler.AdminDeps{Tasks: svc, Sessions: fakeSessions{"tok-boss": "boss", "tok-guide": "anna"},
		Access: acc, Log: log})
	r := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(nil), Ready: func(context.Context) error { return nil },
		Features: []handler.Mounter{admin}})
	return &tasksAdmin{router: r, sim: sm, svc: svc, customer: ext}
}

func (a *tasksAdmin) do(t *testing.T, method, path, cookie, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: handler.SessionCookie, Value: cookie})
	}
	w := httptest.NewRecorder()
	a.router.ServeHTTP(w, req)
	var out map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &out), w.Body.String())
	return w.Code, out
}

func TestTasksAdminAPI(t *testing.T) {
	a := newTasksAdmin(t)
	deadline := time.Now().Add(24 * time.Hour).Format(time.RFC3339)
	body := func(over string) string {
		return `{"title":"周末新品","text":"您好","target":{"store_ids":[10]},"deadline":"` + deadline + `"` + over + `}`
	}
	refusals := []struct {
		name, cookie, body, field string
		want                      int
	}{
		{"no session", "", body(""), "", 401},
		{"a guide, not an admin", "tok-guide", body(""), "", 403},
		{"not JSON", "tok-boss", `title=x`, "body", 400},
		{"no title", "tok-boss", strings.Replace(body(""), `"周末新品"`, `""`, 1), "title", 400},
		{"deadline not RFC 3339", "tok-boss", strings.Replace(body(""), deadline, "tomorrow", 1), "deadline", 400},
		{"deadline passed", "tok-boss", strings.Replace(body(""), deadline, time.Now().Add(-time.Hour).Format(time.RFC3339), 1), "deadline", 400},
		{"no target", "tok-boss", strings.Replace(body(""), `{"store_ids":[10]}`, `{}`, 1), "target", 400},
		{"text over 4000 bytes", "tok-boss", strings.Replace(body(""), `"您好"`, `"`+strings.Repeat("好", 1400)+`"`, 1), "text", 400},
		{"bad link", "tok-boss", body(`,"links":[{"title":"x","url":"javascript:alert(1)"}]`), "links[0].url", 400},
		{"materials not there yet", "tok-boss", body(`,"material_ids":["m1"]`), "material_ids", 400},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			code, out := a.do(t, http.MethodPost, "/api/admin/tasks", r.cookie, r.body)
			require.Equal(t, r.want, code, out)
			if r.field != "" {
				assert.Equal(t, "invalid", out["code"])
				assert.Contains(t, out["message"], "invalid "+r.field+":", "the message names the field")
			}
		})
	}
	code, _ := a.do(t, http.MethodGet, "/api/admin/tasks?status=nope", "tok-boss", "")
	assert.Equal(t, 400, code)
	code, _ = a.do(t, http.MethodGet, "/api/admin/tasks/999", "tok-boss", "")
	assert.Equal(t, 404, code)

	code, created := a.do(t, http.MethodPost, "/api/admin/tasks", "tok-boss", body(""))
	require.Equal(t, 201, code, created)
	id := int64(created["id"].(float64))
	assert.Equal(t, "active", created["status"])
	_, err := a.svc.RunTask(t.Context(), id) // what the runner does when the handler kicks it
	require.NoError(t, err)
	require.Len(t, a.sim.PendingGroupMsgs("anna"), 1, "anna's 群发 waits in WeCom")

	path := fmt.Sprintf("/api/admin/tasks/%d", id)
	code, list := a.do(t, http.MethodGet, "/api/admin/tasks", "tok-boss", "")
	require.Equal(t, 200, code)
	require.Len(t, list["tasks"], 1)
	assert.EqualValues(t, 1, list["tasks"].([]any)[0].(map[string]any)["totals"].(map[string]any)["customers"])

	code, view := a.do(t, http.MethodGet, path, "tok-boss", "")
	require.Equal(t, 200, code, view)
	guide := view["guides"].([]any)[0].(map[string]any)
	assert.Equal(t, "安娜", guide["name"], "names, not ids")
	assert.Equal(t, "徐汇店", guide["store_name"])
	assert.Equal(t, "waiting", guide["status"])
	assert.Equal(t, "徐汇店", view["stores"].([]any)[0].(map[string]any)["name"])

	code, rep := a.do(t, http.MethodPost, path+"/remind", "tok-boss", "")
	require.Equal(t, 200, code, rep)
	assert.Equal(t, []any{"anna"}, rep["reminded"])
	code, rep = a.do(t, http.MethodPost, path+"/remind", "tok-boss", `{"userids":["nobody"]}`)
	require.Equal(t, 200, code, rep)
	assert.Equal(t, "nobody", rep["skipped"].([]any)[0].(map[string]any)["userid"])

	code, cancelled := a.do(t, http.MethodPost, path+"/cancel", "tok-boss", "")
	require.Equal(t, 200, code, cancelled)
	assert.Equal(t, "cancelled", cancelled["status"])
	assert.Empty(t, a.sim.PendingGroupMsgs("anna"), "the unsent 群发 is stopped in WeCom")
	code, _ = a.do(t, http.MethodPost, path+"/cancel", "tok-boss", "")
	assert.Equal(t, 409, code)
	code, _ = a.do(t, http.MethodPost, path+"/remind", "tok-boss", "")
	assert.Equal(t, 409, code, "nothing to remind in a cancelled task")
}
