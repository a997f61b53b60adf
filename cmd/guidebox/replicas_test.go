package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// TestTwoReplicas runs two `guidebox serve` processes (this test binary re-executed) on one MySQL
// database and one Redis, with the simulator as WeCom pushing callbacks to them through a round-robin
// balancer, every callback twice (WeCom retries, and a retry may reach either replica). It checks what
// replicas share: each callback applied once; one gettoken for both, one more after WeCom drops the
// token, and one fetch of each JS-SDK ticket; a departed guide's handover run by one replica (each
// customer transferred once); the handover sweep, a scheduled job due at start-up, run once.
func TestTwoReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two serve processes on MySQL and Redis")
	}
	dsn, redis := repotest.DSN(t), replicaRedis(t)
	corp := "wwreplicas" + randomHex(4) // every Redis key of this run is its own
	lb := &roundRobin{}
	lbSrv := httptest.NewServer(lb)
	t.Cleanup(lbSrv.Close)
	s, err := sim.New(sim.Config{CorpID: corp, Secret: "replica-secret", Token: simtest.Token, AESKey: simtest.AESKey,
		CallbackURL: lbSrv.URL + "/wecom/callback", PushBackoff: 50 * time.Millisecond})
	require.NoError(t, err)
	simSrv := httptest.NewServer(s.Handler())
	t.Cleanup(simSrv.Close)
	s.SetPushPaused(true) // until the replicas serve
	s.AddDepartment(sim.Department{ID: 2, Name: "南京西路店", ParentID: 1})
	for _, u := range []string{"gone", "t1", "t2"} {
		s.AddUser(sim.User{UserID: u, Name: "导购" + u, Departments: []int{2}, MainDepartment: 2})
	}
	var gone []string
	for i := range 30 {
		guide := []string{"gone", "gone", "t1"}[i%3]
		ext, _, err := s.CustomerAddsGuide(guide, sim.Customer{Name: fmt.Sprintf("客户%02d", i)}, "qr")
		require.NoError(t, err)
		if guide == "gone" {
			gone = append(gone, ext)
		}
	}
	rs := startReplicas(t, dsn, redis, corp, simSrv.URL, "a", "b")
	a, b := rs[0], rs[1]
	lb.to(a, b)
	ctx := context.Background()

	s.SetPushPaused(false)
	require.NoError(t, s.Flush(ctx))
	var msgs []*callback.Message
	for _, d := range s.Delivered() {
		require.True(t, d.OK, d.Err)
		msgs = append(msgs, d.Message)
	}
	require.Len(t, msgs, 3+30)
	for _, d := range s.PushConcurrent(ctx, msgs, 4) { // every callback again
		require.True(t, d.OK, d.Err)
	}
	assert.Positive(t, lb.hits[0].Load())
	assert.Positive(t, lb.hits[1].Load())
	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(t, err)
	count := func(q string, args ...any) int {
		var n int64
		require.NoError(t, db.Raw(q, args...).Scan(&n).Error)
		return int(n)
	}
	require.Eventually(t, func() bool {
		return count("SELECT COUNT(*) FROM inbox_events WHERE status = 'done'") == len(msgs)
	}, 30*time.Second, 50*time.Millisecond, "every callback applied")
	assert.Equal(t, len(msgs), count("SELECT COUNT(*) FROM inbox_events"), "each callback stored once")
	assert.Equal(t, 30, count("SELECT COUNT(*) FROM follows WHERE active = 1 AND details_at IS NOT NULL"))
	assert.Equal(t, 30, count("SELECT COUNT(*) FROM ownership_history"), "one owner decision per customer")
	assert.Equal(t, 30, count("SELECT COUNT(DISTINCT external_userid) FROM ownership_history"))
	assert.Equal(t, 1, s.Calls()["/cgi-bin/gettoken"].Calls, "one access token for both replicas")

	// WeCom drops the token; both replicas sign JS-SDK pages at once: one new token, one of each ticket.
	cookie := signIn(t, a, s, "t1")
	s.ExpireTokensNow()
	for _, p := range []string{"/cgi-bin/gettoken", "/cgi-bin/get_jsapi_ticket", "/cgi-bin/ticket/get"} {
		s.SetLatency(p, 150*time.Millisecond) // so both replicas want them at the same time
	}
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Go(func() {
			code, body := get(t, r.url+"/api/sidebar/jsapi-signature?url=http%3A%2F%2F127.0.0.1%2Fsidebar%2F", cookie)
			assert.Equal(t, http.StatusOK, code, body)
		})
	}
	wg.Wait()
	// (A ticket call that meets the dropped token is answered 42001, and sent again with a new one:
	// the fetches counted are the answers with errcode 0.)
	calls := s.Calls()
	assert.Equal(t, 2, calls["/cgi-bin/gettoken"].Calls, "one gettoken per expiry, not one per replica")
	assert.Equal(t, 1, calls["/cgi-bin/get_jsapi_ticket"].OK, "one corp ticket for both")
	assert.Equal(t, 1, calls["/cgi-bin/ticket/get"].OK, "one app ticket for both")

	// The guide leaves: delete_user opens a case (handover.auto_strategy), which one replica runs.
	require.NoError(t, s.ResignUser("gone"))
	require.Eventually(t, func() bool {
		return count("SELECT COUNT(*) FROM handover_items WHERE kind = 'customer' AND state = 'waiting'") == len(gone)
	}, 30*time.Second, 50*time.Millisecond, "the handover's customers sent")
	sent := map[string]int{}
	for _, tr := range s.Transfers() {
		sent[tr.ExternalUserID]++
	}
	assert.Len(t, sent, len(gone))
	for _, ext := range gone {
		assert.Equal(t, 1, sent[ext], "%s transferred once", ext)
	}
	assert.Equal(t, 1, countLines(rs, "job started", "job=handover.reconcile"), "the start-up sweep ran on one replica")
	t.Logf("callbacks %d and %d to the replicas, %d answered 503 (WeCom sent them again)",
		lb.hits[0].Load(), lb.hits[1].Load(), countLines(rs, "callback not stored"))
}
