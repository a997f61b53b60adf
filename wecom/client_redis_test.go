package wecom_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// redisAddr is the Redis at TEST_REDIS_ADDR (default 127.0.0.1:6379; `make test` finds or starts one
// with scripts/ensure-redis.sh). The tests are skipped only with -short.
func redisAddr(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("needs Redis; skipped with -short")
	}
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

// replicas is a simulator on a manual clock and replicas (clients) sharing one Redis, under a corp id
// of their own so every Redis key is fresh.
type replicas struct {
	sim   *sim.Sim
	clock *sim.ManualClock
	url   string
	corp  string
	redis string
}

func newReplicas(t *testing.T) *replicas {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	r := &replicas{corp: "wwredis" + hex.EncodeToString(b), redis: redisAddr(t),
		clock: sim.NewManualClock(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC))}
	s, err := sim.New(sim.Config{CorpID: r.corp, Secret: "redis-secret", Clock: r.clock})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	r.sim, r.url = s, srv.URL
	return r
}

// replica starts one client (a replica) with its own recorder.
func (r *replicas) replica(t *testing.T, q wecom.QuotaConfig) (*wecom.Client, *recorder) {
	rec := &recorder{}
	c, err := wecom.NewClient(wecom.Config{CorpID: r.corp, AgentID: 1000002, Secret: "redis-secret",
		BaseURL: r.url, RedisAddr: r.redis, Quota: q}, wecom.WithObserver(rec.observe), wecom.WithClock(r.clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, rec
}

// TestReplicasShareOneTokenAndTicket: two replicas calling at once fetch one access token and one of
// each ticket between them, once per expiry, and once again when WeCom drops the token early. WeCom's
// answers are held back a little so both replicas want the token and tickets at the same time.
func TestReplicasShareOneTokenAndTicket(t *testing.T) {
	r := newReplicas(t)
	for _, p := range []string{"/cgi-bin/gettoken", "/cgi-bin/ticket/get", "/cgi-bin/get_jsapi_ticket"} {
		r.sim.SetLatency(p, 150*time.Millisecond)
	}
	a, recA := r.replica(t, wecom.QuotaConfig{})
	b, recB := r.replica(t, wecom.QuotaConfig{})
	total := func(endpoint string) int { return recA.count(endpoint) + recB.count(endpoint) }

	burst := func() (tickets []string) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, c := range []*wecom.Client{a, b, a, b, a, b} {
			wg.Add(3)
			go func() { defer wg.Done(); _, err := c.ListDepartments(ctx); assert.NoError(t, err) }()
			for _, get := range []func(context.Context) (string, error){c.AgentTicket, c.CorpTicket} {
				go func() {
					defer wg.Done()
					tk, err := get(ctx)
					assert.NoError(t, err)
					mu.Lock()
					tickets = append(tickets, tk)
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		return tickets
	}
	first := burst()
	assert.Equal(t, 1, total("cgi-bin/gettoken"), "one gettoken for both replicas")
	assert.Equal(t, 1, total("cgi-bin/ticket/get"), "one app ticket")
	assert.Equal(t, 1, total("cgi-bin/get_jsapi_ticket"), "one corp ticket")
	assert.Len(t, dedupe(first), 2, "every replica signs with the same two tickets")

	r.clock.Advance(2 * time.Hour) // token and tickets expire on WeCom's clock
	burst()
	assert.Equal(t, 2, total("cgi-bin/gettoken"), "one gettoken per expiry")
	assert.Equal(t, 2, total("cgi-bin/ticket/get"))
	assert.Equal(t, 2, total("cgi-bin/get_jsapi_ticket"))

	r.sim.ExpireTokensNow() // WeCom drops the token early: both replicas get 42001
	var wg sync.WaitGroup
	for _, c := range []*wecom.Client{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); _, err := c.ListDepartments(ctx); assert.NoError(t, err) }()
	}
	wg.Wait()
	assert.Equal(t, 3, total("cgi-bin/gettoken"), "one new token for both replicas")
}

func dedupe(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// TestReplicasShareBudgetAndBlocks: replicas spend from one budget per API, and a 45009 that one of
// them receives stops the others from calling that API too.
func TestReplicasShareBudgetAndBlocks(t *testing.T) {
	r := newReplicas(t)
	require.NoError(t, r.sim.Load(&sim.Corp{Users: []sim.User{{UserID: "zhangsan", Name: "张三"}}}))
	// 20 calls an hour: a burst of 2, then one call every 200 s.
	q := wecom.QuotaConfig{PerMinute: 100, PerHour: 20}
	a, _ := r.replica(t, q)
	b, recB := r.replica(t, q)
	tap := service.WithLane(ctx, service.LaneInteractive)

	_, err := a.GetUser(tap, "zhangsan")
	require.NoError(t, err)
	_, err = b.GetUser(tap, "zhangsan")
	require.NoError(t, err)
	short, cancel := context.WithTimeout(tap, time.Second)
	defer cancel()
	_, err = a.GetUser(short, "zhangsan")
	var qe *wecom.QuotaError
	require.ErrorAs(t, err, &qe, "the burst is spent by the two replicas together")
	assert.False(t, qe.Blocked)
	assert.Greater(t, qe.Wait, time.Second, "the next call is minutes away: refused at once")

	r.sim.SetRateLimit("/cgi-bin/department/list", 1)
	_, err = a.ListDepartments(tap)
	require.NoError(t, err)
	_, err = a.ListDepartments(tap)
	assert.Equal(t, wecom.CodeRateLimited, apiCode(t, err))
	_, err = b.ListDepartments(tap)
	require.ErrorAs(t, err, &qe, "the other replica does not call a blocked API")
	assert.True(t, qe.Blocked)
	assert.Zero(t, recB.count("cgi-bin/department/list"))
}
