package handler_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/timelinedb"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/timeline"
)

// BenchmarkTimeline measures GET /api/sidebar/customers/:id/timeline (the first page, and the page after
// it, when there is one) through the real router on MySQL, with every edge's history in the activity log: per edge 12 rows
// of 12 kinds (added with a channel, remark, tags by guide and by WeCom, note, share, reply, material,
// order paid, group joined, transferred, deleted) spread over a year, loaded server-side (INSERT …
// SELECT over a sequence table: 24,000,000 rows at 2,000,000 edges in minutes, not hours). 20 guides read
// timelines of their own customers concurrently, each one every 250 ms (tlPace); the metric is the
// latency distribution of the first page. Sizes: GUIDEBOX_BENCH_TIMELINE_EDGES (default "200000", inside
// `make bench`'s timeout; the run is 2000000). GUIDEBOX_BENCH_TIMELINE_DSN keeps the loaded corp
// in a database between runs. Method and figures: docs/benchmarks.md, section "Customer timeline".
// Run: GUIDEBOX_BENCH_TIMELINE_EDGES=2000000 go test -run '^$' -bench Timeline -benchtime 1x -timeout 90m ./handler/
func BenchmarkTimeline(b *testing.B) {
	runSizes(b, "GUIDEBOX_BENCH_TIMELINE_EDGES", benchTimeline)
}

const (
	tlPerEdge   = 12  // activity rows per edge
	tlPerGuide  = 500 // edges per guide
	tlReaders   = 20  // concurrent guides
	tlReadsEach = 150 // timelines each guide reads
	// tlPace is each guide's interval between timelines (GUIDEBOX_BENCH_TIMELINE_PACE, default 250ms: 80
	// timelines a second from 20 guides, far above 40,000 guides' real rate per replica); 0 is a closed loop.
)

var tlPace = func() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("GUIDEBOX_BENCH_TIMELINE_PACE")); err == nil {
		return d
	}
	return 250 * time.Millisecond
}()

func benchTimeline(b *testing.B, edges int) {
	db := tlBenchDB(b, edges)
	log := slog.New(slog.DiscardHandler)
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), Demo: true}, nil, graphdb.New(db, sbCorp))
	require.NoError(b, err)
	tl := handler.NewTimelineHandler(handler.TimelineDeps{Timeline: timeline.NewService(timelinedb.New(db, sbCorp)), Sessions: sessions, Log: log})
	router := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{}, nil }),
		Ready: func(context.Context) error { return nil }, Features: []handler.Mounter{tl}})
	guides := edges / tlPerGuide
	rng := rand.New(rand.NewPCG(3, 4))
	reqs := make([][]cardReq, tlReaders)
	for g := range reqs {
		gi := rng.IntN(guides)
		tok, _, err := sessions.DemoLogin(context.Background(), tlGuide(gi))
		require.NoError(b, err)
		for range tlReadsEach {
			e := rng.IntN(tlPerGuide)*guides + gi // edge e belongs to guide e % guides
			reqs[g] = append(reqs[g], cardReq{path: "/api/sidebar/customers/" + tlCustomer(e) + "/timeline",
				cookie: &http.Cookie{Name: handler.SessionCookie, Value: tok}})
		}
	}
	for i := 0; i < b.N; i++ {
		warm := make([][]cardReq, len(reqs))
		for g, rs := range reqs {
			warm[g] = rs[:len(rs)/5]
		}
		runTimelines(b, router, warm, 0) // warm-up: connections and the buffer pool
		b.ResetTimer()
		first, second, elapsed := runTimelines(b, router, reqs, tlPace)
		b.StopTimer()
		q := quantiles(first)
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.Logf("edges=%d, %d activity rows: %d first pages by %d concurrent guides in %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
			edges, edges*tlPerEdge, len(first), tlReaders, elapsed.Round(time.Millisecond), q(0.5), q(0.95), q(0.99), q(1))
		if len(second) > 0 {
			q2 := quantiles(second)
			b.Logf("%d second pages: p50 %.1f ms, p99 %.1f ms", len(second), q2(0.5), q2(0.99))
		}
	}
}

func quantiles(lat []time.Duration) func(float64) float64 {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
}

// runTimelines reads each request's first page and, with its cursor, the second; it returns both
// pages' latencies.
func runTimelines(b *testing.B, router http.Handler, reqs [][]cardReq, pace time.Duration) (first, second []time.Duration, elapsed time.Duration) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	get := func(path string, c *http.Cookie) (time.Duration, *httptest.ResponseRecorder) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(c)
		w := httptest.NewRecorder()
		t0 := time.Now()
		router.ServeHTTP(w, req)
		return time.Since(t0), w
	}
	for g, rs := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var l1, l2 []time.Duration
			next := start.Add(time.Duration(g) * pace / time.Duration(len(reqs))) // guides spread over the interval
			for _, r := range rs {
				if pace > 0 { // a timeline every pace; a late guide does not skip
					time.Sleep(time.Until(next))
					next = next.Add(pace)
				}
				d, w := get(r.path, r.cookie)
				if w.Code != http.StatusOK {
					b.Errorf("%s: %d %s", r.path, w.Code, w.Body.String())
					return
				}
				l1 = append(l1, d)
				if next := tlNext(w.Body.String()); next != "" {
					d, _ = get(r.path+"?before="+next, r.cookie)
					l2 = append(l2, d)
				}
			}
			mu.Lock()
			first, second = append(first, l1...), append(second, l2...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return first, second, time.Since(start)
}

// tlNext finds the "next" cursor in a page's JSON.
func tlNext(body string) string {
	_, rest, ok := strings.Cut(body, `"next":"`)
	if !ok {
		return ""
	}
	next, _, _ := strings.Cut(rest, `"`)
	return next
}

func tlGuide(i int) string    { return fmt.Sprintf("tlg%05d", i) }
func tlCustomer(e int) string { return fmt.Sprintf("wmtl%09d", e) }

// tlBenchDB returns a database holding the timeline corp: the kept one of GUIDEBOX_BENCH_TIMELINE_DSN
// if it has the edges already, else a fresh one, loaded.
func tlBenchDB(b *testing.B, edges int) *gorm.DB {
	dsn := os.Getenv("GUIDEBOX_BENCH_TIMELINE_DSN")
	if dsn == "" {
		dsn = repotest.DSN(b)
	}
	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(b, err)
	_, err = repo.Migrate(context.Background(), db)
	require.NoError(b, err)
	var loaded int64
	require.NoError(b, db.Table("follows").Where("corp_id = ?", sbCorp).Count(&loaded).Error)
	if int(loaded) == edges {
		b.Logf("reusing %d edges loaded earlier", loaded)
		return db
	}
	require.Zero(b, loaded, "the kept database holds another size: drop it first")
	start := time.Now()
	loadTimeline(b, db, edges)
	b.Logf("loaded %d edges and %d activity rows in %s", edges, edges*tlPerEdge, time.Since(start).Round(time.Second))
	return db
}
