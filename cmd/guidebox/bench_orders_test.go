package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// BenchmarkOrderIngest measures POST /api/orders as a POS drives it: 20,000 distinct orders (1–3
// lines each, customers not in the graph, a fifth known by unionid only) posted over HTTP keep-alive
// by 16 concurrent clients to the real serve wiring (openApp + buildServer: router, API-key check,
// catalogue, MySQL). It reports orders/s and the p50/p99 of each POST, then checks that every order
// acknowledged with 201 is stored with all its lines, and that posting one again answers 200.
// Method and figures: docs/benchmarks.md. Run: go test -run '^$' -bench OrderIngest -benchtime 1x ./cmd/guidebox/
func BenchmarkOrderIngest(b *testing.B) {
	const total, conc = 20000, 16
	const key = "bench-pos-key-0123456789abcdef"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	env := simtest.New(b)
	cfg, err := LoadConfig("")
	require.NoError(b, err)
	cfg.HTTP.Addr = ln.Addr().String()
	cfg.Database.Driver, cfg.Database.DSN = "mysql", repotest.DSN(b)
	cfg.Sidebar.SessionKey = "bench-session-key-0123456789"
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: env.Secret, Token: simtest.Token, AESKey: simtest.AESKey, BaseURL: env.URL}
	cfg.Worker.Enabled = false
	cfg.API.Keys = []string{key}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(b, err)
	defer a.close()
	stores := []service.Store{{ID: 1, Name: "总部"}}
	for i := 2; i <= 21; i++ {
		stores = append(stores, service.Store{ID: int64(i), Name: fmt.Sprintf("门店%02d", i), ParentID: 1})
	}
	require.NoError(b, a.graph.UpsertStores(ctx, stores))
	srv, stop, err := a.buildServer(ctx)
	require.NoError(b, err)
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Shutdown(context.Background()); stop() }()

	url := "http://" + ln.Addr().String() + "/api/orders"
	for i := 0; i < b.N; i++ {
		bodies, lines := benchOrders(b, i, total)
		b.ResetTimer()
		lat, elapsed, acked, failed := postOrders(url, key, bodies, conc)
		b.StopTimer()
		require.Zero(b, failed, "every order acknowledged")
		var n struct{ Orders, NLines int64 }
		require.NoError(b, a.db.Raw("SELECT (SELECT COUNT(*) FROM orders WHERE order_id LIKE ?) AS orders, "+
			"(SELECT COUNT(*) FROM order_lines WHERE order_id LIKE ?) AS n_lines", fmt.Sprintf("B%d-%%", i), fmt.Sprintf("B%d-%%", i)).Scan(&n).Error)
		require.Equal(b, acked, n.Orders, "every acknowledged order is stored")
		require.Equal(b, int64(lines), n.NLines, "with all its lines")
		resp, err := http.DefaultClient.Do(orderRequest(url, key, bodies[0]))
		require.NoError(b, err)
		resp.Body.Close()
		require.Equal(b, http.StatusOK, resp.StatusCode, "an order posted again is acknowledged, not stored twice")

		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(total)/elapsed.Seconds(), "orders/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ms")
	}
}

// benchOrders builds total distinct order bodies of run i and counts their lines.
func benchOrders(b *testing.B, run, total int) ([][]byte, int) {
	type line struct {
		SKU      string `json:"sku"`
		Qty      int    `json:"qty"`
		PriceFen int    `json:"price_fen"`
	}
	bodies, lines := make([][]byte, total), 0
	paid := time.Date(2025, 6, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for k := range total {
		o := map[string]any{"order_id": fmt.Sprintf("B%d-%07d", run, k), "store_id": 2 + k%20, "guide_userid": fmt.Sprintf("bg%02d", k%40),
			"paid_at": paid.Add(time.Duration(k) * time.Second).Format(time.RFC3339), "status": "paid"}
		if k%5 == 4 {
			o["unionid"] = fmt.Sprintf("obench%07d", k%7000)
		} else {
			o["external_userid"] = fmt.Sprintf("wmbench%07d", k%7000)
		}
		var ls []line
		sum := 0
		for j := range 1 + k%3 {
			l := line{SKU: fmt.Sprintf("SKU%05d", (k*7+j*13)%5000), Qty: 1 + j%2, PriceFen: 990 + (k+j)%50*100}
			ls = append(ls, l)
			sum += l.Qty * l.PriceFen
		}
		o["lines"], o["total_fen"] = ls, sum
		lines += len(ls)
		body, err := json.Marshal(o)
		require.NoError(b, err)
		bodies[k] = body
	}
	return bodies, lines
}

func orderRequest(url, key string, body []byte) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	return req
}

// postOrders posts every body with conc clients; acked counts 201 answers.
func postOrders(url, key string, bodies [][]byte, conc int) (lat []time.Duration, elapsed time.Duration, acked, failed int64) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}, Timeout: 10 * time.Second}
	lat = make([]time.Duration, len(bodies))
	var next, ok, bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(bodies) {
					return
				}
				t0 := time.Now()
				resp, err := client.Do(orderRequest(url, key, bodies[i]))
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err == nil && resp.StatusCode == http.StatusCreated {
					ok.Add(1)
				} else {
					bad.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start), ok.Load(), bad.Load()
}
