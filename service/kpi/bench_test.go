package kpi_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/kpidb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

// benchSize reads a size from the environment (GUIDEBOX_KPI_*), def otherwise.
func benchSize(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv("GUIDEBOX_KPI_" + name)); err == nil && n > 0 {
		return n
	}
	return def
}

const benchStores = 120

// benchEnv is a corp of guides over 120 stores in a throwaway MySQL database.
type benchEnv struct {
	db     *gorm.DB
	svc    *kpi.Service
	guides int
	last   kpi.Day
}

func newBenchEnv(b *testing.B, guides int) *benchEnv {
	b.Helper()
	db := repotest.New(b)
	var stores, gs [][]any
	for s := 1; s <= benchStores; s++ {
		stores = append(stores, []any{corp, s, fmt.Sprintf("门店%03d", s), 0})
	}
	for g := 0; g < guides; g++ {
		status, resigned := "active", any(nil)
		if g%50 == 0 { // 2% resigned during the period
			status, resigned = "resigned", t0.AddDate(0, 0, -g%90)
		}
		gs = append(gs, []any{corp, guideID(g), fmt.Sprintf("导购%05d", g), 1 + g%benchStores, status, resigned, t0})
	}
	repotest.BulkInsert(b, db, "stores", []string{"corp_id", "id", "name", "parent_id"}, stores)
	repotest.BulkInsert(b, db, "guides", []string{"corp_id", "userid", "name", "store_id", "status", "resigned_at", "updated_at"}, gs)
	svc := kpi.New(kpi.Config{Batch: benchSize("BATCH", 50000)}, kpidb.New(db, corp), repo.NewTxManager(db), nil)
	return &benchEnv{db: db, svc: svc, guides: guides, last: kpi.DayOf(t0, svc.Location())}
}

func guideID(g int) string { return fmt.Sprintf("g%05d", g) }

// loadRollups writes 90 days of rollups as the fold would leave them: a row for 70% of guide-days,
// and the store and corp rows that sum them.
func (e *benchEnv) loadRollups(b *testing.B) int {
	b.Helper()
	r := rand.New(rand.NewSource(1))
	cols := []string{"corp_id", "userid", "day", "store_id", "opens", "product_shares", "material_sends", "tasks_done", "reached", "orders",
		"amount_fen", "converted", "refunds", "refund_fen", "added", "lost_by_customer", "lost_by_guide", "handover_in", "handover_out"}
	stores := map[[2]int64]*agg{}
	corpRows := map[int64]*agg{}
	var rows [][]any
	n := 0
	flush := func() {
		repotest.BulkInsert(b, e.db, "kpi_guide_daily", cols, rows)
		rows = rows[:0]
	}
	months := map[monthRow]*agg{}
	for store := int64(1); store <= benchStores; store++ { // in primary-key order: store, day, guide
		for d := 89; d >= 0; d-- {
			day := e.last.AddDays(-d)
			for g := int(store - 1); g < e.guides; g += benchStores {
				if r.Intn(10) >= 7 {
					continue
				}
				c := [15]int64{int64(1 + r.Intn(8)), int64(r.Intn(4)), int64(r.Intn(4)), int64(r.Intn(2)), int64(r.Intn(5)), int64(r.Intn(2)),
					int64(r.Intn(80000)), int64(r.Intn(2)), 0, 0, int64(r.Intn(3)), int64(r.Intn(2)), 0, 0, 0}
				row := []any{corp, guideID(g), int64(day), store}
				for _, v := range c {
					row = append(row, v)
				}
				rows = append(rows, row)
				month := get(months, monthRow{store, day.Month(), guideID(g)})
				month.days++
				for _, a := range []*agg{get(stores, [2]int64{store, int64(day)}), get(corpRows, int64(day)), month} {
					a.v[0]++ // login guides (a month: login days)
					if c[1]+c[2]+c[3] > 0 {
						a.v[1]++
					}
					for i, v := range c {
						a.v[2+i] += v
					}
				}
				if n++; len(rows) == 20000 {
					flush()
				}
			}
		}
	}
	flush()
	rcols := append([]string{"login_guides", "share_guides"}, cols[4:]...)
	var srows, crows [][]any
	for k, a := range stores {
		row := []any{corp, k[0], k[1]}
		for _, v := range a.v {
			row = append(row, v)
		}
		srows = append(srows, row)
	}
	for d, a := range corpRows {
		row := []any{corp, d}
		for _, v := range a.v {
			row = append(row, v)
		}
		crows = append(crows, row)
	}
	var mrows [][]any
	for k, a := range months {
		row := []any{corp, k.store, k.month, k.userID, a.days}
		for _, v := range a.v {
			row = append(row, v)
		}
		mrows = append(mrows, row)
	}
	mcols := append([]string{"corp_id", "store_id", "month", "userid", "days", "login_days", "share_days"}, cols[4:]...)
	repotest.BulkInsert(b, e.db, "kpi_guide_monthly", mcols, mrows)
	repotest.BulkInsert(b, e.db, "kpi_store_daily", append([]string{"corp_id", "store_id", "day"}, rcols...), srows)
	repotest.BulkInsert(b, e.db, "kpi_corp_daily", append([]string{"corp_id", "day"}, rcols...), crows)
	return n
}

