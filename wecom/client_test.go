package wecom_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

const testCorpID = "wwclienttest000001"

// call is one observed WeCom call.
type call struct {
	Endpoint string
	ErrCode  int
}

// recorder collects observer reports.
type recorder struct {
	mu    sync.Mutex
	calls []call
}

func (r *recorder) observe(endpoint string, errcode int, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{endpoint, errcode})
}

func (r *recorder) all() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

// env is a simulator on a manual clock, served over HTTP, and a client for it.
type env struct {
	sim    *sim.Sim
	clock  *sim.ManualClock
	url    string
	secret string
	client *wecom.Client
	rec    *recorder
}

func newEnv(t *testing.T) *env {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	e := &env{secret: "secret-" + hex.EncodeToString(b), rec: &recorder{},
		clock: sim.NewManualClock(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC))}
	s, err := sim.New(sim.Config{CorpID: testCorpID, AgentID: 1000002, Secret: e.secret, Clock: e.clock, Seed: 1})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	e.sim, e.url = s, srv.URL
	e.client = e.newClient(t)
	return e
}

// newClient builds another client for the same simulator, on the simulator's clock.
func (e *env) newClient(t *testing.T, opts ...wecom.Option) *wecom.Client {
	t.Helper()
	return e.clientWith(t, nil, opts...)
}

// clientWith is newClient with the config adjusted by edit (nil: none).
func (e *env) clientWith(t *testing.T, edit func(*wecom.Config), opts ...wecom.Option) *wecom.Client {
	t.Helper()
	opts = append([]wecom.Option{wecom.WithObserver(e.rec.observe), wecom.WithClock(e.clock.Now)}, opts...)
	cfg := wecom.Config{CorpID: testCorpID, AgentID: 1000002, Secret: e.secret, BaseURL: e.url, Timeout: 2 * time.Second}
	if edit != nil {
		edit(&cfg)
	}
	c, err := wecom.NewClient(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		name    string
		cfg     wecom.Config
		wantErr bool
	}{
		{"real WeCom", wecom.Config{CorpID: "ww1", Secret: "s"}, false},
		{"base url without slash", wecom.Config{CorpID: "ww1", Secret: "s", BaseURL: "http://127.0.0.1:1/wecom"}, false},
		{"missing corp", wecom.Config{Secret: "s"}, true},
		{"missing secret", wecom.Config{CorpID: "ww1"}, true},
		{"relative base url", wecom.Config{CorpID: "ww1", Secret: "s", BaseURL: "/x"}, true},
		{"ftp base url", wecom.Config{CorpID: "ww1", Secret: "s", BaseURL: "ftp://h/"}, true},
	}
	dir := t.TempDir()
	t.Chdir(dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := wecom.NewClient(tt.cfg)
			if tt.wantErr {
				require.Error(t, err)
				assert.Nil(t, c)
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, c)
		})
	}
	_, err := os.Stat("wechat")
	assert.True(t, os.IsNotExist(err), "PowerWeChat must not write ./wechat logs")
}

func TestBaseURLPathKept(t *testing.T) {
	e := newEnv(t)
	// Served under /wecom/: without the added trailing slash PowerWeChat would drop the prefix.
	mux := httptest.NewServer(stripPrefix("/wecom", e.sim))
	t.Cleanup(mux.Close)
	c, err := wecom.NewClient(wecom.Config{CorpID: testCorpID, Secret: e.secret, BaseURL: mux.URL + "/wecom"})
	require.NoError(t, err)
	_, err = c.ListDepartments(context.Background())
	require.NoError(t, err)
}

func TestTokenErrorsAreTyped(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		corpID string
		secret string
		want   int
	}{
		{"bad secret", testCorpID, "nope", wecom.CodeInvalidSecret},
		{"bad corpid", "wwnope", e.secret, wecom.CodeInvalidCorpID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c, err := wecom.NewClient(wecom.Config{CorpID: tt.corpID, Secret: tt.secret, BaseURL: e.url},
				wecom.WithObserver(rec.observe))
			require.NoError(t, err)
			_, err = c.GetUser(ctx, "zhangsan")
			var ae *wecom.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.want, ae.Code)
			assert.Equal(t, "cgi-bin/gettoken", ae.Endpoint)
			assert.Equal(t, []call{{"cgi-bin/gettoken", tt.want}, {"cgi-bin/user/get", tt.want}}, rec.all())
		})
	}
}

