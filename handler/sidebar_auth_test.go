package handler_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/sidebar"
)

// oauthStart runs /oauth/start and returns WeCom's state and the state cookie.
func (st *sidebarStack) oauthStart(t testing.TB, next string) (string, *http.Cookie) {
	t.Helper()
	w := st.do(t, http.MethodGet, "/oauth/start?next="+url.QueryEscape(next), "")
	require.Equal(t, http.StatusFound, w.Code, w.Body.String())
	loc, err := url.Parse(w.Header().Get("Location"))
	require.NoError(t, err)
	require.Equal(t, "open.weixin.qq.com", loc.Host)
	q := loc.Query()
	assert.Equal(t, sbCorp, q.Get("appid"))
	assert.Equal(t, "snsapi_base", q.Get("scope"))
	assert.Equal(t, "1000002", q.Get("agentid"))
	assert.Equal(t, "http://example.com/oauth/callback", q.Get("redirect_uri"))
	assert.Equal(t, "wechat_redirect", loc.Fragment)
	c := cookieOf(w, "gb_oauth")
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly)
	return q.Get("state"), c
}

func (st *sidebarStack) oauthCallback(t testing.TB, code, state string, c *http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	cookies := []*http.Cookie{}
	if c != nil {
		cookies = append(cookies, c)
	}
	return st.do(t, http.MethodGet, "/oauth/callback?code="+url.QueryEscape(code)+"&state="+url.QueryEscape(state), "", cookies...)
}

// login signs guide in through WeCom OAuth against the simulator.
func (st *sidebarStack) login(t testing.TB, guide string) *http.Cookie {
	t.Helper()
	state, c := st.oauthStart(t, "/sidebar/")
	w := st.oauthCallback(t, st.sim.IssueOAuthCode(guide), state, c)
	require.Equal(t, http.StatusFound, w.Code, w.Body.String())
	s := cookieOf(w, "gb_session")
	require.NotNil(t, s)
	return s
}

func TestSidebarOAuth(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{})

	state, c := st.oauthStart(t, "/sidebar/#/customer/x")
	code := st.sim.IssueOAuthCode(st.guideA)
	w := st.oauthCallback(t, code, state, c)
	require.Equal(t, http.StatusFound, w.Code, w.Body.String())
	assert.Equal(t, "/sidebar/#/customer/x", w.Header().Get("Location"))
	sess := cookieOf(w, "gb_session")
	require.NotNil(t, sess)
	assert.True(t, sess.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, sess.SameSite)
	me := decode(t, st.do(t, http.MethodGet, "/api/sidebar/me", "", sess))
	assert.Equal(t, st.guideA, me["userid"])
	assert.Equal(t, false, me["demo"])
	assert.Equal(t, sbCorp, me["corp_id"])

	state2, c2 := st.oauthStart(t, "")
	t.Run("reused code", func(t *testing.T) {
		w := st.oauthCallback(t, code, state2, c2)
		assert.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())
		assert.Nil(t, cookieOf(w, "gb_session"))
	})
	t.Run("bad code", func(t *testing.T) {
		assert.Equal(t, http.StatusUnauthorized, st.oauthCallback(t, "nosuchcode", state2, c2).Code)
	})
	t.Run("missing code", func(t *testing.T) {
		assert.Equal(t, http.StatusBadRequest, st.oauthCallback(t, "", state2, c2).Code)
	})
	tests := []struct {
		name   string
		state  string
		cookie *http.Cookie
	}{
		{"bad state", "not-the-state", c2},
		{"empty state", "", c2},
		{"no state cookie", state2, nil},
		{"state of another attempt", state, c2},
		{"forged state cookie", state2, &http.Cookie{Name: "gb_oauth", Value: strings.Replace(c2.Value, ".", "x.", 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fresh := st.sim.IssueOAuthCode(st.guideA)
			w := st.oauthCallback(t, fresh, tt.state, tt.cookie)
			assert.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())
			assert.Nil(t, cookieOf(w, "gb_session"))
		})
	}
}

