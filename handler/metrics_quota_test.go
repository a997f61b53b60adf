package handler_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// TestQuotaMetrics: the WeCom client's budget reaches Prometheus: what a window has left, WeCom's
// 45009s, calls not sent, and the drain-time estimate fed from the enrichment lane's budget.
func TestQuotaMetrics(t *testing.T) {
	m := handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{Pending: 30}, nil })
	scrape := func() string {
		w := httptest.NewRecorder()
		promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		return w.Body.String()
	}
	assert.Contains(t, scrape(), "guidebox_enrichment_drain_seconds -1", "unknown until an estimator is set")

	env := simtest.New(t)
	env.Sim.AddUser(sim.User{UserID: "zhangsan", Name: "张三"})
	c, err := wecom.NewClient(wecom.Config{CorpID: simtest.CorpID, Secret: env.Secret, BaseURL: env.URL,
		Quota: wecom.QuotaConfig{PerMinute: 20, PerHour: 1000, MaxWait: time.Second}},
		wecom.WithQuotaObserver(m), wecom.WithClock(env.Clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := service.WithLane(context.Background(), service.LaneInteractive)
	_, err = c.GetUser(ctx, "zhangsan")
	require.NoError(t, err)
	m.EstimateDrainWith(func(ctx context.Context) (time.Duration, error) {
		b, err := c.Budget(ctx, "cgi-bin/user/get", service.LaneEnrichment)
		return b.Drain(30), err
	})
	out := scrape()
	assert.Contains(t, out, `guidebox_wecom_quota_left{endpoint="cgi-bin/user/get",window="minute"} 9`)
	assert.Contains(t, out, `guidebox_wecom_quota_left{endpoint="cgi-bin/user/get",window="hour"} 99`)
	// Enrichment may spend 7 now (9 left, 2 kept for the lanes above), the other 23 at 10 a minute.
	assert.Contains(t, out, "guidebox_enrichment_drain_seconds 138")

	env.Sim.SetRateLimit("/cgi-bin/user/get", 1)
	_, err = c.GetUser(ctx, "zhangsan")
	require.True(t, wecom.IsCode(err, wecom.CodeRateLimited))
	_, err = c.GetUser(ctx, "zhangsan")
	var qe *wecom.QuotaError
	require.ErrorAs(t, err, &qe)
	out = scrape()
	assert.Contains(t, out, `guidebox_wecom_rate_limited_total{endpoint="cgi-bin/user/get",errcode="45009"} 1`)
	assert.Contains(t, out, `guidebox_wecom_quota_refused_total{endpoint="cgi-bin/user/get",lane="interactive",reason="blocked"} 1`)
}
