package recommend_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/recommenddb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/recommend"
)

// BenchmarkRecommend measures top-10 recommendations for a customer in the guide's store on MySQL,
// with a catalogue, stock and order history bulk-loaded: the index rebuild (time, peak heap, stored
// size), the memory of what a replica holds (catalogue, then index), and the latency of Recommend
// with 50 guides asking concurrently, paced (each every 250 ms: 200 requests a second) and in a
// closed loop (saturation). Sizes come from GUIDEBOX_BENCH_REC (products,orders,customers; default
// 10000,100000,20000 so `make bench` stays short; the run is 100000,1000000,200000) and
// GUIDEBOX_BENCH_REC_GUIDES (50). Method and figures: docs/benchmarks.md, "Recommendations".
func BenchmarkRecommend(b *testing.B) {
	size := [3]int{10000, 100000, 20000}
	if v := os.Getenv("GUIDEBOX_BENCH_REC"); v != "" {
		for i, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			require.NoError(b, err)
			size[i] = n
		}
	}
	guides := 50
	if n, err := strconv.Atoi(os.Getenv("GUIDEBOX_BENCH_REC_GUIDES")); err == nil && n > 0 {
		guides = n
	}
	b.Run(fmt.Sprintf("products=%d,orders=%d,customers=%d", size[0], size[1], size[2]), func(b *testing.B) {
		benchRecommend(b, size[0], size[1], size[2], guides)
	})
}

const benchStores = 20

func benchRecommend(b *testing.B, products, orders, customers, guides int) {
	ctx := context.Background()
	db, err := repo.Open(repo.DriverMySQL, repotest.DSN(b))
	require.NoError(b, err)
	_, err = repo.Migrate(ctx, db)
	require.NoError(b, err)
	start := time.Now()
	lines := loadRecBench(b, db, products, orders, customers)
	b.Logf("loaded %d products, %d stock rows, %d orders (%d lines), %d customers in %s", products, products*benchStores*6/10, orders, lines,
		customers, time.Since(start).Round(time.Second))

	store := &timedStore{Store: recommenddb.New(db, corp)}
	svc := recommend.New(recommend.Config{}, store, slog.New(slog.DiscardHandler))
	defer svc.Close()
	base := heap()
	require.NoError(b, svc.Refresh(ctx)) // the catalogue alone: no index yet
	catalogue := heap() - base
	peak := sampleHeap()
	rep, err := svc.Rebuild(ctx)
	require.NoError(b, err)
	rebuildPeak := peak() - base - catalogue
	withIndex := heap() - base
	b.Logf("rebuild: %d lines, %d customers, %d SKUs sold, %d neighbour pairs, %d cycles, %.1f MiB stored, took %s, peak heap +%.0f MiB",
		rep.Lines, rep.Customers, rep.SKUs, rep.Neighbors, rep.Cycles, mib(int64(rep.Bytes)), rep.Took.Round(time.Millisecond), mib(rebuildPeak))
	b.Logf("replica memory: catalogue %.1f MiB, index %.1f MiB (%.1f MiB per 1M orders)", mib(catalogue), mib(withIndex-catalogue),
		mib(withIndex-catalogue)*1e6/float64(orders))

	explain(b, db, "SELECT sku, qty, paid_at, refunded FROM order_lines WHERE corp_id = ? AND external_userid = ? AND paid_at >= ? ORDER BY paid_at DESC LIMIT 200",
		corp, benchCustomer(7), time.Now().AddDate(-2, 0, 0))
	explain(b, db, "SELECT sku, qty FROM product_stock WHERE corp_id = ? AND store_id = ? AND sku IN ?", corp, 3, []string{benchSKU(1), benchSKU(2), benchSKU(3)})
	settle(b, db)
	reqs := benchRequests(customers, guides)
	warm := make([][]service.RecommendInput, len(reqs))
	for g := range reqs {
		warm[g] = reqs[g][:len(reqs[g])/4]
	}
	runRecs(b, svc, warm, 0)
	for i := 0; i < b.N; i++ {
		for k, pace := range []time.Duration{250 * time.Millisecond, 0} {
			store.reset()
			b.ResetTimer()
			lat, elapsed, empty := runRecs(b, svc, reqs, pace)
			b.StopTimer()
			reportRecs(b, lat, elapsed, pace, guides, empty, k == 0)
			store.report(b)
		}
	}
}

// timedStore times the two reads a request makes (the customer's lines, the candidates' stock), so
// the benchmark can tell the database's share of the latency from the rest.
type timedStore struct {
	recommend.Store
	mu           sync.Mutex
	lines, stock []time.Duration
}

func (t *timedStore) CustomerLines(ctx context.Context, ext string, since time.Time, limit int) ([]recommend.Purchase, error) {
	t0 := time.Now()
	out, err := t.Store.CustomerLines(ctx, ext, since, limit)
	t.mu.Lock()
	t.lines = append(t.lines, time.Since(t0))
	t.mu.Unlock()
	return out, err
}

