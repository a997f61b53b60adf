package handler

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/guidebox/guidebox/service/graph"
)

// Metrics is guidebox's Prometheus registry. It also implements graph.Observer and the WeCom
// client's QuotaObserver (metrics_quota.go).
type Metrics struct {
	Registry   *prometheus.Registry
	received   prometheus.Counter
	acked      prometheus.Counter
	rejected   *prometheus.CounterVec
	processed  *prometheus.HistogramVec
	apiCalls   *prometheus.CounterVec
	apiLatency *prometheus.HistogramVec
	quota      *quotaMetrics
}

var _ graph.Observer = (*Metrics)(nil)

// NewMetrics registers every collector; inbox depth is read from stats at each scrape.
func NewMetrics(stats func(ctx context.Context) (graph.InboxStats, error)) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		received: prometheus.NewCounter(prometheus.CounterOpts{Name: "guidebox_callbacks_received_total", Help: "WeCom callback POSTs received."}),
		acked:    prometheus.NewCounter(prometheus.CounterOpts{Name: "guidebox_callbacks_acked_total", Help: "Callbacks stored durably and answered 200."}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guidebox_callbacks_rejected_total", Help: "Callbacks refused, by reason."}, []string{"reason"}),
		processed: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "guidebox_event_processing_seconds", Help: "Time to apply one inbox event, by outcome.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"event", "outcome"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "guidebox_wecom_api_calls_total", Help: "WeCom API calls by endpoint and errcode (-1: transport error)."}, []string{"endpoint", "errcode"}),
		apiLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "guidebox_wecom_api_seconds", Help: "WeCom API call latency by endpoint.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"endpoint"}),
		quota: newQuotaMetrics(),
	}
	depth := func(pick func(graph.InboxStats) int64) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			st, err := stats(ctx)
			if err != nil {
				return -1
			}
			return float64(pick(st))
		}
	}
	m.Registry.MustRegister(m.received, m.acked, m.rejected, m.processed, m.apiCalls, m.apiLatency,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "guidebox_inbox_pending", Help: "Callbacks waiting to be applied."}, depth(func(s graph.InboxStats) int64 { return s.Pending })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "guidebox_inbox_parked", Help: "Callbacks parked after failing."}, depth(func(s graph.InboxStats) int64 { return s.Parked })),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.Registry.MustRegister(m.quota.collectors()...)
	return m
}

// Handler serves the registry in Prometheus' text format (GET /metrics).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// EventProcessed records one applied, retried, throttled or parked event, or one left to another
// worker that took its lease (lease_lost).
func (m *Metrics) EventProcessed(event, _ string, outcome string, d time.Duration) {
	m.processed.WithLabelValues(event, outcome).Observe(d.Seconds())
}

// WeComCall records one WeCom API call (wire it to the wecom client's observer).
func (m *Metrics) WeComCall(endpoint string, errcode int, d time.Duration) {
	m.apiCalls.WithLabelValues(endpoint, strconv.Itoa(errcode)).Inc()
	m.apiLatency.WithLabelValues(endpoint).Observe(d.Seconds())
}
