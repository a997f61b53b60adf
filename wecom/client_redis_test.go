package wecom_test

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestRedisSharesTokensAndTickets needs a Redis server at TEST_REDIS_ADDR (default
// 127.0.0.1:6379; `make test` finds or starts one with scripts/ensure-redis.sh). It is skipped
// only with -short. Two clients stand for two replicas.
func TestRedisSharesTokensAndTickets(t *testing.T) {
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
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	corp := "wwredis" + hex.EncodeToString(b) // fresh keys on every run
	s, err := sim.New(sim.Config{CorpID: corp, Secret: "redis-secret"})
	require.NoError(t, err)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)

	replica := func() (*wecom.Client, *recorder) {
		rec := &recorder{}
		c, err := wecom.NewClient(wecom.Config{CorpID: corp, AgentID: 1000002, Secret: "redis-secret",
			BaseURL: srv.URL, RedisAddr: addr}, wecom.WithObserver(rec.observe))
		require.NoError(t, err)
		return c, rec
	}
	a, recA := replica()
	bc, recB := replica()

	ta, err := a.AgentTicket(ctx)
	require.NoError(t, err)
	tb, err := bc.AgentTicket(ctx)
	require.NoError(t, err)
	assert.Equal(t, ta, tb)
	assert.Equal(t, 1, recA.count("cgi-bin/gettoken"))
	assert.Equal(t, 1, recA.count("cgi-bin/ticket/get"))
	assert.Zero(t, recB.count("cgi-bin/gettoken"), "token shared through Redis")
	assert.Zero(t, recB.count("cgi-bin/ticket/get"), "ticket shared through Redis")
}
