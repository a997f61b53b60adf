package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// TestShortBudgetDefersReadsToCoalesce: with a budget of 23 calls at once per contact API (the
// enrichment lane's share of 60 a minute), 60 guides' one new customer each need 60 reads: the
// round spreads them over both APIs, makes the 46 it can afford and defers the other 14 (no attempt
// counted). When a deferred guide's next customer arrives, the deferred event joins that guide's
// read: one batch/get_by_user call for both. A deferred event whose patience is over is read anyway.
// (The events are read 20 s after they happened: not arriving fast, only more than the budget.)
func TestShortBudgetDefersReadsToCoalesce(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	c, err := wecom.NewClient(wecom.Config{CorpID: simtest.CorpID, AgentID: 1000002, Secret: g.wc.Secret, BaseURL: g.wc.URL,
		Quota: wecom.QuotaConfig{PerMinute: 60, PerHour: 600}}, wecom.WithClock(g.wc.Clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	svc := graph.NewService(g.store, g.inbox, wecom.NewDirectory(c), repo.NewTxManager(g.db), nil, slog.New(slog.DiscardHandler))
	svc.SetClock(g.wc.Clock.Now)
	w := graph.NewWorker(graph.WorkerConfig{Owner: "w", Batch: 100, TxBatch: 16, Concurrency: 4, Lease: time.Minute,
		MaxAttempts: 2, BaseBackoff: time.Millisecond}, g.inbox, svc, wecom.ParseEvent, nil, slog.New(slog.DiscardHandler))
	guides := make([]string, 60)
	for i := range guides {
		guides[i] = fmt.Sprintf("g%02d", i)
		g.guide(guides[i], 1)
	}
	g.apply(g.take()...)
	for _, id := range guides {
		_, _, err := g.wc.Sim.CustomerAddsGuide(id, sim.Customer{Name: "新客"}, "")
		require.NoError(t, err)
	}
	g.accept(g.take()...)
	g.wc.Clock.Advance(20 * time.Second)
	g.wc.Sim.ResetCalls()

	n, err := w.RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, 60, n)
	assert.Equal(t, 23, g.calls(apiGet))
	assert.Equal(t, 23, g.calls(apiBatch))
	rows := g.inboxRows()
	var waiting []inboxRow
	for _, r := range rows {
		if r.Status == graph.InboxPending {
			waiting = append(waiting, r)
		}
	}
	require.Len(t, waiting, 14, "deferred")
	for _, r := range waiting {
		assert.Zero(t, r.Attempts, "a deferred read is no failed attempt")
		assert.Contains(t, r.LastError, "deferred")
	}
	n, err = w.RunOnce(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "deferred events are not due")

	g.wc.Clock.Advance(time.Minute) // the budget refills: 23 calls at once again
	for _, r := range waiting[:7] {
		_, _, err := g.wc.Sim.CustomerAddsGuide(r.UserID, sim.Customer{Name: "又一位"}, "")
		require.NoError(t, err)
	}
	g.accept(g.take()...)
	g.wc.Sim.ResetCalls()
	n, err = w.RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, 14, n, "the new events and their guides' deferred ones")
	assert.Equal(t, 7, g.calls(apiBatch), "one batch read per guide answers both its customers")
	assert.Zero(t, g.calls(apiGet))

	g.wc.Clock.Advance(graph.DefaultReadPatience) // the other 7 have waited their patience
	require.NoError(t, g.db.Exec("UPDATE inbox_events SET next_at = ? WHERE status = 'pending'", time.Now().UTC().Add(-time.Second)).Error)
	g.drain(w)
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, graph.InboxStats{}, st)
	var incomplete int64
	require.NoError(t, g.db.Raw("SELECT COUNT(*) FROM follows WHERE details_at IS NULL").Scan(&incomplete).Error)
	assert.Zero(t, incomplete)
}

// TestFastArrivalsWaitForFullerReads: events arriving faster than half the contact APIs' sustained
// budget (here 0.15 a second) are read only by reads answering enough of them per call: a guide's 8
// new customers at once (one batch/get_by_user call), while 20 guides' single new customers wait
// for more of theirs, although the budget could pay for them now.
func TestFastArrivalsWaitForFullerReads(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	c, err := wecom.NewClient(wecom.Config{CorpID: simtest.CorpID, AgentID: 1000002, Secret: g.wc.Secret, BaseURL: g.wc.URL,
		Quota: wecom.QuotaConfig{PerMinute: 60, PerHour: 600}}, wecom.WithClock(g.wc.Clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	svc := graph.NewService(g.store, g.inbox, wecom.NewDirectory(c), repo.NewTxManager(g.db), nil, slog.New(slog.DiscardHandler))
	svc.SetClock(g.wc.Clock.Now)
	w := graph.NewWorker(graph.WorkerConfig{Owner: "w", Batch: 100, TxBatch: 16, Concurrency: 4, Lease: time.Minute,
		MaxAttempts: 2, BaseBackoff: time.Millisecond}, g.inbox, svc, wecom.ParseEvent, nil, slog.New(slog.DiscardHandler))
	g.guide("busy", 1)
	for i := range 20 {
		g.guide(fmt.Sprintf("g%02d", i), 1)
	}
	g.apply(g.take()...)
	for range 8 {
		_, _, err := g.wc.Sim.CustomerAddsGuide("busy", sim.Customer{Name: "新客"}, "")
		require.NoError(t, err)
	}
	for i := range 20 {
		_, _, err := g.wc.Sim.CustomerAddsGuide(fmt.Sprintf("g%02d", i), sim.Customer{Name: "新客"}, "")
		require.NoError(t, err)
	}
	g.accept(g.take()...)
	g.wc.Sim.ResetCalls()

	n, err := w.RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, 28, n)
	assert.Equal(t, 1, g.calls(apiBatch), "busy's customers in one read")
	assert.Zero(t, g.calls(apiGet), "the single customers wait")
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(20), st.Pending)
}
