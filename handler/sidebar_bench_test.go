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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom/sim"
)

// BenchmarkSidebarCard measures GET /api/sidebar/customers/:id through the real router on MySQL, with the
// graph of the simulator's scale generator bulk-inserted (guides, customers, edges with two tags each,
// ownership history with some transfers, a product catalogue) and the workbench's data (birthdays,
// follow-ups; see BenchmarkSidebarHome), the card reading its stage and next follow-up. 50 guides ask for cards concurrently,
// each request for a random customer of that guide; the metric is the latency distribution.
// Sizes come from GUIDEBOX_BENCH_CARD_EDGES (default "200000", so `make bench` stays within its 20-minute
// timeout; the run is "200000,2000000", which loads for about 20 minutes on 2 cores, and
// 20000000 is the optional big run). Method and figures: docs/benchmarks.md, section "Sidebar card".
// GUIDEBOX_BENCH_CARD_DSN keeps the loaded corp in a database between runs, as GUIDEBOX_BENCH_HOME_DSN
// does (the same data: one database serves both benchmarks).
// Run: GUIDEBOX_BENCH_CARD_EDGES=200000,2000000 go test -run '^$' -bench SidebarCard -benchtime 1x -timeout 90m ./handler/
func BenchmarkSidebarCard(b *testing.B) {
	runSizes(b, "GUIDEBOX_BENCH_CARD_EDGES", benchCard)
}

// runSizes runs bench once per graph size in the comma-separated env variable (default 200,000 edges,
// within `make bench`'s timeout), each as a sub-benchmark named by its size.
func runSizes(b *testing.B, env string, bench func(b *testing.B, edges int)) {
	sizes := os.Getenv(env)
	if sizes == "" {
		sizes = "200000"
	}
	for _, s := range strings.Split(sizes, ",") {
		edges, err := strconv.Atoi(strings.TrimSpace(s))
		require.NoError(b, err)
		b.Run(fmt.Sprintf("edges=%d", edges), func(b *testing.B) { bench(b, edges) })
	}
}

const (
	benchPerGuide   = 200
	benchEdgesPerCu = 1.2
)

// benchGuides is how many guides ask concurrently (GUIDEBOX_BENCH_CARD_GUIDES, default 50).
var benchGuides = envInt("GUIDEBOX_BENCH_CARD_GUIDES", 50)

// benchPaces are each guide's intervals between card opens, one measured phase each on the same data
// (GUIDEBOX_BENCH_CARD_PACES, default "250ms,0"). 0 is a closed loop: each guide asks again as soon as
// a card arrives, which measures saturation. Metrics are reported for the first pace.
func benchPaces() []time.Duration {
	v := os.Getenv("GUIDEBOX_BENCH_CARD_PACES")
	if v == "" {
		v = "250ms,0"
	}
	var out []time.Duration
	for _, s := range strings.Split(v, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err == nil {
			out = append(out, d)
		}
	}
	return out
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

func benchCard(b *testing.B, edges int) {
	corp := sim.GenerateCorp(7, max(edges/500, 100), int(float64(edges)/benchEdgesPerCu), benchEdgesPerCu)
	now := corp.Epoch.Add(-3 * 24 * time.Hour)
	db, n := benchDB(b, os.Getenv("GUIDEBOX_BENCH_CARD_DSN"), corp, now)
	router, reqs := benchRouter(b, db, corp, now)
	for i := 0; i < b.N; i++ {
		warm := make([][]cardReq, len(reqs))
		for g, rs := range reqs {
			warm[g] = rs[:len(rs)/4]
		}
		runCards(b, router, warm, 0) // warm-up: connections, caches and the buffer pool
		for k, pace := range benchPaces() {
			b.ResetTimer()
			lat, elapsed := runCards(b, router, reqs, pace)
			b.StopTimer()
			reportCards(b, n, lat, elapsed, pace, k == 0)
		}
	}
}

func reportCards(b *testing.B, edges int, lat []time.Duration, elapsed, pace time.Duration, metrics bool) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	rate := float64(len(lat)) / elapsed.Seconds()
	if metrics {
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.ReportMetric(rate, "cards/s")
	}
	b.Logf("edges=%d: %d cards by %d concurrent guides (pace %s) in %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, %.0f cards/s",
		edges, len(lat), benchGuides, pace, elapsed.Round(time.Millisecond), q(0.5), q(0.95), q(0.99), q(1), rate)
}

