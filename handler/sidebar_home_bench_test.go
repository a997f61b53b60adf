package handler_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom/sim"
)

// BenchmarkSidebarHome measures GET /api/sidebar/home (the sidebar's entry without a chat: follow-ups
// due today and overdue, birthdays and new customers of the week) through the real router on MySQL, on
// the graph BenchmarkSidebarCard loads plus the workbench's data: a birthday for 40% of customers, an
// open follow-up (with its note) on every 20th edge, due within ±30 days. The service's clock is fixed
// three days before the scale corp's epoch, so "this week" holds the edges the generator created then.
// Every guide's birthday index is as the day before left it. 50 guides (weighted by their customers,
// as for the card) each open the home 200 times; each guide's first home of the day (which reads
// yesterday's index and starts its rebuild in the background) is reported apart, and the phases start
// once the rebuilds are done. The cost of a guide's very first home (the index built while it waits)
// is measured for the guide with the most customers.
// Sizes: GUIDEBOX_BENCH_HOME_EDGES (default "200000", `make bench`; the run is "2000000").
// GUIDEBOX_BENCH_HOME_DSN names a database to keep the loaded corp in (one size only): a run finding it
// loaded measures again without loading, so a 2 000 000-edge corp loads once and is measured when the
// machine is quiet. Method and figures: docs/benchmarks.md, section "Sidebar home".
func BenchmarkSidebarHome(b *testing.B) {
	runSizes(b, "GUIDEBOX_BENCH_HOME_EDGES", benchHome)
}

func benchHome(b *testing.B, edges int) {
	corp := sim.GenerateCorp(7, max(edges/500, 100), int(float64(edges)/benchEdgesPerCu), benchEdgesPerCu)
	now := corp.Epoch.Add(-3 * 24 * time.Hour)
	db, n := benchDB(b, os.Getenv("GUIDEBOX_BENCH_HOME_DSN"), corp, now)
	router, reqs, sessions, guides := homeRouter(b, db, corp, now)
	for i := 0; i < b.N; i++ {
		first := make([][]cardReq, len(reqs))
		warm := make([][]cardReq, len(reqs))
		for g, rs := range reqs {
			first[g], warm[g] = rs[:1], rs[1:len(rs)/4]
		}
		lat, elapsed := runCards(b, router, first, 0) // each guide's first home of the day
		reportHome(b, n, lat, elapsed, -1, false)
		waitRebuilt(b, db, now, guides)
		firstEver(b, db, router, sessions, corp, guides)
		if os.Getenv("GUIDEBOX_BENCH_EXPLAIN") != "" {
			explainHome(b, db, corp.GuideID(0), now)
		}
		runCards(b, router, warm, 0) // warm-up: connections, caches and the buffer pool
		for k, pace := range benchPaces() {
			b.ResetTimer()
			lat, elapsed := runCards(b, router, reqs, pace)
			b.StopTimer()
			reportHome(b, n, lat, elapsed, pace, k == 0)
		}
	}
}

func reportHome(b *testing.B, edges int, lat []time.Duration, elapsed, pace time.Duration, metrics bool) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	rate := float64(len(lat)) / elapsed.Seconds()
	if metrics {
		b.ReportMetric(q(0.50), "p50-ms")
		b.ReportMetric(q(0.99), "p99-ms")
		b.ReportMetric(rate, "homes/s")
	}
	phase := fmt.Sprintf("pace %s", pace)
	if pace < 0 {
		phase = "first of the day: yesterday's index read, rebuilt in the background"
	}
	b.Logf("edges=%d: %d homes by %d concurrent guides (%s) in %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, %.0f homes/s",
		edges, len(lat), benchGuides, phase, elapsed.Round(time.Millisecond), q(0.5), q(0.95), q(0.99), q(1), rate)
}

// homeRouter builds the real router with the workbench's routes (demo sessions stand in for OAuth)
// and each guide's home requests.
func homeRouter(b *testing.B, db *gorm.DB, corp *sim.ScaleCorp, now time.Time) (http.Handler, [][]cardReq, *sidebar.SessionService, []string) {
	log := slog.New(slog.DiscardHandler)
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: []byte(sbKey), Demo: true}, nil, graphdb.New(db, sbCorp))
	require.NoError(b, err)
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(b, err)
	wb := workbench.New(workbenchdb.New(db, sbCorp), nil, workbench.Config{Location: loc, Now: func() time.Time { return now }})
	routes := handler.NewWorkbenchHandler(handler.WorkbenchDeps{Workbench: wb, Sessions: sessions, Log: log})
	router := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{}, nil }),
		Ready: func(context.Context) error { return nil }, Features: []handler.Mounter{routes}})
	rng := rand.New(rand.NewPCG(3, 4))
	reqs := make([][]cardReq, benchGuides)
	var buf []sim.ScaleEdge
	seen := map[string]bool{}
	var guides []string
	for g := range reqs {
		guide := corp.GuideID(int(corp.CustomerEdges(rng.IntN(corp.NumCustomers), buf[:0])[0].Guide))
		if !seen[guide] {
			seen[guide] = true
			guides = append(guides, guide)
		}
		tok, _, err := sessions.DemoLogin(context.Background(), guide)
		require.NoError(b, err)
		for i := 0; i < benchPerGuide; i++ {
			reqs[g] = append(reqs[g], cardReq{path: "/api/sidebar/home", cookie: &http.Cookie{Name: handler.SessionCookie, Value: tok}})
		}
	}
	return router, reqs, sessions, guides
}

