package wecom_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// quotaRec records what the quota reports.
type quotaRec struct {
	mu      sync.Mutex
	queued  map[string]int
	waited  int
	refused []string
	blocks  []time.Duration
	left    map[string]int
	shared  []bool // each change of sharing through Redis
}

var _ wecom.QuotaObserver = (*quotaRec)(nil)

func newQuotaRec() *quotaRec { return &quotaRec{queued: map[string]int{}, left: map[string]int{}} }

func (r *quotaRec) QuotaLeft(ep, w string, n int)  { r.mu.Lock(); r.left[ep+" "+w] = n; r.mu.Unlock() }
func (r *quotaRec) QuotaQueued(lane string, n int) { r.mu.Lock(); r.queued[lane] = n; r.mu.Unlock() }
func (r *quotaRec) QuotaWaited(string, time.Duration) {
	r.mu.Lock()
	r.waited++
	r.mu.Unlock()
}
func (r *quotaRec) QuotaRefused(ep, lane, reason string) {
	r.mu.Lock()
	r.refused = append(r.refused, ep+" "+lane+" "+reason)
	r.mu.Unlock()
}
func (r *quotaRec) QuotaShared(shared bool) {
	r.mu.Lock()
	r.shared = append(r.shared, shared)
	r.mu.Unlock()
}

func (r *quotaRec) sharing() []bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bool(nil), r.shared...)
}

func (r *quotaRec) QuotaBlocked(_ string, _ int, d time.Duration) {
	r.mu.Lock()
	r.blocks = append(r.blocks, d)
	r.mu.Unlock()
}

func (r *quotaRec) queuedNow(lane string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.queued[lane]
}

// log is the order in which calls finished.
type log struct {
	mu    sync.Mutex
	names []string
}

func (l *log) add(name string) { l.mu.Lock(); l.names = append(l.names, name); l.mu.Unlock() }
func (l *log) len() int        { l.mu.Lock(); defer l.mu.Unlock(); return len(l.names) }
func (l *log) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.names...)
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// TestInteractiveGoesFirst: with enrichment's share of the budget spent and more enrichment queued,
// a guide's tap goes at once (the headroom enrichment must leave); and when nobody has room, a
// queued tap gets the next call before enrichment that waited longer. Ordering, not time: the
// budget refills only when the test moves the clock.
func TestInteractiveGoesFirst(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	qr := newQuotaRec()
	// 20 a minute: a burst of 10 (enrichment must leave 2 of them), then 10 a minute.
	c := e.clientWith(t, func(c *wecom.Config) {
		c.Quota = wecom.QuotaConfig{PerMinute: 20, PerHour: 1000, MaxWait: time.Minute}
	}, wecom.WithQuotaObserver(qr))
	enrich := service.WithLane(ctx, service.LaneEnrichment)
	tap := service.WithLane(ctx, service.LaneInteractive)

	b, err := c.Budget(ctx, "cgi-bin/user/get", service.LaneEnrichment)
	require.NoError(t, err)
	assert.Equal(t, 8, b.Now, "enrichment may spend the burst less its reserve")
	assert.InDelta(t, 10.0/60, b.PerSecond, 1e-9, "then the minute's rate")
	assert.Equal(t, 72*time.Second, b.Drain(20).Round(time.Second), "20 calls: 8 now, 12 at 10 a minute")

	var order log
	var wg sync.WaitGroup
	get := func(lane service.Lane, name string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetUser(service.WithLane(ctx, lane), "zhangsan")
			assert.NoError(t, err, name)
			order.add(name)
		}()
	}
	for range 12 {
		get(service.LaneEnrichment, "enrichment")
	}
	require.Eventually(t, func() bool { return order.len() == 8 && qr.queuedNow("enrichment") == 4 },
		10*time.Second, 5*time.Millisecond, "8 go at once, 4 wait for budget")

	for range 2 { // the headroom enrichment left
		_, err := c.GetUser(tap, "zhangsan")
		require.NoError(t, err, "a tap goes at once while enrichment is queued")
		order.add("interactive")
	}
	assert.Equal(t, 4, qr.queuedNow("enrichment"))

	get(service.LaneInteractive, "interactive, queued") // no room for anyone now
	require.Eventually(t, func() bool { return qr.queuedNow("interactive") == 1 }, 10*time.Second, 5*time.Millisecond)
	e.clock.Advance(7 * time.Second) // room for one call
	require.Eventually(t, func() bool { return order.len() == 11 }, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, 4, qr.queuedNow("enrichment"), "the room went to the tap, not to the enrichment queued before it")

	e.clock.Advance(time.Minute)
	wg.Wait()
	want := append(repeat("enrichment", 8), "interactive", "interactive", "interactive, queued")
	assert.Equal(t, append(want, repeat("enrichment", 4)...), order.all())
	assert.Empty(t, qr.refused)
	for _, cl := range e.rec.all() {
		assert.NotEqual(t, wecom.CodeRateLimited, cl.ErrCode)
	}
	_, err = c.GetUser(enrich, "zhangsan")
	require.NoError(t, err)
}