func TestTokenCachedThenRenewed(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	for range 3 {
		_, err := e.client.GetUser(ctx, "zhangsan")
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.rec.count("cgi-bin/gettoken"), "token fetched once, then cached")

	e.sim.ExpireTokensNow() // WeCom answers 42001; PowerWeChat renews and retries once
	u, err := e.client.GetUser(ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, "张三", u.Name)
}

func TestClientsDoNotShareTokens(t *testing.T) {
	// Two simulators with the same corpid and secret: PowerWeChat's default
	// process-wide cache would hand the second client the first one's token.
	a := newEnv(t)
	b := newEnv(t)
	b.secret = a.secret
	s, err := sim.New(sim.Config{CorpID: testCorpID, Secret: a.secret})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	b.url = srv.URL

	ca, cb := a.newClient(t), b.newClient(t)
	_, err = ca.ListDepartments(ctx)
	require.NoError(t, err)
	_, err = cb.ListDepartments(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, a.rec.count("cgi-bin/gettoken"))
	assert.Equal(t, 1, b.rec.count("cgi-bin/gettoken"), "the second client fetched its own token")
}

func TestTransportErrors(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	_, err := e.client.ListDepartments(ctx) // warm the token
	require.NoError(t, err)

	t.Run("http 500", func(t *testing.T) {
		e.sim.SetFail5xx("/cgi-bin/user/get", 1)
		_, err := e.client.GetUser(ctx, "zhangsan")
		require.Error(t, err)
		assert.False(t, wecom.IsCode(err))
		assert.Contains(t, err.Error(), "wecom cgi-bin/user/get: ")
	})
	t.Run("connection dropped", func(t *testing.T) {
		e.sim.SetDrop("/cgi-bin/user/get", 1)
		_, err := e.client.GetUser(ctx, "zhangsan")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "wecom cgi-bin/user/get: ")
	})
	t.Run("timeout", func(t *testing.T) {
		// An hour's delay: the call returns only because the client's 2 s timeout ends it.
		e.sim.SetLatency("/cgi-bin/user/get", time.Hour)
		defer e.sim.SetLatency("/cgi-bin/user/get", 0)
		_, err := e.client.GetUser(ctx, "zhangsan")
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded, "ended by the client's timeout")
		assert.False(t, wecom.IsCode(err))
		assert.Contains(t, err.Error(), "wecom cgi-bin/user/get: ")
	})
	t.Run("nothing listening", func(t *testing.T) {
		c, err := wecom.NewClient(wecom.Config{CorpID: testCorpID, Secret: "s", BaseURL: "http://127.0.0.1:1"})
		require.NoError(t, err)
		_, err = c.GetUser(ctx, "zhangsan")
		require.Error(t, err)
		assert.Contains(t, err.Error(), "wecom cgi-bin/gettoken: ")
	})
	var transport int
	for _, c := range e.rec.all() {
		if c.ErrCode == wecom.ErrCodeTransport {
			assert.Equal(t, "cgi-bin/user/get", c.Endpoint)
			transport++
		}
	}
	assert.Equal(t, 3, transport, "each transport failure is observed with ErrCodeTransport")
}

func TestBusinessErrorsAreTyped(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	_, err := e.client.GetUser(ctx, "ghost")
	var ae *wecom.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, wecom.CodeUserNotFound, ae.Code)
	assert.Equal(t, "cgi-bin/user/get", ae.Endpoint)
	assert.NotEmpty(t, ae.Msg)
	assert.Contains(t, e.rec.all(), call{"cgi-bin/user/get", 60111})

	e.sim.SetRateLimit("/cgi-bin/user/get", 1)
	_, err = e.client.GetUser(ctx, "zhangsan")
	assert.Equal(t, wecom.CodeRateLimited, apiCode(t, err))
}

func TestConcurrentCalls(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for range 20 {
		wg.Add(2)
		go func() { defer wg.Done(); _, err := e.client.GetUser(ctx, "zhangsan"); errs <- err }()
		go func() { defer wg.Done(); _, err := e.client.CorpTicket(ctx); errs <- err }()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, e.rec.count("cgi-bin/gettoken"), "one token fetch for concurrent first calls")
	assert.Equal(t, 1, e.rec.count("cgi-bin/get_jsapi_ticket"))
}
