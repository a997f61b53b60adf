package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// Helpers of TestTwoReplicas: serve children, the balancer in front of them, OAuth, logs.

// TestReplicaChild is not a test of its own: TestTwoReplicas re-executes this test binary with it to
// run one `guidebox serve` process, configured by the file GUIDEBOX_REPLICA_CONFIG names, until SIGTERM.
func TestReplicaChild(t *testing.T) {
	file := os.Getenv("GUIDEBOX_REPLICA_CONFIG")
	if file == "" {
		t.Skip("a replica started by TestTwoReplicas")
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := run(ctx, []string{"serve", "--config", file}, stdio{out: os.Stdout, err: os.Stderr}); err != nil {
		t.Fatal(err)
	}
}

// replica is one running `guidebox serve` child process.
type replica struct {
	name string
	url  string
	log  *syncLog
	cmd  *exec.Cmd
}

// replicaConfig is the YAML both replicas run with: one MySQL database, one Redis, one corp (its id
// makes every Redis key of the test its own), the simulator as WeCom, handovers started at once.
func replicaConfig(addr, dsn, redis, corp, simURL string) string {
	return fmt.Sprintf(`http: {addr: %q}
database: {driver: mysql, dsn: %q}
wecom: {corp_id: %q, agent_id: 1000002, secret: replica-secret, token: %q, aes_key: %q, base_url: %q, redis_addr: %q}
worker: {batch: 16, concurrency: 4}
sidebar: {session_key: replica-session-key-0123456789, trusted_domains: ["127.0.0.1"]}
handover: {auto_strategy: round_robin}
log: {format: text, level: info}
`, addr, dsn, corp, simtest.Token, simtest.AESKey, simURL, redis)
}

// startReplicas starts one serve child per name and waits until each serves; each is stopped
// (SIGTERM) when t ends, and its log shown if t failed.
func startReplicas(t *testing.T, dsn, redis, corp, simURL string, names ...string) []*replica {
	t.Helper()
	var rs []*replica
	dones := map[string]chan struct{}{}
	for _, name := range names {
		addr := freeAddr(t)
		file := filepath.Join(t.TempDir(), name+".yaml")
		require.NoError(t, os.WriteFile(file, []byte(replicaConfig(addr, dsn, redis, corp, simURL)), 0o600))
		r := &replica{name: name, url: "http://" + addr, log: &syncLog{}}
		r.cmd = exec.Command(os.Args[0], "-test.run=^TestReplicaChild$", "-test.timeout=5m")
		r.cmd.Env = append(os.Environ(), "GUIDEBOX_REPLICA_CONFIG="+file)
		r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
		require.NoError(t, r.cmd.Start())
		done := make(chan struct{})
		go func() { _ = r.cmd.Wait(); close(done) }()
		dones[name] = done
		t.Cleanup(func() {
			_ = r.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(15 * time.Second):
				_ = r.cmd.Process.Kill()
				<-done
			}
			if t.Failed() {
				t.Logf("replica %s log:\n%s", r.name, r.log.String())
			}
		})
		rs = append(rs, r)
	}
	for _, r := range rs {
		require.Eventually(t, func() bool {
			select {
			case <-dones[r.name]:
				t.Fatalf("replica %s exited:\n%s", r.name, r.log.String())
			default:
			}
			return r.log.has("guidebox serving")
		}, 60*time.Second, 20*time.Millisecond, "replica %s serving", r.name)
	}
	return rs
}

// roundRobin is the load balancer in front of the replicas: each request to the next one.
type roundRobin struct {
	next    atomic.Uint64
	mu      sync.Mutex
	proxies []*httputil.ReverseProxy
	hits    []atomic.Int64
}

func (rr *roundRobin) to(rs ...*replica) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for _, r := range rs {
		u, _ := url.Parse(r.url)
		rr.proxies = append(rr.proxies, httputil.NewSingleHostReverseProxy(u))
	}
	rr.hits = make([]atomic.Int64, len(rs))
}

func (rr *roundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rr.mu.Lock()
	ps := rr.proxies
	rr.mu.Unlock()
	if len(ps) == 0 {
		http.Error(w, "no replica yet", http.StatusServiceUnavailable)
		return
	}
	i := int(rr.next.Add(1) % uint64(len(ps)))
	rr.hits[i].Add(1)
	ps[i].ServeHTTP(w, r)
}

// replicaRedis is the Redis at TEST_REDIS_ADDR (default 127.0.0.1:6379; `make test` finds or starts one).
func replicaRedis(t *testing.T) string {
	t.Helper()
	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatalf("Redis at %s unreachable: %v (set TEST_REDIS_ADDR or run `make redis-up`)", addr, err)
	}
	_ = conn.Close()
	return addr
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// signIn plays WeCom's OAuth for guide on r and returns the session cookie (valid on every replica:
// they share sidebar.session_key).
func signIn(t *testing.T, r *replica, s *sim.Sim, guide string) *http.Cookie {
	t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(r.url + "/oauth/start?next=/sidebar/")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	loc, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, r.url+"/oauth/callback?"+url.Values{"code": {s.IssueOAuthCode(guide)},
		"state": {loc.Query().Get("state")}}.Encode(), nil)
	require.NoError(t, err)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = noRedirect.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	for _, c := range resp.Cookies() {
		if c.Name == "gb_session" {
			return c
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// get fetches url with cookie and returns the status and body.
func get(t *testing.T, u string, cookie *http.Cookie) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// countLines counts the log lines of every replica holding each of the given strings.
func countLines(rs []*replica, subs ...string) int {
	n := 0
	for _, r := range rs {
	line:
		for _, ln := range strings.Split(r.log.String(), "\n") {
			for _, s := range subs {
				if !strings.Contains(ln, s) {
					continue line
				}
			}
			n++
		}
	}
	return n
}

var _ http.Handler = (*roundRobin)(nil)
