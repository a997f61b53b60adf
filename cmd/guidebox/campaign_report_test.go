package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/sim"
)

// waitComplete waits until every campaign customer's card is complete (the edge active, its details
// read from WeCom) and the inbox is empty, logging the backlog every 30 s; it returns the time since
// start.
func waitComplete(b *testing.B, ctx context.Context, a *app, s *sim.Sim, sz campaignSize, start time.Time) time.Duration {
	count := func() (complete, pending int64) {
		require.NoError(b, a.db.WithContext(ctx).Raw("SELECT COUNT(*) FROM follows WHERE corp_id = ? AND external_userid LIKE 'wmcamp%' "+
			"AND active = 1 AND details_at IS NOT NULL", a.cfg.WeCom.CorpID).Scan(&complete).Error)
		st, err := a.inbox.Stats(ctx)
		require.NoError(b, err)
		require.Zero(b, st.Parked, "no event parked")
		return complete, st.Pending
	}
	next := time.Now()
	for {
		complete, pending := count()
		if complete == int64(sz.adds) && pending == 0 {
			return time.Since(start)
		}
		if time.Now().After(next) {
			c := s.Calls()
			line := fmt.Sprintf("%6s: %d of %d cards complete, %d events pending; externalcontact/get %d, batch/get_by_user %d, 45009 %d",
				time.Since(start).Round(time.Second), complete, sz.adds, pending, c["/cgi-bin/externalcontact/get"].Calls,
				c["/cgi-bin/externalcontact/batch/get_by_user"].Calls, rateLimited(c))
			b.Log(line)
			fmt.Fprintln(os.Stderr, "campaign", line) // progress while it runs (b.Log shows at the end)
			next = next.Add(30 * time.Second)
		}
		if time.Since(start) > 3*time.Hour {
			b.Fatalf("not complete after 3 hours: %d of %d cards, %d pending", complete, sz.adds, pending)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func rateLimited(c map[string]sim.CallCount) int {
	n := 0
	for _, cc := range c {
		n += cc.RateLimited
	}
	return n
}

// quantile is the q-quantile of sorted latencies, in ms (0 when there are none).
func quantile(lat []time.Duration, q float64) float64 {
	if len(lat) == 0 {
		return 0
	}
	return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000
}

func reportCampaign(b *testing.B, sz campaignSize, calls map[string]sim.CallCount, acks ackStats, pushed, done time.Duration, cards *cardLoad) {
	require.Zero(b, acks.failed, "every callback acknowledged (after WeCom's retries)")
	require.Zero(b, rateLimited(calls), "no 45009 from WeCom")
	sort.Slice(acks.lat, func(i, j int) bool { return acks.lat[i] < acks.lat[j] })
	total, paths := 0, make([]string, 0, len(calls))
	for p, c := range calls {
		total += c.Calls
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var per []string
	for _, p := range paths {
		per = append(per, fmt.Sprintf("%s %d", strings.TrimPrefix(p, "/cgi-bin/"), calls[p].Calls))
	}
	events := float64(sz.adds)
	b.ReportMetric(float64(sz.adds)/pushed.Seconds(), "acks/s")
	b.ReportMetric(float64(acks.retries), "retried")
	b.ReportMetric(quantile(acks.lat, 0.99), "p99_ack_ms")
	b.ReportMetric(float64(total)/events, "calls/event")
	b.ReportMetric(float64(rateLimited(calls)), "45009s")
	b.ReportMetric(done.Seconds(), "complete_s")
	b.ReportMetric(quantile(cards.old, 0.99), "card_p99_ms")
	b.ReportMetric(quantile(cards.fresh, 0.99), "newcard_p99_ms")
	b.Logf("%d adds over %s to %d guides (%d customers each before): pushed in %s, %.0f acks/s, ack p50 %.1f ms p99 %.1f ms; %d POSTs retried %v",
		sz.adds, sz.window, sz.guides, sz.existing, pushed.Round(time.Second), float64(sz.adds)/pushed.Seconds(),
		quantile(acks.lat, 0.5), quantile(acks.lat, 0.99), acks.retries, acks.why)
	b.Logf("WeCom calls: %d in all, %.3f per event (%s); 45009: %d", total, float64(total)/events, strings.Join(per, ", "), rateLimited(calls))
	b.Logf("every card complete %s after the first callback (%s after the last)", done.Round(time.Second), (done - pushed).Round(time.Second))
	b.Logf("cards during the push: %d of customers from before, p50 %.1f ms p99 %.1f ms max %.1f ms; %d of campaign customers, p50 %.1f ms p99 %.1f ms max %.1f ms; answers %v",
		len(cards.old), quantile(cards.old, 0.5), quantile(cards.old, 0.99), quantile(cards.old, 1),
		len(cards.fresh), quantile(cards.fresh, 0.5), quantile(cards.fresh, 0.99), quantile(cards.fresh, 1), cards.codes)
}
