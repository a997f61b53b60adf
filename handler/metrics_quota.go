package handler

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// quotaMetrics are the WeCom client's budget measurements (wecom.QuotaObserver): budget left per
// API and window, calls waiting per lane, waits, calls not sent, WeCom's 45009s, and the
// enrichment backlog's expected time to drain.
type quotaMetrics struct {
	left    *prometheus.GaugeVec
	queued  *prometheus.GaugeVec
	waited  *prometheus.HistogramVec
	refused *prometheus.CounterVec
	blocked *prometheus.CounterVec
	// fallback is 1 while Redis does not answer and this replica keeps to its own token and budget share.
	fallback prometheus.Gauge

	mu    sync.Mutex
	drain func(ctx context.Context) (time.Duration, error)
}

func newQuotaMetrics() *quotaMetrics {
	return &quotaMetrics{
		left: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "guidebox_wecom_quota_left",
			Help: "WeCom calls left in the budget of an API's window (minute, hour), as of its last granted call."}, []string{"endpoint", "window"}),
		queued: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "guidebox_wecom_quota_queued",
			Help: "WeCom calls waiting for budget, by lane."}, []string{"lane"}),
		waited: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "guidebox_wecom_quota_wait_seconds",
			Help: "How long WeCom calls that had to wait for budget waited, by lane.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}, []string{"lane"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guidebox_wecom_quota_refused_total",
			Help: "WeCom calls not sent: no budget within their wait (budget), or the API blocked after a 45009 (blocked)."}, []string{"endpoint", "lane", "reason"}),
		blocked: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guidebox_wecom_rate_limited_total",
			Help: "WeCom's frequency-limit answers (45009, 45033) by endpoint: the client then leaves the API alone for WeCom's block."}, []string{"endpoint", "errcode"}),
		fallback: prometheus.NewGauge(prometheus.GaugeOpts{Name: "guidebox_wecom_redis_fallback",
			Help: "1 while Redis does not answer and this replica uses its own access token and its share of the call budget (wecom.quota.fallback_share); 0 while replicas share them."}),
	}
}

func (q *quotaMetrics) collectors() []prometheus.Collector {
	drain := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "guidebox_enrichment_drain_seconds",
		Help: "Expected time until the enrichment backlog is through, at the enrichment lane's budget (-1: unknown)."}, q.drainSeconds)
	return []prometheus.Collector{q.left, q.queued, q.waited, q.refused, q.blocked, q.fallback, drain}
}

// QuotaLeft records what an API's window had left after a granted call.
func (m *Metrics) QuotaLeft(endpoint, window string, left int) {
	m.quota.left.WithLabelValues(endpoint, window).Set(float64(left))
}

// QuotaQueued records how many calls of a lane wait for budget.
func (m *Metrics) QuotaQueued(lane string, waiting int) {
	m.quota.queued.WithLabelValues(lane).Set(float64(waiting))
}

// QuotaWaited records how long a call waited for budget.
func (m *Metrics) QuotaWaited(lane string, d time.Duration) {
	m.quota.waited.WithLabelValues(lane).Observe(d.Seconds())
}

// QuotaRefused counts a call the client did not send.
func (m *Metrics) QuotaRefused(endpoint, lane, reason string) {
	m.quota.refused.WithLabelValues(endpoint, lane, reason).Inc()
}

// QuotaBlocked counts a 45009/45033 from WeCom.
func (m *Metrics) QuotaBlocked(endpoint string, errcode int, _ time.Duration) {
	m.quota.blocked.WithLabelValues(endpoint, strconv.Itoa(errcode)).Inc()
}

// QuotaShared records whether this replica shares the token and the budget through Redis.
func (m *Metrics) QuotaShared(shared bool) {
	v := 0.0
	if !shared {
		v = 1
	}
	m.quota.fallback.Set(v)
}

// EstimateDrainWith sets how guidebox_enrichment_drain_seconds is computed at each scrape: the
// graph side knows the backlog (events waiting, calls each needs), the WeCom client the enrichment
// lane's budget (wecom.Client.Budget, service.Budget.Drain). Until set, the gauge reads -1.
func (m *Metrics) EstimateDrainWith(fn func(ctx context.Context) (time.Duration, error)) {
	m.quota.mu.Lock()
	defer m.quota.mu.Unlock()
	m.quota.drain = fn
}

func (q *quotaMetrics) drainSeconds() float64 {
	q.mu.Lock()
	fn := q.drain
	q.mu.Unlock()
	if fn == nil {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	d, err := fn(ctx)
	if err != nil || d < 0 {
		return -1
	}
	return d.Seconds()
}
