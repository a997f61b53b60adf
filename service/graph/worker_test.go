package graph_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
)

func (g *graphEnv) worker(owner string, lease time.Duration) *graph.Worker {
	return graph.NewWorker(graph.WorkerConfig{Owner: owner, Batch: 50, TxBatch: 8, Concurrency: 4, Lease: lease, Idle: 10 * time.Millisecond,
		MaxAttempts: 3, BaseBackoff: time.Millisecond, Throttle: 20 * time.Millisecond}, g.inbox, g.svc, wecom.ParseEvent, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// accept stores callbacks through the intake, as the callback handler does.
func (g *graphEnv) accept(msgs ...*callback.Message) {
	g.t.Helper()
	in := graph.NewIntake(g.inbox, 2, 64)
	defer in.Close()
	for _, m := range msgs {
		require.NoError(g.t, in.Accept(context.Background(), graph.InboxItem{Key: m.Key(), Event: m.Event, ChangeType: m.ChangeType,
			EventTime: time.Unix(m.CreateTime, 0), Raw: m.Marshal(), UserID: m.UserID, ExternalUserID: m.ExternalUserID}))
	}
}

func TestIntakeIgnoresDuplicateKeys(t *testing.T) {
	g := newGraphEnv(t)
	g.guide("g1", 1)
	_, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "钱先生"}, "")
	require.NoError(t, err)
	msgs := g.take()
	g.accept(msgs...)
	g.accept(msgs...) // WeCom retried every one
	st, err := g.inbox.Stats(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(len(msgs)), st.Pending)
}

// TestEventsAckedBeforeACrashAreProcessedAfterRestart: the process died after acknowledging
// (rows in the inbox, nothing applied) and while a worker held a lease; a new worker applies everything.
func TestEventsAckedBeforeACrashAreProcessedAfterRestart(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "孙女士"}, "")
	require.NoError(t, err)
	g.accept(g.take()...)

	// a worker claims the batch and "dies" before applying it
	claimed, err := g.inbox.Claim(ctx, "dead-worker", 10, time.Minute)
	require.NoError(t, err)
	require.Len(t, claimed, 2)
	n, err := g.worker("restarted", time.Minute).RunOnce(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "rows leased to the dead worker are not taken before the lease ends")

	// The dead worker's lease runs out: its end (next_at) moves into the past, as a minute would move
	// it, without the test depending on how fast a loaded machine gets here.
	require.NoError(t, g.db.Exec("UPDATE inbox_events SET next_at = ? WHERE locked_by = ?", time.Now().Add(-time.Second), "dead-worker").Error)
	n, err = g.worker("restarted", time.Minute).RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.True(t, g.follow("g1", ext).Active)
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, graph.InboxStats{}, st)
}

// TestPoisonEventsAreParkedAndReplayable: an event WeCom cannot enrich (the simulator answers 5xx)
// is retried with backoff, parked with its reason after MaxAttempts, and replayed once WeCom is back.
func TestPoisonEventsAreParkedAndReplayable(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "周先生"}, "")
	require.NoError(t, err)
	g.apply(g.take()[0]) // create_user
	g.wc.Sim.TakeQueued()
	_, _, err = g.wc.Sim.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: ext}, "")
	require.Error(t, err, "g2 is unknown to WeCom")
	require.NoError(t, g.wc.Sim.GuideDeletesCustomer("g1", ext))
	g.wc.Sim.TakeQueued()

	bad := &callback.Message{ToUserName: "corp", FromUserName: "sys", CreateTime: 1, MsgType: "event", Event: graph.EventExternalContact,
		ChangeType: graph.ChangeAddExternalContact, UserID: "g1"} // no ExternalUserID: can never apply
	g.wc.Sim.SetFail5xx("/cgi-bin/externalcontact/get", 100)
	flaky := &callback.Message{ToUserName: "corp", FromUserName: "sys", CreateTime: 2, MsgType: "event", Event: graph.EventExternalContact,
		ChangeType: graph.ChangeAddExternalContact, UserID: "g1", ExternalUserID: ext}
	g.accept(bad, flaky)
	w := g.worker("w", time.Minute)
	for range 10 {
		_, err := w.RunOnce(ctx)
		require.NoError(t, err)
		time.Sleep(5 * time.Millisecond)
	}
	parked, err := g.inbox.ListParked(ctx, 10)
	require.NoError(t, err)
	require.Len(t, parked, 2)
	assert.Equal(t, 1, parked[0].Attempts, "a permanent error parks at once")
	assert.Contains(t, parked[0].LastError, "lacks UserID or ExternalUserID")
	assert.Equal(t, 3, parked[1].Attempts, "a WeCom failure is retried up to MaxAttempts")
	assert.Contains(t, parked[1].LastError, "enrich contact")

	g.wc.Sim.SetFail5xx("/cgi-bin/externalcontact/get", 0)
	n, err := g.inbox.Replay(ctx, []int64{parked[1].ID})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	_, err = w.RunOnce(ctx)
	require.NoError(t, err)
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, graph.InboxStats{Parked: 1}, st)
	_, err = g.store.GetFollow(ctx, "g1", ext, false)
	assert.False(t, errors.Is(err, service.ErrNotFound))
}

