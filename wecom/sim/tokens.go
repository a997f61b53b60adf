package sim

import (
	"sort"
	"time"
)

// tokenTTL is the lifetime of access tokens and JS-SDK tickets (7200 s).
const tokenTTL = 7200 * time.Second

// ticket is an issued JS-SDK ticket.
type ticket struct {
	value string
	exp   time.Time
}

// authState holds tokens, tickets and OAuth codes.
type authState struct {
	tokens  map[string]time.Time // access_token → expiry
	current string               // the token gettoken hands out while valid
	jsapi   ticket               // corp ticket (get_jsapi_ticket)
	agent   ticket               // app ticket (ticket/get?type=agent_config)
	issued  map[string]time.Time // every access token and ticket ever issued → expiry
	hour    int64                // the hour window the counters below count
	nJSAPI  int
	nAgent  int
	limJS   int // corp ticket fetches per hour (WeCom: 400)
	limApp  int // app ticket fetches per hour (WeCom: 100)
	codes   map[string]oauthCode
}

// oauthCode is an OAuth code issued by IssueOAuthCode.
type oauthCode struct {
	userID string
	exp    time.Time
}

func newAuthState() authState {
	return authState{tokens: map[string]time.Time{}, issued: map[string]time.Time{},
		codes: map[string]oauthCode{}, limJS: 400, limApp: 100}
}

// apiGetToken mimics "获取access_token" (GET /cgi-bin/gettoken): 40013 for a
// wrong corpid, 40001 for a wrong secret, otherwise the current token with
// its remaining lifetime (WeCom returns the same token while it is valid).
// Extra query parameters (PowerWeChat sends appid, secret, neededText) are
// ignored.
func (s *Sim) apiGetToken(c *call) result {
	if c.q.Get("corpid") != s.cfg.CorpID {
		return fail(40013, "invalid corpid")
	}
	if c.q.Get("corpsecret") != s.cfg.Secret {
		return fail(40001, "invalid credential, access_token is invalid or not latest")
	}
	a := &s.st.auth
	exp, ok := a.tokens[a.current]
	if !ok || !c.now.Before(exp) {
		a.current = "simtok_" + s.tokSalt + "_" + s.st.newID("", 80)
		exp = c.now.Add(tokenTTL)
		a.tokens[a.current] = exp
		a.issued[a.current] = exp
		for t, e := range a.tokens { // forget tokens long dead
			if c.now.Sub(e) > 24*time.Hour {
				delete(a.tokens, t)
			}
		}
	}
	return result{"access_token": a.current, "expires_in": int(exp.Sub(c.now).Seconds())}
}

// checkTokenLocked validates ?access_token= like WeCom: 41001 missing,
// 40014 unknown, 42001 expired. PowerWeChat refreshes on 40014/42001.
func (s *Sim) checkTokenLocked(c *call) result {
	tok := c.q.Get("access_token")
	if tok == "" {
		return fail(41001, "access_token missing")
	}
	exp, ok := s.st.auth.tokens[tok]
	switch {
	case !ok:
		return fail(40014, "invalid access_token")
	case !c.now.Before(exp):
		return fail(42001, "access_token expired")
	}
	return nil
}

// ExpireTokensNow expires every issued access token at once, as WeCom may do
// early: the next call with one answers 42001 and gettoken issues a new one.
func (s *Sim) ExpireTokensNow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	for t := range s.st.auth.tokens {
		s.st.auth.tokens[t] = now
	}
	s.st.auth.current = ""
}

// IssuedTokens returns every access token and JS-SDK ticket the simulator
// has handed out, so a test can check that none of them leaks into logs,
// errors, the database or CLI output.
func (s *Sim) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.st.auth.issued))
	for t := range s.st.auth.issued {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// SetTicketLimits changes the hourly JS-SDK ticket fetch limits (WeCom: 400
// corp tickets per corp, 100 app tickets per app); past them the ticket APIs
// answer 45009 until the next hour on the sim clock.
func (s *Sim) SetTicketLimits(corpPerHour, appPerHour int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.auth.limJS, s.st.auth.limApp = corpPerHour, appPerHour
}

// countTicket counts one fetch of a ticket kind and reports whether it is
// within the hourly limit.
func (a *authState) countTicket(now time.Time, agent bool) bool {
	if h := now.Unix() / 3600; h != a.hour {
		a.hour, a.nJSAPI, a.nAgent = h, 0, 0
	}
	if agent {
		a.nAgent++
		return a.nAgent <= a.limApp
	}
	a.nJSAPI++
	return a.nJSAPI <= a.limJS
}

// serveTicket returns t, renewed when expired.
func (s *Sim) serveTicket(c *call, t *ticket) result {
	if !c.now.Before(t.exp) {
		t.value = "simticket_" + s.st.newID("", 60)
		t.exp = c.now.Add(tokenTTL)
		s.st.auth.issued[t.value] = t.exp
	}
	return result{"ticket": t.value, "expires_in": int(t.exp.Sub(c.now).Seconds())}
}

// apiJSAPITicket mimics "获取企业的jsapi_ticket" (get_jsapi_ticket), GET or
// POST, with the 400-per-hour corp limit.
func (s *Sim) apiJSAPITicket(c *call) result {
	if !s.st.auth.countTicket(c.now, false) {
		return fail(45009, "api freq out of limit")
	}
	return s.serveTicket(c, &s.st.auth.jsapi)
}

// apiAgentTicket mimics "获取应用的jsapi_ticket" (ticket/get?type=agent_config)
// with the 100-per-hour app limit.
func (s *Sim) apiAgentTicket(c *call) result {
	if c.q.Get("type") != "agent_config" {
		return errInvalidParam("type must be agent_config")
	}
	if !s.st.auth.countTicket(c.now, true) {
		return fail(45009, "api freq out of limit")
	}
	return s.serveTicket(c, &s.st.auth.agent)
}

// IssueOAuthCode plays the OAuth redirect: it returns a code that
// auth/getuserinfo resolves to userID once, within 5 minutes.
func (s *Sim) IssueOAuthCode(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := s.st.newID("", 32)
	s.st.auth.codes[code] = oauthCode{userID: userID, exp: s.clock.Now().Add(5 * time.Minute)}
	return code
}

// apiGetUserInfo mimics "获取访问用户身份" (auth/getuserinfo): a code is
// single-use and lives 5 minutes; anything else is 40029. snsapi_base
// answers only userid (no user_ticket). Valid codes are not rate limited.
func (s *Sim) apiGetUserInfo(c *call) result {
	code := c.q.Get("code")
	oc, ok := s.st.auth.codes[code]
	delete(s.st.auth.codes, code)
	if !ok || !c.now.Before(oc.exp) {
		return fail(40029, "invalid code")
	}
	return result{"userid": oc.userID}
}