// benchDB opens the benchmark's database with the scale corp and the workbench's data loaded: a
// throwaway one (dsn ""), or dsn kept between runs, loaded by the first run that finds it empty; every
// guide's birthday index is then as the day before left it. It returns the number of edges.
func benchDB(b *testing.B, dsn string, corp *sim.ScaleCorp, now time.Time) (*gorm.DB, int) {
	if dsn == "" {
		dsn = repotest.DSN(b)
	}
	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(b, err)
	_, err = repo.Migrate(context.Background(), db)
	require.NoError(b, err)
	var loaded int64
	require.NoError(b, db.Table("follows").Where("corp_id = ?", sbCorp).Count(&loaded).Error)
	if loaded > 0 {
		loc, _ := time.LoadLocation("Asia/Shanghai")
		require.NoError(b, db.Exec("REPLACE INTO wb_birthdays_built (corp_id, userid, built_on) SELECT corp_id, userid, ? FROM guides WHERE corp_id = ?",
			now.In(loc).AddDate(0, 0, -1).Format(time.DateOnly), sbCorp).Error)
		b.Logf("reusing %d edges loaded earlier", loaded)
		return db, int(loaded)
	}
	start := time.Now()
	n := loadScale(b, db, corp)
	fu, bd := loadWorkbenchScale(b, db, corp, now)
	b.Logf("loaded %d edges (%d customers, %d guides), %d follow-ups and %d birthdays in %s", n, corp.NumCustomers, corp.NumGuides,
		fu, bd, time.Since(start).Round(time.Second))
	return db, n
}