func TestWorkersOnTwoReplicasApplyEachEventOnce(t *testing.T) {
	g := newGraphEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g.guide("g1", 1)
	g.guide("g2", 1)
	var exts []string
	for range 40 {
		ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "客户"}, "")
		require.NoError(t, err)
		_, _, err = g.wc.Sim.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: ext}, "")
		require.NoError(t, err)
		exts = append(exts, ext)
	}
	g.accept(g.take()...)
	for _, name := range []string{"replica-a", "replica-b"} {
		go g.worker(name, time.Minute).Run(ctx)
	}
	require.Eventually(t, func() bool {
		st, err := g.inbox.Stats(ctx)
		return err == nil && st.Pending == 0
	}, 20*time.Second, 20*time.Millisecond)
	cancel()
	st, err := g.inbox.Stats(context.Background())
	require.NoError(t, err)
	assert.Zero(t, st.Parked)
	for _, ext := range exts {
		hist, err := g.store.OwnershipHistory(context.Background(), ext)
		require.NoError(t, err)
		require.NotEmpty(t, hist)
		assert.Equal(t, "g1", hist[len(hist)-1].ToUserID, "the earliest follower (a tie goes to the smaller userid) owns")
		for i := 1; i < len(hist); i++ {
			assert.NotEqual(t, hist[i-1].ToUserID, hist[i].ToUserID, "no change is recorded twice")
		}
	}
}

// TestWeComRateLimitThrottlesWithoutParking: past WeCom's frequency limit (45009) events wait and
// come back, their attempts not counted, so a burst never parks them. (One customer of each of
// four guides: each is read with externalcontact/get.)
func TestWeComRateLimitThrottlesWithoutParking(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	var exts, guides []string
	for i := range 4 {
		guides = append(guides, fmt.Sprintf("g%d", i+1))
		g.guide(guides[i], 1)
		ext, _, err := g.wc.Sim.CustomerAddsGuide(guides[i], sim.Customer{Name: "客户"}, "")
		require.NoError(t, err)
		exts = append(exts, ext)
	}
	g.accept(g.take()...)
	for _, api := range []string{"/cgi-bin/externalcontact/get", "/cgi-bin/externalcontact/batch/get_by_user"} {
		g.wc.Sim.SetRateLimit(api, 1) // blocked, the one read goes to the other
	}
	w := graph.NewWorker(graph.WorkerConfig{Owner: "w", Batch: 50, TxBatch: 8, Concurrency: 1, Lease: time.Minute, Idle: time.Millisecond,
		MaxAttempts: 1, BaseBackoff: time.Millisecond, Throttle: 20 * time.Millisecond}, g.inbox, g.svc, wecom.ParseEvent, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for range 3 {
		_, err := w.RunOnce(ctx)
		require.NoError(t, err)
		time.Sleep(25 * time.Millisecond)
	}
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Parked, "a rate-limited event is not parked, even with MaxAttempts 1")
	assert.Positive(t, st.Pending, "some events wait for WeCom's next minute")

	for _, api := range []string{"/cgi-bin/externalcontact/get", "/cgi-bin/externalcontact/batch/get_by_user"} {
		g.wc.Sim.SetRateLimit(api, 0)
	}
	g.wc.Clock.Advance(time.Minute) // WeCom's block after a minute's limit lasts 60 s
	require.Eventually(t, func() bool {
		_, err := w.RunOnce(ctx)
		st, serr := g.inbox.Stats(ctx)
		return err == nil && serr == nil && st.Pending == 0
	}, 5*time.Second, 25*time.Millisecond)
	st, err = g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Parked)
	for i, ext := range exts {
		assert.True(t, g.follow(guides[i], ext).Active)
	}
}