func (t *timedStore) StoreStock(ctx context.Context, storeID int64, skus []string) (map[string]int64, error) {
	t0 := time.Now()
	out, err := t.Store.StoreStock(ctx, storeID, skus)
	t.mu.Lock()
	t.stock = append(t.stock, time.Since(t0))
	t.mu.Unlock()
	return out, err
}

func (t *timedStore) reset() {
	t.mu.Lock()
	t.lines, t.stock = nil, nil
	t.mu.Unlock()
}

func (t *timedStore) report(b *testing.B) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, x := range []struct {
		name string
		d    []time.Duration
	}{{"customer lines", t.lines}, {"stock", t.stock}} {
		if len(x.d) == 0 {
			continue
		}
		sort.Slice(x.d, func(i, j int) bool { return x.d[i] < x.d[j] })
		q := func(p float64) float64 { return float64(x.d[int(p*float64(len(x.d)-1))].Microseconds()) / 1000 }
		b.Logf("  of which the %s query: %d calls, p50 %.2f ms, p99 %.2f ms, max %.2f ms", x.name, len(x.d), q(0.5), q(0.99), q(1))
	}
}

// settle waits (up to 5 minutes) until InnoDB has flushed most of the bulk load's dirty pages, so the
// latencies are those of a database serving, not one writing back a million rows just loaded.
func settle(b *testing.B, db *gorm.DB) {
	start := time.Now()
	var dirty int64
	for time.Since(start) < 5*time.Minute {
		var row struct {
			VariableName string `gorm:"column:Variable_name"`
			Value        int64  `gorm:"column:Value"`
		}
		if err := db.Raw("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").Scan(&row).Error; err != nil {
			b.Logf("settle: %v", err)
			return
		}
		if dirty = row.Value; dirty < 2000 {
			break
		}
		time.Sleep(2 * time.Second)
	}
	b.Logf("settled in %s (%d dirty pages left)", time.Since(start).Round(time.Second), dirty)
}

// explain logs MySQL's plan of a request's query.
func explain(b *testing.B, db *gorm.DB, q string, args ...any) {
	var rows []map[string]any
	require.NoError(b, db.Raw("EXPLAIN "+q, args...).Scan(&rows).Error)
	for _, r := range rows {
		b.Logf("EXPLAIN %.40s…: table %v type %v key %v rows %v extra %v", q, r["table"], r["type"], r["key"], r["rows"], r["Extra"])
	}
}

func heap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// sampleHeap samples the live heap (after a GC) every 250 ms until the returned function is called; it returns the peak.
func sampleHeap() func() int64 {
	var peak atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.GC() // the live heap, not garbage waiting for the collector
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if h := int64(m.HeapAlloc); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		<-done
		return peak.Load()
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// benchRequests gives each guide (a store, guide g at store g%20) 200 requests for random customers
// of the store with two of the customer's tags, top 10.
func benchRequests(customers, guides int) [][]service.RecommendInput {
	rng := rand.New(rand.NewPCG(3, 4))
	out := make([][]service.RecommendInput, guides)
	for g := range out {
		store := g % benchStores
		for range 200 {
			c := rng.IntN(customers/benchStores)*benchStores + store
			out[g] = append(out[g], service.RecommendInput{UserID: fmt.Sprintf("g%d", g), StoreID: int64(store + 1),
				ExternalUserID: benchCustomer(c), TagIDs: benchCustomerTags(c), Limit: 10})
		}
	}
	return out
}

// runRecs runs every guide's requests concurrently, one goroutine per guide, each every pace (0: at once).
func runRecs(b *testing.B, svc *recommend.Service, reqs [][]service.RecommendInput, pace time.Duration) ([]time.Duration, time.Duration, int64) {
	var mu sync.Mutex
	var all []time.Duration
	var empty atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for g, rs := range reqs {
		wg.Go(func() {
			lat := make([]time.Duration, 0, len(rs))
			next := start.Add(time.Duration(g) * pace / time.Duration(len(reqs)))
			for _, in := range rs {
				if pace > 0 {
					time.Sleep(time.Until(next))
					next = next.Add(pace)
				}
				t0 := time.Now()
				out, err := svc.Recommend(context.Background(), in)
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Error(err)
					return
				}
				if len(out) == 0 {
					empty.Add(1)
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, time.Since(start), empty.Load()
}

func reportRecs(b *testing.B, lat []time.Duration, elapsed, pace time.Duration, guides int, empty int64, metrics bool) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	rate := float64(len(lat)) / elapsed.Seconds()
	if metrics {
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.ReportMetric(rate, "recs/s")
	}
	b.Logf("%d requests by %d concurrent guides (pace %s) in %s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f/s; %d empty",
		len(lat), guides, pace, elapsed.Round(time.Millisecond), q(0.5), q(0.95), q(0.99), q(1), rate, empty)
}