// waitRebuilt waits until the background rebuilds the first homes started are done.
func waitRebuilt(b *testing.B, db *gorm.DB, now time.Time, guides []string) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	day := now.In(loc).Format(time.DateOnly)
	start := time.Now()
	for {
		var built int64
		require.NoError(b, db.Table("wb_birthdays_built").Where("corp_id = ? AND userid IN ? AND built_on = ?", sbCorp, guides, day).
			Count(&built).Error)
		if int(built) == len(guides) || time.Since(start) > 5*time.Minute {
			b.Logf("background rebuilds: %d of %d guides' indexes rebuilt after %s", built, len(guides), time.Since(start).Round(time.Millisecond))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// firstEver measures the home of the guide with the most customers among those not asked yet when
// their birthday index was never built: it is built while the guide waits.
func firstEver(b *testing.B, db *gorm.DB, router http.Handler, sessions *sidebar.SessionService, corp *sim.ScaleCorp, asked []string) {
	guide := ""
	for i := 0; guide == ""; i++ { // the generator's skew gives low-index guides the most customers
		if !slices.Contains(asked, corp.GuideID(i)) {
			guide = corp.GuideID(i)
		}
	}
	var edges int64
	require.NoError(b, db.Table("follows").Where("corp_id = ? AND userid = ?", sbCorp, guide).Count(&edges).Error)
	require.NoError(b, db.Exec("DELETE FROM wb_birthdays_built WHERE corp_id = ? AND userid = ?", sbCorp, guide).Error)
	tok, _, err := sessions.DemoLogin(context.Background(), guide)
	require.NoError(b, err)
	lat, _ := runCards(b, router, [][]cardReq{{{path: "/api/sidebar/home", cookie: &http.Cookie{Name: handler.SessionCookie, Value: tok}}}}, 0)
	b.Logf("a guide's first home ever (%s, %d customers): the index is built while they wait: %.1f ms", guide, edges,
		float64(lat[0].Microseconds())/1000)
}

// explainHome logs MySQL's plans of the home's queries for one guide (GUIDEBOX_BENCH_EXPLAIN=1).
func explainHome(b *testing.B, db *gorm.DB, guide string, now time.Time) {
	for name, q := range map[string]string{
		"follow-ups": "SELECT fu.external_userid, fu.due_at, c.name, c.avatar, f.remark, n.body FROM wb_followups fu " +
			"JOIN follows f ON f.corp_id = fu.corp_id AND f.userid = fu.userid AND f.external_userid = fu.external_userid AND f.active = 1 " +
			"LEFT JOIN customers c ON c.corp_id = fu.corp_id AND c.external_userid = fu.external_userid LEFT JOIN wb_notes n ON n.id = fu.note_id " +
			"WHERE fu.corp_id = ? AND fu.userid = ? AND fu.due_at < ? ORDER BY fu.due_at LIMIT 100",
		"new customers": "SELECT f.external_userid, f.added_at, c.name, c.avatar, f.remark FROM follows f " +
			"LEFT JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid " +
			"WHERE f.corp_id = ? AND f.userid = ? AND f.added_at >= ? AND f.active = 1 ORDER BY f.added_at DESC LIMIT 50",
		"birthdays": "SELECT b.external_userid, b.month_day, c.name FROM wb_birthdays b " +
			"JOIN follows f ON f.corp_id = b.corp_id AND f.userid = b.userid AND f.external_userid = b.external_userid AND f.active = 1 " +
			"JOIN wb_profile_values v ON v.corp_id = b.corp_id AND v.external_userid = b.external_userid AND v.field_id = b.field_id AND v.month_day = b.month_day " +
			"LEFT JOIN customers c ON c.corp_id = b.corp_id AND c.external_userid = b.external_userid " +
			"WHERE b.corp_id = ? AND b.userid = ? AND b.field_id = 'birthday' AND (b.month_day BETWEEN 1223 AND 1229) ORDER BY b.month_day LIMIT 50",
	} {
		args := []any{sbCorp, guide, now}
		if name == "birthdays" {
			args = args[:2]
		}
		var rows []map[string]any
		require.NoError(b, db.Raw("EXPLAIN "+q, args...).Scan(&rows).Error)
		for _, r := range rows {
			b.Logf("explain %s: table=%v type=%v key=%v rows=%v extra=%v", name, r["table"], r["type"], r["key"], r["rows"], r["Extra"])
		}
	}
}

// loadWorkbenchScale inserts the workbench's data for the scale corp: the birthday field, a birthday
// for 40% of customers, and an open follow-up with its note on every 20th edge, due within ±30 days of
// now. It returns how many follow-ups and birthdays it wrote.
func loadWorkbenchScale(b *testing.B, db *gorm.DB, c *sim.ScaleCorp, now time.Time) (followUps, birthdays int) {
	bulkInsert(b, db, "wb_profile_fields", []string{"corp_id", "field_id", "name", "type", "birthday", "updated_at"},
		[][]any{{sbCorp, "birthday", "生日", "date", true, now}})
	const workers, chunk = 4, 2000
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for from := range next {
				f, d := loadWorkbenchChunk(b, db, c, from, min(from+chunk, c.NumCustomers), now)
				mu.Lock()
				followUps, birthdays = followUps+f, birthdays+d
				mu.Unlock()
			}
		}()
	}
	for from := 0; from < c.NumCustomers; from += chunk {
		next <- from
	}
	close(next)
	wg.Wait()
	// Every guide's birthday index as the day before built it.
	loc, _ := time.LoadLocation("Asia/Shanghai")
	yesterday := now.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
	require.NoError(b, db.Exec("INSERT INTO wb_birthdays (corp_id, userid, field_id, month_day, external_userid) "+
		"SELECT f.corp_id, f.userid, v.field_id, v.month_day, f.external_userid FROM follows f JOIN wb_profile_values v "+
		"ON v.corp_id = f.corp_id AND v.external_userid = f.external_userid AND v.field_id = 'birthday' WHERE f.corp_id = ? AND f.active = 1", sbCorp).Error)
	require.NoError(b, db.Exec("INSERT INTO wb_birthdays_built (corp_id, userid, built_on) SELECT corp_id, userid, ? FROM guides WHERE corp_id = ?",
		yesterday, sbCorp).Error)
	return followUps, birthdays
}

func loadWorkbenchChunk(b *testing.B, db *gorm.DB, c *sim.ScaleCorp, from, to int, now time.Time) (int, int) {
	var notes, fus, values [][]any
	var buf []sim.ScaleEdge
	for i := from; i < to; i++ {
		ext := c.CustomerID(i)
		h := uint64(i)*0x9e3779b97f4a7c15 ^ uint64(i)>>7
		if h%10 < 4 {
			born := time.Date(1960+int(h>>8%45), time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(h>>16%365))
			md := int(born.Month())*100 + born.Day()
			values = append(values, []any{sbCorp, ext, "birthday", born.Format(time.DateOnly), born.Year()*10000 + md, md, now})
		}
		for k, e := range c.CustomerEdges(i, buf[:0]) {
			if (i+k)%20 != 0 {
				continue
			}
			id := int64(i)*4 + int64(k) + 1
			due := now.Add(time.Duration(int64(h>>24%(61*24))-30*24) * time.Hour)
			guide := c.GuideID(int(e.Guide))
			notes = append(notes, []any{id, sbCorp, ext, guide, "约好回访", due, now.Add(-72 * time.Hour)})
			fus = append(fus, []any{sbCorp, guide, ext, due, id})
		}
	}
	bulkInsert(b, db, "wb_notes", []string{"id", "corp_id", "external_userid", "userid", "body", "next_at", "created_at"}, notes)
	bulkInsert(b, db, "wb_followups", []string{"corp_id", "userid", "external_userid", "due_at", "note_id"}, fus)
	bulkInsert(b, db, "wb_profile_values", []string{"corp_id", "external_userid", "field_id", "value", "num", "month_day", "updated_at"}, values)
	return len(fus), len(values)
}
