package wecom_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// leakCase is one client call and the endpoint its error must name.
type leakCase struct {
	endpoint string
	call     func(context.Context, *wecom.Client) error
}

// leakCases cover GET and POST calls, the JS-SDK tickets and OAuth, whose
// URLs carry the access token (and the code).
var leakCases = []leakCase{
	{"cgi-bin/user/get", func(ctx context.Context, c *wecom.Client) error { _, err := c.GetUser(ctx, "zhangsan"); return err }},
	{"cgi-bin/externalcontact/get", func(ctx context.Context, c *wecom.Client) error {
		_, err := c.GetExternalContact(ctx, "wmwang")
		return err
	}},
	{"cgi-bin/externalcontact/mark_tag", func(ctx context.Context, c *wecom.Client) error {
		return c.MarkTag(ctx, "zhangsan", "wmwang", []string{"et1"}, nil)
	}},
	{"cgi-bin/get_jsapi_ticket", func(ctx context.Context, c *wecom.Client) error { _, err := c.CorpTicket(ctx); return err }},
	{"cgi-bin/ticket/get", func(ctx context.Context, c *wecom.Client) error { _, err := c.AgentTicket(ctx); return err }},
	{"cgi-bin/auth/getuserinfo", func(ctx context.Context, c *wecom.Client) error {
		_, err := c.GetUserInfo(ctx, "oauth-code-never-in-errors")
		return err
	}},
}

// assertNoSecret fails if text holds the secret, a token or ticket the
// simulator issued, or any credential-bearing query.
func (e *env) assertNoSecret(t *testing.T, text string) {
	t.Helper()
	assert.NotContains(t, text, e.secret)
	for _, tok := range e.sim.IssuedTokens() {
		assert.NotContains(t, text, tok)
	}
	for _, s := range []string{"access_token=", "corpsecret=", "oauth-code-never-in-errors", "?"} {
		assert.NotContains(t, text, s)
	}
}

// fastClient is a client for e's simulator with a short timeout.
func (e *env) fastClient(t *testing.T) *wecom.Client {
	t.Helper()
	c, err := wecom.NewClient(wecom.Config{CorpID: testCorpID, AgentID: 1000002, Secret: e.secret, BaseURL: e.url,
		Timeout: 300 * time.Millisecond})
	require.NoError(t, err)
	return c
}

// TestErrorsCarryNoSecrets: against a WeCom that hands out a token and then
// drops connections, and one that does not answer within the client's
// timeout, every error names the endpoint and holds neither the secret nor a
// token, ticket or code.
func TestErrorsCarryNoSecrets(t *testing.T) {
	tests := []struct {
		name  string
		warm  bool // fetch the token before the fault
		fault func(*sim.Sim)
		step  string // the failing step named in the error
	}{
		{"token handed out, then connections dropped", true,
			func(s *sim.Sim) { s.SetDrop(sim.AllPaths, 1000) }, ""},
		{"token handed out, then no answer in time", true,
			func(s *sim.Sim) { s.SetLatency(sim.AllPaths, time.Minute) }, ""},
		{"gettoken dropped", false,
			func(s *sim.Sim) { s.SetDrop("/cgi-bin/gettoken", 1000) }, "wecom cgi-bin/gettoken: "},
		{"gettoken unanswered in time", false,
			func(s *sim.Sim) { s.SetLatency("/cgi-bin/gettoken", time.Minute) }, "wecom cgi-bin/gettoken: "},
		{"gettoken answers 500", false,
			func(s *sim.Sim) { s.SetFail5xx("/cgi-bin/gettoken", 1000) }, "wecom cgi-bin/gettoken: "},
		{"token handed out, then 500s", true,
			func(s *sim.Sim) { s.SetFail5xx(sim.AllPaths, 1000) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.seed(t)
			for _, lc := range leakCases {
				t.Run(lc.endpoint, func(t *testing.T) {
					c := e.fastClient(t) // fresh token cache
					if tt.warm {
						_, err := c.ListDepartments(ctx)
						require.NoError(t, err)
						require.NotEmpty(t, e.sim.IssuedTokens())
					}
					tt.fault(e.sim)
					t.Cleanup(func() { e.sim.SetDrop(sim.AllPaths, 0); e.sim.SetDrop("/cgi-bin/gettoken", 0) })
					t.Cleanup(func() { e.sim.SetLatency(sim.AllPaths, 0); e.sim.SetLatency("/cgi-bin/gettoken", 0) })
					t.Cleanup(func() { e.sim.SetFail5xx(sim.AllPaths, 0); e.sim.SetFail5xx("/cgi-bin/gettoken", 0) })

					err := lc.call(ctx, c)
					require.Error(t, err)
					assert.False(t, wecom.IsCode(err), "a transport failure, not an errcode: %v", err)
					assert.Contains(t, err.Error(), "wecom "+lc.endpoint+": "+tt.step)
					e.assertNoSecret(t, err.Error())
					e.assertNoSecret(t, fmtAll(err))
				})
			}
		})
	}
}

// TestTimeoutStaysRecognisable: redaction keeps the cause of a timeout.
func TestTimeoutStaysRecognisable(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	c := e.fastClient(t)
	e.sim.SetLatency(sim.AllPaths, time.Minute)
	defer e.sim.SetLatency(sim.AllPaths, 0)
	_, err := c.GetUser(ctx, "zhangsan")
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestRenewalFailureCarriesNoSecrets: WeCom expires the token and then drops
// gettoken, so PowerWeChat's own renewal (which quotes the secret in its
// errors) fails inside the call.
func TestRenewalFailureCarriesNoSecrets(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	c := e.fastClient(t)
	_, err := c.GetUser(ctx, "zhangsan")
	require.NoError(t, err)
	e.sim.ExpireTokensNow()
	e.sim.SetDrop("/cgi-bin/gettoken", 1000)
	defer e.sim.SetDrop("/cgi-bin/gettoken", 0)
	_, err = c.GetUser(ctx, "zhangsan")
	require.Error(t, err)
	e.assertNoSecret(t, fmtAll(err))
}

// fmtAll is err's text and the text of every error it wraps.
func fmtAll(err error) string {
	s := ""
	for ; err != nil; err = unwrapOne(err) {
		s += err.Error() + "\n"
	}
	return s
}

func unwrapOne(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return u.Unwrap()
	}
	return nil
}
