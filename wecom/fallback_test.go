package wecom_test

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// linkProxy is a TCP link to the real Redis that the test can cut (every connection closed, new ones
// refused) and mend: Redis going away as a network partition shows it to a replica.
type linkProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newLinkProxy(t *testing.T, target string) *linkProxy {
	p := &linkProxy{t: t, target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *linkProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
			go func() { _, _ = io.Copy(c, up); _ = c.Close() }()
		}
	}()
}

// cut closes the listener and every connection: Redis no longer answers.
func (p *linkProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}

// mend listens again on the same address.
func (p *linkProxy) mend() {
	ln, err := net.Listen("tcp", p.addr)
	require.NoError(p.t, err)
	p.serve(ln)
}

// TestRedisDownReplicaKeepsCalling: when Redis stops answering, a replica goes on calling WeCom with
// its own token and its share of the budget (wecom.quota.fallback_share), says
// so to the metrics, and shares again through Redis once it answers.
func TestRedisDownReplicaKeepsCalling(t *testing.T) {
	prev := wecom.SetRedisRetryAfter(50 * time.Millisecond)
	t.Cleanup(func() { wecom.SetRedisRetryAfter(prev) })
	r := newReplicas(t)
	link := newLinkProxy(t, r.redis)
	r.redis = link.addr
	require.NoError(t, r.sim.Load(&sim.Corp{Users: []sim.User{{UserID: "zhangsan", Name: "张三"}}}))

	// 40 calls an hour: a burst of 4 shared through Redis; alone, a replica's quarter is a burst of 1.
	obs := newQuotaRec()
	rec := &recorder{}
	c, err := wecom.NewClient(wecom.Config{CorpID: r.corp, AgentID: 1000002, Secret: "redis-secret", BaseURL: r.url,
		RedisAddr: r.redis, Quota: wecom.QuotaConfig{PerMinute: 100, PerHour: 40, FallbackShare: 0.25}},
		wecom.WithObserver(rec.observe), wecom.WithClock(r.clock.Now), wecom.WithQuotaObserver(obs))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	tap := service.WithLane(context.Background(), service.LaneInteractive)

	_, err = c.GetUser(tap, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, 1, rec.count("cgi-bin/gettoken"))
	assert.Empty(t, obs.sharing(), "Redis answers: nothing to report")

	link.cut()
	_, err = c.GetUser(tap, "zhangsan")
	require.NoError(t, err, "Redis down: the call still goes, on this replica's own token and budget")
	assert.Equal(t, 1, rec.count("cgi-bin/gettoken"), "the token this replica holds in memory serves on")
	assert.Equal(t, []bool{false}, obs.sharing())
	short, cancel := context.WithTimeout(tap, 200*time.Millisecond)
	defer cancel()
	_, err = c.GetUser(short, "zhangsan")
	var qe *wecom.QuotaError
	require.ErrorAs(t, err, &qe, "alone, the replica spends only its share of the hour's burst")

	link.mend()
	require.Eventually(t, func() bool {
		_, err := c.ListDepartments(tap)
		return err == nil && len(obs.sharing()) == 2
	}, 10*time.Second, 20*time.Millisecond, "Redis answers again: the replica shares again")
	assert.Equal(t, []bool{false, true}, obs.sharing())
	assert.Equal(t, 1, rec.count("cgi-bin/gettoken"), "one token throughout")

	// A token WeCom drops while Redis is down is fetched again by the replica on its own.
	link.cut()
	r.sim.ExpireTokensNow()
	r.clock.Advance(time.Hour) // the hour's budget has room again
	_, err = c.ListDepartments(tap)
	require.NoError(t, err)
	assert.Equal(t, 2, rec.count("cgi-bin/gettoken"), "a fresh token fetched without Redis")
	assert.Equal(t, []bool{false, true, false}, obs.sharing())
}