type cardReq struct {
	path   string
	cookie *http.Cookie
}

// benchRouter builds the real router (demo sessions stand in for OAuth) with the card reading the
// workbench (stage, next follow-up, channel name) as in production, and each guide's requests.
func benchRouter(b *testing.B, db *gorm.DB, corp *sim.ScaleCorp, now time.Time) (http.Handler, [][]cardReq) {
	log := slog.New(slog.DiscardHandler)
	store := sidebardb.New(db, sbCorp)
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), Demo: true}, nil, graphdb.New(db, sbCorp))
	require.NoError(b, err)
	cat := catalog.NewService(catalogdb.New(db, sbCorp), repo.NewTxManager(db), log)
	svc := sidebar.NewService(store, catalogdb.New(db, sbCorp), nil, nil, cat)
	if os.Getenv("GUIDEBOX_BENCH_CARD_NO_WORKBENCH") == "" { // set it to compare with the card before the workbench
		wb := workbench.New(workbenchdb.New(db, sbCorp), nil, workbench.Config{Location: time.UTC, Now: func() time.Time { return now }})
		svc.WithWorkbench(cardWorkbench{wb})
	}
	side := handler.NewSidebarHandler(handler.SidebarDeps{Sidebar: svc,
		Sessions: sessions, JSAPI: sidebar.NewJSAPIService(nil, sbCorp, sbAgent, nil), Log: log})
	router := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{}, nil }),
		Ready: func(context.Context) error { return nil }, Features: []handler.Mounter{side}})
	rng := rand.New(rand.NewPCG(1, 2))
	reqs := make([][]cardReq, benchGuides)
	var buf []sim.ScaleEdge
	for g := range reqs {
		// Each worker is one guide: the guide of a random customer's first edge.
		first := corp.CustomerEdges(rng.IntN(sampledCustomers(corp)), buf[:0])[0]
		guide := corp.GuideID(int(first.Guide))
		tok, _, err := sessions.DemoLogin(context.Background(), guide)
		require.NoError(b, err)
		mine := guideCustomers(corp, int(first.Guide), rng)
		for i := 0; i < benchPerGuide; i++ {
			reqs[g] = append(reqs[g], cardReq{path: "/api/sidebar/customers/" + mine[rng.IntN(len(mine))],
				cookie: &http.Cookie{Name: handler.SessionCookie, Value: tok}})
		}
	}
	return router, reqs
}

// sampledCustomers is how many of the corp's customers the requests draw from: all of them, or the
// first GUIDEBOX_BENCH_CARD_CUSTOMERS, for a kept database (GUIDEBOX_BENCH_CARD_DSN) whose load was
// stopped part way (the loader goes through the customers in order).
func sampledCustomers(corp *sim.ScaleCorp) int {
	return min(envInt("GUIDEBOX_BENCH_CARD_CUSTOMERS", corp.NumCustomers), corp.NumCustomers)
}

// guideCustomers samples up to 500 customers of guide g by scanning random customers.
func guideCustomers(corp *sim.ScaleCorp, g int, rng *rand.Rand) []string {
	var out []string
	var buf []sim.ScaleEdge
	for tries := 0; tries < 200000 && len(out) < 500; tries++ {
		i := rng.IntN(sampledCustomers(corp))
		for _, e := range corp.CustomerEdges(i, buf[:0]) {
			if int(e.Guide) == g {
				out = append(out, corp.CustomerID(i))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, "wmnobody")
	}
	return out
}

// runCards runs every guide's requests concurrently, one goroutine per guide, and returns the latencies.
func runCards(b *testing.B, router http.Handler, reqs [][]cardReq, pace time.Duration) ([]time.Duration, time.Duration) {
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for g, rs := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, len(rs))
			next := start.Add(time.Duration(g) * pace / time.Duration(len(reqs))) // guides spread over the interval
			for _, r := range rs {
				if pace > 0 { // open a card every pace; a late guide does not skip
					time.Sleep(time.Until(next))
					next = next.Add(pace)
				}
				req := httptest.NewRequest(http.MethodGet, r.path, nil)
				req.AddCookie(r.cookie)
				w := httptest.NewRecorder()
				t0 := time.Now()
				router.ServeHTTP(w, req)
				lat = append(lat, time.Since(t0))
				if w.Code != http.StatusOK {
					b.Errorf("%s: %d %s", r.path, w.Code, w.Body.String())
					return
				}
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, time.Since(start)
}
