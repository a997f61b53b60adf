package handler_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/accessdb"
	"github.com/guidebox/guidebox/repo/directorydb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/directory"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// fakeSessions maps cookie values to sessions, standing in for the OAuth-signed cookie.
type fakeSessions map[string]string

func (f fakeSessions) Verify(tok string) (sidebar.Session, error) {
	if u, ok := f[tok]; ok {
		return sidebar.Session{UserID: u}, nil
	}
	return sidebar.Session{}, service.ErrUnauthenticated
}

func newAdminRouter(t *testing.T) (http.Handler, *graphdb.Store) {
	db := repotest.New(t)
	sm, err := sim.New(sim.Config{Secret: "s-" + repotest.RandomHex(6)})
	require.NoError(t, err)
	srv := httptest.NewServer(sm.Handler())
	t.Cleanup(srv.Close)
	wc, err := wecom.NewClient(wecom.Config{CorpID: sm.Config().CorpID, Secret: sm.Config().Secret, BaseURL: srv.URL})
	require.NoError(t, err)
	corp := sm.Config().CorpID
	log := slog.New(slog.DiscardHandler)
	svc, err := handover.New(handover.Config{}, handoverdb.New(db, corp), wecom.NewTransfers(wc), repo.NewTxManager(db), log)
	require.NoError(t, err)
	acc, err := access.New(access.Config{Admins: []string{"boss"}}, accessdb.New(db, corp), nil)
	require.NoError(t, err)
	admin := handler.NewAdminHandler(handler.AdminDeps{Handover: svc, Sessions: fakeSessions{"tok-boss": "boss", "tok-guide": "guide"},
		Access: acc, Directory: directory.New(directorydb.New(db, corp)), Log: log})
	r := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(nil), Ready: func(context.Context) error { return nil },
		Features: []handler.Mounter{admin}})
	return r, graphdb.New(db, corp)
}

func TestAdminAPI(t *testing.T) {
	r, graph := newAdminRouter(t)
	ctx := context.Background()
	for _, id := range []string{"x", "a"} {
		require.NoError(t, graph.UpsertGuide(ctx, service.Guide{UserID: id, Name: id, StoreID: 1, Status: service.GuideActive}))
	}
	tests := []struct {
		name, method, path, cookie, body string
		want                             int
		wantCode                         string
	}{
		{"no session", "GET", "/api/admin/handover/cases", "", "", 401, "unauthenticated"},
		{"not an admin", "GET", "/api/admin/handover/cases", "tok-guide", "", 403, "forbidden"},
		{"list", "GET", "/api/admin/handover/cases", "tok-boss", "", 200, ""},
		{"bad status filter", "GET", "/api/admin/handover/cases?status=nope", "tok-boss", "", 400, "invalid"},
		{"bad id", "GET", "/api/admin/handover/cases/abc", "tok-boss", "", 400, "invalid"},
		{"unknown case", "GET", "/api/admin/handover/cases/999", "tok-boss", "", 404, "not_found"},
		{"bad kind", "POST", "/api/admin/handover/cases", "tok-boss", `{"kind":"steal","handover_userid":"x"}`, 400, "invalid"},
		{"not json", "POST", "/api/admin/handover/cases", "tok-boss", `kind=onjob`, 400, "invalid"},
		{"message too long", "POST", "/api/admin/handover/cases", "tok-boss",
			`{"kind":"onjob","handover_userid":"x","customers":["wm1"],"message":"` + strings.Repeat("长", 201) + `"}`, 400, "invalid"},
		{"taker is handover", "POST", "/api/admin/handover/cases", "tok-boss",
			`{"kind":"onjob","handover_userid":"x","customers":["wm1"],"plan":{"strategy":"one","takeover_userid":"x"}}`, 400, "invalid"},
		{"open onjob", "POST", "/api/admin/handover/cases", "tok-boss",
			`{"kind":"onjob","handover_userid":"x","customers":["wm1","wm2"],"plan":{"strategy":"one","takeover_userid":"a"}}`, 201, ""},
		{"bad strategy", "PUT", "/api/admin/handover/cases/1/plan", "tok-boss", `{"strategy":"random"}`, 400, "invalid"},
		{"unknown item", "PATCH", "/api/admin/handover/cases/1/items", "tok-boss", `{"exclude":[{"kind":"customer","target_id":"wm9"}]}`, 400, "invalid"},
		{"exclude", "PATCH", "/api/admin/handover/cases/1/items", "tok-boss", `{"exclude":[{"kind":"customer","target_id":"wm2"}]}`, 200, ""},
		{"execute", "POST", "/api/admin/handover/cases/1/execute", "tok-boss", "", 200, ""},
		{"replan a running case", "PUT", "/api/admin/handover/cases/1/plan", "tok-boss", `{"strategy":"round_robin"}`, 409, "conflict"},
		{"audit", "GET", "/api/admin/audit?case_id=1", "tok-boss", "", 200, ""},
		{"bad limit", "GET", "/api/admin/handover/cases?limit=0", "tok-boss", "", 400, "invalid"},
		{"bad order", "GET", "/api/admin/handover/cases?order=sideways", "tok-boss", "", 400, "invalid"},
		{"bad store filter", "GET", "/api/admin/handover/cases?store_id=-2", "tok-boss", "", 400, "invalid"},
		{"long search", "GET", "/api/admin/guides?q=" + strings.Repeat("x", 65), "tok-boss", "", 400, "invalid"},
		{"bad item state", "GET", "/api/admin/handover/cases/1/items?state=lost", "tok-boss", "", 400, "invalid"},
		{"bad export format", "GET", "/api/admin/handover/cases/export?format=pdf", "tok-boss", "", 400, "invalid"},
		{"guide unknown", "GET", "/api/admin/guides/nobody/customers", "tok-boss", "", 404, "not_found"},
		{"not an admin exports", "GET", "/api/admin/handover/cases/export", "tok-guide", "", 403, "forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" && strings.HasPrefix(tt.body, "{") {
				req.Header.Set("Content-Type", "application/json")
			} else if tt.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: handler.SessionCookie, Value: tt.cookie})
			}
			w := httptest.NewRecorder()
			r.ServeHTTP(w, req)
			require.Equal(t, tt.want, w.Code, w.Body.String())
			if tt.wantCode != "" {
				var body struct{ Code string }
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body))
				assert.Equal(t, tt.wantCode, body.Code)
			}
		})
	}
}
