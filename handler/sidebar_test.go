package handler_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// do sends one request through the router with the given cookies and returns the recorder.
func (st *sidebarStack) do(t testing.TB, method, target, body string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	var rd *bytes.Reader
	if body != "" {
		rd = bytes.NewReader([]byte(body))
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, target, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	st.router.ServeHTTP(w, req)
	return w
}

func cookieOf(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func decode(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &m), w.Body.String())
	return m
}

// demoSession signs guide in through the demo bridge.
func (st *sidebarStack) demoSession(t testing.TB, guide string) *http.Cookie {
	t.Helper()
	w := st.do(t, http.MethodPost, "/demo/api/login", `{"userid":"`+guide+`"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	c := cookieOf(w, "gb_session")
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly)
	return c
}

func TestSidebarCard(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)

	w := st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	card := decode(t, w)
	assert.Equal(t, false, card["lost"])
	assert.NotEmpty(t, card["tags"], "the demo corp tags every edge")
	group := card["tags"].([]any)[0].(map[string]any)
	assert.NotEmpty(t, group["name"])
	assert.NotEmpty(t, group["tags"])
	assert.Equal(t, st.guideA, card["owner"].(map[string]any)["userid"])
	assert.Nil(t, card["handover"])
	assert.NotEmpty(t, card["recommendations"])
	assert.Equal(t, []any{}, card["orders"])

	w = st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.inherited, "", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	h := decode(t, w)["handover"].(map[string]any)
	assert.Equal(t, st.guidePrev, h["from"].(map[string]any)["userid"])
	assert.Equal(t, "transferred", h["reason"])
	assert.Equal(t, sbHandoff, h["note"])
	assert.NotEmpty(t, h["remark"], "the previous guide's remark comes along")

	w = st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.lost, "", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, true, decode(t, w)["lost"])
}

func TestSidebarCardRefusals(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	// Valid tag edits (known corp tags), so only the access check can refuse them.
	theirs, ok := st.sim.Follower(st.guideOther, st.otherCus)
	require.True(t, ok)
	require.NotEmpty(t, theirs.TagIDs)
	anyTag := st.sim.TagGroups()[0].Tags[0].ID
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"another guide's customer", "GET", "/api/sidebar/customers/" + st.otherCus, "", 403},
		{"unknown customer", "GET", "/api/sidebar/customers/wmnosuchcustomer", "", 403},
		{"overlong id", "GET", "/api/sidebar/customers/" + string(bytes.Repeat([]byte("x"), 65)), "", 400},
		{"another guide's group", "GET", "/api/sidebar/groups/" + st.groupOther, "", 403},
		{"unknown group", "GET", "/api/sidebar/groups/wrnosuchchat", "", 403},
		{"tags of another guide's customer", "POST", "/api/sidebar/customers/" + st.otherCus + "/tags", `{"remove":["` + theirs.TagIDs[0] + `"]}`, 403},
		{"tags of a lost customer", "POST", "/api/sidebar/customers/" + st.lost + "/tags", `{"add":["` + anyTag + `"]}`, 403},
		{"bad JSON", "POST", "/api/sidebar/customers/" + st.mine + "/tags", `{"add":`, 400},
		{"share to another guide's customer", "POST", "/api/sidebar/shares", `{"product_id":"P001","external_userid":"` + st.otherCus + `","msgtype":"news"}`, 403},
		{"share to a lost customer", "POST", "/api/sidebar/shares", `{"product_id":"P001","external_userid":"` + st.lost + `","msgtype":"news"}`, 403},
		{"share of an unknown product", "POST", "/api/sidebar/shares", `{"product_id":"P999","external_userid":"` + st.mine + `","msgtype":"news"}`, 404},
		{"share with a bad msgtype", "POST", "/api/sidebar/shares", `{"product_id":"P001","external_userid":"` + st.mine + `","msgtype":"text"}`, 400},
		{"share with two targets", "POST", "/api/sidebar/shares", `{"product_id":"P001","external_userid":"a","chat_id":"b","msgtype":"news"}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := st.do(t, tt.method, tt.path, tt.body, me)
			assert.Equal(t, tt.want, w.Code, w.Body.String())
			code := decode(t, w)["code"]
			assert.NotEmpty(t, code)
			if tt.want == http.StatusForbidden {
				assert.Equal(t, "forbidden", code)
			}
		})
	}
	w := st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "")
	assert.Equal(t, http.StatusUnauthorized, w.Code, "no session")
	w = st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", &http.Cookie{Name: "gb_session", Value: "forged.token"})
	assert.Equal(t, http.StatusUnauthorized, w.Code, "forged session")
}

// The site's root leads somewhere useful: the sidebar, or the demo picker in the offline demo.
func TestRootLeadsToTheSidebar(t *testing.T) {
	t.Parallel()
	for demo, want := range map[bool]string{false: "/sidebar/", true: "/demo/"} {
		st := newSidebarStack(t, stackOpts{demo: demo})
		w := st.do(t, http.MethodGet, "/", "")
		assert.Equal(t, http.StatusFound, w.Code)
		assert.Equal(t, want, w.Header().Get("Location"), "demo=%v", demo)
	}
}