func TestSidebarOAuthRedirects(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{})
	state, c := st.oauthStart(t, "//evil.example.net/steal")
	w := st.oauthCallback(t, st.sim.IssueOAuthCode(st.guideA), state, c)
	require.Equal(t, http.StatusFound, w.Code)
	assert.Equal(t, "/sidebar/", w.Header().Get("Location"), "no open redirect")

	req := httptest.NewRequest(http.MethodGet, "/oauth/start", nil)
	req.Host = "evil.example.net"
	rec := httptest.NewRecorder()
	st.router.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code, "OAuth only returns to trusted domains")

	assert.Equal(t, http.StatusNotFound, st.do(t, http.MethodPost, "/demo/api/login", `{"userid":"`+st.guideA+`"}`).Code,
		"no demo login outside demo mode")
	assert.Equal(t, http.StatusNotFound, st.do(t, http.MethodGet, "/demo/api/directory", "").Code)
}

func TestSidebarJSAPISignature(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{})
	me := st.login(t, st.guideA)
	page := "http://example.com/sidebar/?from=chat"

	w := st.do(t, http.MethodGet, "/api/sidebar/jsapi-signature?url="+url.QueryEscape(page+"#/customer/x"), "", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	r := decode(t, w)
	assert.Equal(t, page, r["url"], "the #fragment is not signed")
	assert.Equal(t, sbCorp, r["corp_id"])
	corpTicket, err := st.wc.CorpTicket(t.Context()) // the client's cache: the ticket the service signed with
	require.NoError(t, err)
	agentTicket, err := st.wc.AgentTicket(t.Context())
	require.NoError(t, err)
	assert.NotEqual(t, corpTicket, agentTicket)
	for key, ticket := range map[string]string{"config": corpTicket, "agent_config": agentTicket} {
		s := r[key].(map[string]any)
		want := sidebar.SignJSAPI(ticket, s["nonceStr"].(string), int64(s["timestamp"].(float64)), page)
		assert.Equal(t, want, s["signature"], key)
	}

	tests := []struct {
		name, url string
		want      int
	}{
		{"untrusted host", "http://evil.example.net/sidebar/", 403},
		{"look-alike host", "http://example.com.evil.net/sidebar/", 403},
		{"trusted name in the query", "http://evil.example.net/?h=example.com", 403},
		{"user info", "http://example.com@evil.example.net/", 400},
		{"not http", "javascript:alert(1)", 400},
		{"relative", "/sidebar/", 400},
		{"missing", "", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := st.do(t, http.MethodGet, "/api/sidebar/jsapi-signature?url="+url.QueryEscape(tt.url), "", me)
			assert.Equal(t, tt.want, w.Code, w.Body.String())
		})
	}
	assert.Equal(t, http.StatusUnauthorized, st.do(t, http.MethodGet, "/api/sidebar/jsapi-signature?url="+url.QueryEscape(page), "").Code)
}

// TestOAuthNextStaysOnSite signs in through /oauth/start → WeCom (the simulator's code) → /oauth/callback
// with next values that browsers would follow off-site; the callback always lands on this site.
func TestOAuthNextStaysOnSite(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{})
	for _, rawNext := range []string{"/%09/evil.example", "/%0A/evil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example",
		"/%5Cevil.example", "/%255Cevil.example", "https://evil.example/", "//evil.example", "/%E2%80%AE/evil"} {
		t.Run(rawNext, func(t *testing.T) {
			w := st.do(t, http.MethodGet, "/oauth/start?next="+rawNext, "")
			require.Equal(t, http.StatusFound, w.Code, w.Body.String())
			loc, err := url.Parse(w.Header().Get("Location"))
			require.NoError(t, err)
			c := cookieOf(w, "gb_oauth")
			require.NotNil(t, c)
			cb := st.oauthCallback(t, st.sim.IssueOAuthCode(st.guideA), loc.Query().Get("state"), c)
			require.Equal(t, http.StatusFound, cb.Code, cb.Body.String())
			got := cb.Header().Get("Location")
			if got != "/sidebar/" {
				// anything else must still be a plain path on this site
				assert.True(t, strings.HasPrefix(got, "/") && !strings.HasPrefix(got, "//"), "Location %q", got)
				assert.NotContains(t, got, "evil.example")
			}
		})
	}
	t.Run("a local next is kept", func(t *testing.T) {
		w := st.do(t, http.MethodGet, "/oauth/start?next="+url.QueryEscape("/admin#/cases/3"), "")
		loc, err := url.Parse(w.Header().Get("Location"))
		require.NoError(t, err)
		cb := st.oauthCallback(t, st.sim.IssueOAuthCode(st.guideA), loc.Query().Get("state"), cookieOf(w, "gb_oauth"))
		require.Equal(t, http.StatusFound, cb.Code, cb.Body.String())
		assert.Equal(t, "/admin#/cases/3", cb.Header().Get("Location"))
	})
}
