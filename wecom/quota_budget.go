package wecom

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/guidebox/guidebox/service"
)

// A budget window is a GCRA / token bucket (golang.org/x/time/rate in the process,
// github.com/go-redis/redis_rate on Redis): burst calls at once, refilled at rate per period, with
// burst+rate = the window's budget, so no span of one period ever holds more than the budget,
// whether WeCom counts in clock windows or sliding ones. The minute's burst is half its budget
// (short bursts are the minute's business); the hour's is a tenth (the hour bounds the sustained
// rate: 135,000 an hour is 33.75 calls a second after the burst).
type window struct {
	name   string // "minute" | "hour", the metric label
	period time.Duration
	burst  int
	rate   int // per period
}

func newWindow(name string, period time.Duration, budget int, burstShare float64) window {
	b := max(1, int(float64(budget)*burstShare))
	return window{name: name, period: period, burst: b, rate: max(1, budget-b)}
}

// laneReserve is the share of a window's burst a lane must leave to the lanes above it: a lane may
// spend only while more than that is left, so a backlog of enrichment keeps a quarter of the burst
// free for handover and the sidebar, and reconciliation runs only on what the rest leave over.
var laneReserve = map[service.Lane]float64{
	service.LaneInteractive: 0, service.LaneHandover: 0.1, service.LaneEnrichment: 0.25, service.LaneBackground: 0.5,
}

// laneBurst is the burst lane l may use: the window's less the lane's reserve (at least 1).
func (w window) laneBurst(l service.Lane) int {
	return max(1, w.burst-int(laneReserve[l]*float64(w.burst)))
}

// reserved is how many calls lane l leaves in the window.
func (w window) reserved(l service.Lane) int { return w.burst - w.laneBurst(l) }

func (w window) perSecond() float64 { return float64(w.rate) / w.period.Seconds() }

// apiBudget is one API's two windows.
type apiBudget struct{ minute, hour window }

// budgetBackend keeps the windows and WeCom's blocks: in the process or in Redis.
type budgetBackend interface {
	// take spends one call of api for lane if both windows have room above the lane's reserve,
	// and returns what is left in each (minute, hour); otherwise it reports how long until they may.
	take(ctx context.Context, api string, b apiBudget, lane service.Lane, now time.Time) (ok bool, wait time.Duration, left [2]int, err error)
	// peek returns what is left in each window (minute, hour) without spending.
	peek(ctx context.Context, api string, b apiBudget, now time.Time) ([2]int, error)
	// block and blockOf keep the API's latest block from WeCom, kept for keep.
	block(ctx context.Context, api string, until time.Time, keep time.Duration) error
	blockOf(ctx context.Context, api string) (time.Time, error)
}

// memBudget keeps the windows in the process (golang.org/x/time/rate) on the client's clock.
type memBudget struct {
	mu     sync.Mutex
	lims   map[string][2]*rate.Limiter
	blocks map[string]time.Time
}

func newMemBudget() *memBudget {
	return &memBudget{lims: map[string][2]*rate.Limiter{}, blocks: map[string]time.Time{}}
}

func (m *memBudget) limiters(api string, b apiBudget) [2]*rate.Limiter {
	l, ok := m.lims[api]
	if !ok {
		l = [2]*rate.Limiter{
			rate.NewLimiter(rate.Limit(b.minute.perSecond()), b.minute.burst),
			rate.NewLimiter(rate.Limit(b.hour.perSecond()), b.hour.burst),
		}
		m.lims[api] = l
	}
	return l
}

func (m *memBudget) take(_ context.Context, api string, b apiBudget, lane service.Lane, now time.Time) (bool, time.Duration, [2]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lims := m.limiters(api, b)
	var wait time.Duration
	var have [2]float64
	for i, w := range []window{b.minute, b.hour} {
		have[i] = lims[i].TokensAt(now)
		if need := float64(w.reserved(lane)) + 1; have[i] < need {
			wait = max(wait, time.Duration((need-have[i])/w.perSecond()*float64(time.Second))+time.Millisecond)
		}
	}
	if wait > 0 {
		return false, wait, [2]int{}, nil
	}
	lims[0].AllowN(now, 1)
	lims[1].AllowN(now, 1)
	return true, 0, [2]int{int(have[0] - 1), int(have[1] - 1)}, nil
}

func (m *memBudget) peek(_ context.Context, api string, b apiBudget, now time.Time) ([2]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	lims := m.limiters(api, b)
	return [2]int{int(lims[0].TokensAt(now)), int(lims[1].TokensAt(now))}, nil
}

func (m *memBudget) block(_ context.Context, api string, until time.Time, _ time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.blocks[api] = until
	return nil
}

func (m *memBudget) blockOf(_ context.Context, api string) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.blocks[api], nil
}
