package sim

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/work"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/callback"
)

const (
	testToken  = "simtesttoken"
	testAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	testCorpID = "wwsimtestcorp0001"
)

// receiver is a callback endpoint that decrypts with the service's crypto.
type receiver struct {
	t      *testing.T
	crypto *callback.Crypto
	srv    *httptest.Server
	mu     sync.Mutex
	msgs   []*callback.Message
	fail   atomic.Int32 // answer 500 this many more times
	hang   atomic.Int32 // sleep past the push timeout this many more times
	hits   atomic.Int32
	ctype  atomic.Value
}

func newReceiver(t *testing.T) *receiver {
	c, err := callback.New(testToken, testAESKey, testCorpID)
	require.NoError(t, err)
	r := &receiver{t: t, crypto: c}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.hits.Add(1)
	r.ctype.Store(req.Header.Get("Content-Type"))
	if r.hang.Add(-1) >= 0 {
		time.Sleep(300 * time.Millisecond)
	}
	if r.fail.Add(-1) >= 0 {
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	}
	body, _ := io.ReadAll(req.Body)
	q := req.URL.Query()
	plain, err := r.crypto.Open(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	m, err := callback.ParseMessage(plain)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	_, _ = w.Write([]byte("success"))
}

// messages returns what was received so far.
func (r *receiver) messages() []*callback.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*callback.Message(nil), r.msgs...)
}

// env is a simulator, its HTTP server, a callback receiver and a
// PowerWeChat client pointed at the simulator.
type env struct {
	sim   *Sim
	clock *ManualClock
	srv   *httptest.Server
	recv  *receiver
	app   *work.Work
	ctx   context.Context
}

var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, opts ...func(*Config)) *env {
	t.Helper()
	e := &env{clock: NewManualClock(t0), recv: newReceiver(t), ctx: context.Background()}
	// A unique secret per test: PowerWeChat's token cache is process-wide and
	// keyed by corpid+secret (contract pitfall 7).
	secret := fmt.Sprintf("secret-%s-%d", t.Name(), time.Now().UnixNano())
	cfg := Config{CorpID: testCorpID, Secret: secret, Token: testToken, AESKey: testAESKey,
		CallbackURL: e.recv.srv.URL + "/callback?corp=1", Clock: e.clock, Seed: 7,
		PushTimeout: 150 * time.Millisecond, PushBackoff: 5 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(cfg)
	require.NoError(t, err)
	e.sim = s
	e.srv = httptest.NewServer(s.Handler())
	t.Cleanup(e.srv.Close)
	e.app = newApp(t, e.srv.URL, secret)
	return e
}

// newApp builds PowerWeChat's client against a simulator URL.
func newApp(t *testing.T, url, secret string) *work.Work {
	app, err := work.NewWork(&work.UserConfig{
		CorpID: testCorpID, AgentID: 1000002, Secret: secret, Token: testToken, AESKey: testAESKey,
		Http:  work.Http{BaseURI: url + "/", Timeout: 5},
		OAuth: work.OAuth{Callback: "http://x/cb", Scopes: []string{"snsapi_base"}},
		Log:   work.Log{File: os.DevNull, Error: os.DevNull},
	})
	require.NoError(t, err)
	return app
}

// flush waits for queued callbacks.
func (e *env) flush(t *testing.T) {
	ctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
	defer cancel()
	require.NoError(t, e.sim.Flush(ctx))
}

// seedBasic adds two guides and a customer following the first.
func (e *env) seedBasic(t *testing.T) (ext string) {
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三"})
	e.sim.AddUser(User{UserID: "lisi", Name: "李四"})
	ext, _, err := e.sim.CustomerAddsGuide("zhangsan", Customer{Name: "王小美", Gender: 2}, "qr_store1")
	require.NoError(t, err)
	return ext
}

// postJSON calls an API through PowerWeChat's BaseClient and decodes into out.
func (e *env) postJSON(t *testing.T, path string, body any, out any) {
	t.Helper()
	_, err := e.app.ExternalContactTransfer.BaseClient.HttpPostJson(e.ctx, path, body, nil, nil, out)
	require.NoError(t, err)
}
