package kpi_test

import (
	"context"
	"fmt"
	"math/rand"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
)

// activityDay is one day of a guide population's activity log, at the rates of a working corp: 60% of
// guides active that day, each with ~10 rows (4 sidebar opens, 2 product cards, 2 materials or
// replies, a note or tag change, an add 60% of days, a loss, an order 30% of days, now and then a
// refund or a task done), customers ~500 per guide (20,000,000 / 40,000).
func activityDay(r *rand.Rand, guides, day int, start time.Time, order *int) [][]any {
	var rows [][]any
	base := start.AddDate(0, 0, day)
	for g := 0; g < guides; g++ {
		if r.Intn(10) >= 6 {
			continue
		}
		gid := guideID(g)
		cust := func() string { return fmt.Sprintf("c%05d-%03d", g, r.Intn(500)) }
		at := base.Add(time.Duration(r.Intn(10*3600)) * time.Second)
		add := func(kind, ext, ref, detail string) {
			at = at.Add(time.Duration(1+r.Intn(300)) * time.Second)
			rows = append(rows, []any{corp, at, kind, gid, ext, "guide", gid, ref, detail})
		}
		for range 4 {
			add("sidebar_open", "", cust(), "")
		}
		var last string
		for range 2 {
			last = cust()
			add("product_shared", last, "sku", "")
		}
		for range 2 {
			add([]string{"material_sent", "reply_sent"}[r.Intn(2)], cust(), "1", "")
		}
		add([]string{"note_added", "tags_changed", "remark_changed"}[r.Intn(3)], cust(), "", "")
		if r.Intn(10) < 6 {
			add("customer_added", fmt.Sprintf("c%05d-%03d", g, 500+r.Intn(500)), "qr", "")
		}
		if r.Intn(10) == 0 {
			add([]string{"customer_deleted_guide", "guide_deleted_customer"}[r.Intn(2)], cust(), "", "")
		}
		if r.Intn(10) < 3 {
			*order++
			add("order_paid", last, fmt.Sprintf("o%d", *order), fmt.Sprintf(`{"amount_fen":%d}`, 1000+r.Intn(90000)))
			if r.Intn(30) == 0 {
				add("order_refunded", last, fmt.Sprintf("o%d", *order), `{"amount_fen":0}`)
			}
		}
		if r.Intn(20) == 0 {
			add("task_completed", "", "7", "")
		}
	}
	// In the log's order: by time, the guides' rows interleaved, as they are written.
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][1].(time.Time).Before(rows[j][1].(time.Time)) })
	return rows
}

var activityCols = []string{"corp_id", "occurred_at", "kind", "guide_userid", "external_userid", "actor_kind", "actor_id", "ref", "detail"}

// BenchmarkKPIFold: a full rebuild of GUIDEBOX_KPI_FOLD_DAYS days (3 by default) of the activity of
// GUIDEBOX_KPI_FOLD_GUIDES guides (40,000 by default: a batch then meets as many guide-days as it
// would in production; the cost is per row, so 90 days take 30 times 3 days' time), then the
// increments of the next day's first 60,000 rows as the job folds them (events/s).
func BenchmarkKPIFold(b *testing.B) {
	guides, days := benchSize("FOLD_GUIDES", 40000), benchSize("FOLD_DAYS", 3)
	e := newBenchEnv(b, guides)
	r := rand.New(rand.NewSource(3))
	start := t0.AddDate(0, 0, -days)
	order := 0
	total := 0
	for d := 0; d < days; d++ {
		rows := activityDay(r, guides, d, start, &order)
		total += len(rows)
		repotest.BulkInsert(b, e.db, "activity_log", activityCols, rows)
	}
	ctx := context.Background()
	b.Run("rebuild", func(b *testing.B) {
		require.NoError(b, e.svc.Rebuild(ctx, 0, 0))
		t := time.Now()
		n, err := e.svc.CatchUp(ctx)
		require.NoError(b, err)
		took := time.Since(t)
		b.ReportMetric(float64(n), "rows")
		b.ReportMetric(float64(n)/took.Seconds(), "rows/s")
		b.ReportMetric(took.Seconds()*21_600_000/float64(n)/60, "min-for-40k-guides")
	})
	next := activityDay(r, guides, days, start, &order)
	next = next[:min(len(next), 60_000)]
	repotest.BulkInsert(b, e.db, "activity_log", activityCols, next)
	b.Run("increment-60k-rows", func(b *testing.B) {
		t := time.Now()
		n, err := e.svc.CatchUp(ctx)
		require.NoError(b, err)
		took := time.Since(t)
		b.ReportMetric(float64(n), "rows")
		b.ReportMetric(float64(n)/took.Seconds(), "rows/s")
	})
}
