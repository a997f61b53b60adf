package wecom_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestRedisSharesTokensAndTickets needs a Redis server: set TEST_REDIS_ADDR
// (e.g. 127.0.0.1:6379). Two clients stand for two replicas.
func TestRedisSharesTokensAndTickets(t *testing.T) {
	addr := os.Getenv("TEST_REDIS_ADDR")
	if addr == "" {
		t.Skip("TEST_REDIS_ADDR not set")
	}
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