// TestBudgetWaitsInsteadOf45009: a client whose budget is under WeCom's limits never sends a call
// into a 45009; calls past the budget wait for it (here on the minute's and the hour's windows).
func TestBudgetWaitsInsteadOf45009(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	e.sim.SetLimits(sim.AllPaths, sim.Limits{PerMinute: 10, PerHour: 30})
	qr := newQuotaRec()
	c := e.clientWith(t, func(c *wecom.Config) {
		c.Quota = wecom.QuotaConfig{PerMinute: 9, PerHour: 27, MaxWait: time.Hour}
	}, wecom.WithQuotaObserver(qr))
	tap := service.WithLane(ctx, service.LaneInteractive)
	var done log
	var wg sync.WaitGroup
	for range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetUser(tap, "zhangsan")
			assert.NoError(t, err)
			done.add("ok")
		}()
	}
	// The test is WeCom's clock: 20 s a step until every call went (27 an hour allows it in an hour).
	require.Eventually(t, func() bool {
		if done.len() == 25 {
			return true
		}
		e.clock.Advance(20 * time.Second)
		return false
	}, 60*time.Second, 10*time.Millisecond)
	wg.Wait()
	for _, cl := range e.rec.all() {
		assert.NotEqual(t, wecom.CodeRateLimited, cl.ErrCode, "no call was sent into a 45009")
	}
	assert.Equal(t, 25, e.rec.count("cgi-bin/user/get"))
	qr.mu.Lock()
	defer qr.mu.Unlock()
	assert.Positive(t, qr.waited, "calls waited for the budget")
}

// TestWeComBlockBacksOff: when WeCom answers 45009 after all (its limits are lower than the budget),
// the client leaves the API alone for WeCom's block, 60 s, and calls in the meantime fail at once
// without being sent; a 45009 again right after the block means the hour's limit: 60 minutes.
func TestWeComBlockBacksOff(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	e.sim.SetLimits("/cgi-bin/user/get", sim.Limits{PerHour: 2})
	qr := newQuotaRec()
	c := e.clientWith(t, func(c *wecom.Config) { c.Quota.MaxWait = time.Second }, wecom.WithQuotaObserver(qr))
	sent := func() int { return e.rec.count("cgi-bin/user/get") }
	get := func() error { _, err := c.GetUser(ctx, "zhangsan"); return err }

	require.NoError(t, get())
	require.NoError(t, get())
	assert.Equal(t, wecom.CodeRateLimited, apiCode(t, get()), "WeCom's own 45009 is returned as it is")
	var qe *wecom.QuotaError
	for range 3 {
		require.ErrorAs(t, get(), &qe)
		assert.True(t, qe.Blocked)
	}
	assert.Equal(t, 3, sent(), "no call sent while blocked")
	_, err := wecom.NewDirectory(c).Member(ctx, "zhangsan")
	require.ErrorIs(t, err, service.ErrRateLimited, "adapters see a refused call as WeCom's rate limit")

	e.clock.Advance(61 * time.Second)
	assert.Equal(t, wecom.CodeRateLimited, apiCode(t, get()), "one probe after the minute's block")
	e.clock.Advance(61 * time.Second)
	require.ErrorAs(t, get(), &qe, "a 45009 right after a block: the hour's limit, no probe after 60 s")
	assert.Equal(t, 4, sent())
	e.clock.Advance(time.Hour)
	require.NoError(t, get(), "WeCom's hour block is over")
	assert.Equal(t, []time.Duration{time.Minute, time.Hour}, qr.blocks)
}
