package autotag_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/autotagdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/autotag"
)

const benchCorp = "wwautotagbench001"

// BenchmarkAutoTagPass measures the nightly pass over every customer with orders on MySQL: customers
// (with owners) and their order lines bulk-loaded, the demo's ten rules (one of each kind; 高消费
// also written to WeCom, so the first pass queues its marks). Three passes: the first gives every
// tag, the second finds nothing to change (a night without orders), the third runs 40 days later
// (stages and windows move). Reported: time, customers a second, rows written, peak heap over the
// baseline. Customers from GUIDEBOX_BENCH_AUTOTAG_CUSTOMERS (default 100000 so `make bench` stays
// short; the run is 1000000). Method and figures: docs/benchmarks.md, "Auto-tag pass".
func BenchmarkAutoTagPass(b *testing.B) {
	customers := 100000
	if n, err := strconv.Atoi(os.Getenv("GUIDEBOX_BENCH_AUTOTAG_CUSTOMERS")); err == nil && n > 0 {
		customers = n
	}
	b.Run(fmt.Sprintf("customers=%d", customers), func(b *testing.B) { benchPass(b, customers) })
}

func benchPass(b *testing.B, customers int) {
	ctx := context.Background()
	db, err := repo.Open(repo.DriverMySQL, repotest.DSN(b))
	require.NoError(b, err)
	_, err = repo.Migrate(ctx, db)
	require.NoError(b, err)
	now := time.Now().UTC().Truncate(time.Second)
	start := time.Now()
	lines := loadPassBench(b, db, customers, now)
	b.Logf("loaded %d customers with %d order lines in %s", customers, lines, time.Since(start).Round(time.Second))
	clock := now
	svc := autotag.New(autotag.Config{Now: func() time.Time { return clock }}, autotagdb.New(db, benchCorp), nil, nil, slog.New(slog.DiscardHandler))
	defer svc.Close()
	for _, r := range benchRules() {
		_, err := svc.CreateRule(ctx, r)
		require.NoError(b, err)
	}
	for i := 0; i < b.N; i++ {
		for k, label := range []string{"first pass", "second pass (nothing new)", "40 days later"} {
			if k == 2 {
				clock = now.Add(40 * 24 * time.Hour)
			}
			base := heapNow()
			peak := samplePeak()
			t0 := time.Now()
			rep, err := svc.RunPass(ctx)
			took := time.Since(t0)
			top := peak() - base
			require.NoError(b, err)
			b.Logf("%s: %d customers, %d lines in %s (%.0f customers/s): %d tags added, %d removed, %d WeCom marks queued; peak heap +%.1f MiB",
				label, rep.Customers, rep.Lines, took.Round(time.Millisecond), float64(rep.Customers)/took.Seconds(), rep.Added, rep.Removed,
				rep.Marks, float64(top)/(1<<20))
			if k == 0 {
				b.ReportMetric(took.Seconds(), "first-pass-s")
			}
			if k == 1 {
				b.ReportMetric(took.Seconds(), "steady-pass-s")
			}
		}
	}
}

func heapNow() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// samplePeak samples the live heap (after a GC) every 250 ms until the returned function is called; it returns the peak.
func samplePeak() func() int64 {
	var peak atomic.Int64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.GC() // the live heap, not garbage waiting for the collector
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak.Store(max(peak.Load(), int64(m.HeapAlloc)))
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 { close(stop); <-done; return peak.Load() }
}

// benchRules are the demo's rules, on the bench's tags.
func benchRules() []autotag.RuleInput {
	rs := []autotag.RuleInput{
		{Name: "近30天买过护肤", Kind: autotag.KindCategory, Category: "护肤", Days: 30, TagID: "t-skin"},
		{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, Days: 90, TagID: "t-vip", ToWeCom: true},
		{Name: "半年未购", Kind: autotag.KindDormant, Days: 180, TagID: "t-gone"},
	}
	for i, s := range []string{autotag.StageNew, autotag.StageRepeat, autotag.StageDormant, autotag.StageLost} {
		rs = append(rs, autotag.RuleInput{Name: "阶段" + s, Kind: autotag.KindLifecycle, Stage: s, TagID: fmt.Sprintf("t-life%d", i)})
	}
	for i, s := range []string{"孕期", "0-1岁", "1-3岁"} {
		rs = append(rs, autotag.RuleInput{Name: "母婴" + s, Kind: autotag.KindBabyStage, Days: 365, TagID: fmt.Sprintf("t-baby%d", i)})
	}
	return rs
}

// loadPassBench loads the tags, 2,000 products (护肤, 母婴 with stage tags, others), the customers with
// an owner, and 1–4 orders of 1–2 lines each per customer over two years; it returns the lines.
func loadPassBench(b *testing.B, db *gorm.DB, customers int, now time.Time) int {
	var tags [][]any
	for _, id := range []string{"t-skin", "t-vip", "t-gone", "t-life0", "t-life1", "t-life2", "t-life3", "t-baby0", "t-baby1", "t-baby2"} {
		tags = append(tags, []any{benchCorp, id, "g-auto", id, 0})
	}
	repotest.BulkInsert(b, db, "tag_groups", []string{"corp_id", "group_id", "name", "sort_order"}, [][]any{{benchCorp, "g-auto", "自动标签", 0}})
	repotest.BulkInsert(b, db, "tags", []string{"corp_id", "tag_id", "group_id", "name", "sort_order"}, tags)
	cats := []string{"护肤", "母婴", "美妆", "家居", "服饰", "食品"}
	var ps [][]any
	for i := range 2000 {
		cat, tagIDs := cats[i%len(cats)], ""
		if cat == "母婴" {
			tagIDs = fmt.Sprintf("t-baby%d", i/len(cats)%3)
		}
		ps = append(ps, []any{benchCorp, fmt.Sprintf("SKU%05d", i), "商品", cat, 9900 + i%50*1000, tagIDs, true, now})
	}
	repotest.BulkInsert(b, db, "products", []string{"corp_id", "sku", "name", "category", "price_fen", "tag_ids", "on_sale", "updated_at"}, ps)
	rng := rand.New(rand.NewPCG(5, 6))
	cols := []string{"corp_id", "order_id", "line_no", "sku", "qty", "price_fen", "external_userid", "store_id", "paid_at", "refunded"}
	var cs, ls [][]any
	lines, order := 0, 0
	flush := func() {
		repotest.BulkInsert(b, db, "customers", []string{"corp_id", "external_userid", "name", "owner_userid", "updated_at"}, cs)
		repotest.BulkInsert(b, db, "order_lines", cols, ls)
		lines += len(ls)
		cs, ls = cs[:0], ls[:0]
	}
	for c := range customers {
		ext := fmt.Sprintf("wmpass%09d", c)
		cs = append(cs, []any{benchCorp, ext, "客户", fmt.Sprintf("guide%03d", c%500), now})
		for range 1 + rng.IntN(4) {
			order++
			paid := now.Add(-time.Duration(rng.IntN(730*24)) * time.Hour)
			for n := range 1 + rng.IntN(2) {
				ls = append(ls, []any{benchCorp, fmt.Sprintf("PO%09d", order), n + 1, fmt.Sprintf("SKU%05d", rng.IntN(2000)), 1 + rng.IntN(3),
					10000 + rng.IntN(100000), ext, 1 + c%20, paid, rng.IntN(30) == 0})
			}
		}
		if len(ls) >= 50000 {
			flush()
		}
	}
	flush()
	return lines
}