// agg sums rollups: login guides, share guides, then the counts (and, for a guide's month, its day rows).
type agg struct {
	v    [17]int64
	days int64
}

type monthRow struct {
	store  int64
	month  int
	userID string
}

func get[K comparable](m map[K]*agg, k K) *agg {
	if m[k] == nil {
		m[k] = &agg{}
	}
	return m[k]
}

// percentile is the p-th percentile of ds (sorted in place).
func percentile(ds []time.Duration, p float64) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

// BenchmarkKPIQueries: the console's KPI reads over 40,000 guides × 90 days of rollups
// (GUIDEBOX_KPI_GUIDES to size), 200 of each, reported as p50/p99 in ms.
func BenchmarkKPIQueries(b *testing.B) {
	e := newBenchEnv(b, benchSize("GUIDES", 40000))
	start := time.Now()
	rows := e.loadRollups(b)
	b.Logf("loaded %d guide-day rollup rows for %d guides × 90 days in %s", rows, e.guides, time.Since(start).Round(time.Second))
	admin := service.WithScope(context.Background(), admin)
	manager := service.WithScope(context.Background(), service.Scope{UserID: "m", Role: service.RoleStoreManager, Stores: []int64{7}})
	r := rand.New(rand.NewSource(2))
	p := func(days int, store int64) kpi.Period {
		return kpi.Period{From: e.last.AddDays(1 - days), To: e.last, StoreID: store}
	}
	queries := []struct {
		name string
		run  func() error
	}{
		{"overview-corp-30d", func() error { _, err := e.svc.Overview(admin, p(30, 0)); return err }},
		{"overview-corp-90d", func() error { _, err := e.svc.Overview(admin, p(90, 0)); return err }},
		{"overview-store-manager-90d", func() error { _, err := e.svc.Overview(manager, p(90, 0)); return err }},
		{"stores-corp-30d", func() error { _, err := e.svc.Stores(admin, p(30, 0)); return err }},
		{"stores-corp-90d", func() error { _, err := e.svc.Stores(admin, p(90, 0)); return err }},
		{"guides-of-a-store-30d", func() error { _, err := e.svc.Guides(admin, p(30, int64(1+r.Intn(benchStores)))); return err }},
		{"guides-of-a-store-90d", func() error { _, err := e.svc.Guides(admin, p(90, int64(1+r.Intn(benchStores)))); return err }},
		{"guides-of-a-store-mid-month-60d", func() error { // half months at both ends: the most day rows a period reads
			_, err := e.svc.Guides(admin, kpi.Period{From: e.last.AddDays(-75), To: e.last.AddDays(-16), StoreID: int64(1 + r.Intn(benchStores))})
			return err
		}},
		{"guide-90d", func() error { _, _, err := e.svc.Guide(admin, guideID(r.Intn(e.guides)), p(90, 0)); return err }},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, 200)
			for range 200 {
				t := time.Now()
				require.NoError(b, q.run())
				ds = append(ds, time.Since(t))
			}
			b.ReportMetric(float64(percentile(ds, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(ds, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}
