package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// BenchmarkCallbackIntake measures the callback pipeline of a running serve on MySQL, as WeCom
// drives it: signed, encrypted add_external_contact callbacks posted over HTTP at concurrency 32.
// Phase 1 (workers off) measures acknowledgements: callbacks/s and p99 latency, then checks that
// every acknowledged event is in the inbox. Phase 2 starts the workers and measures how fast the
// graph catches up, each event enriched from the simulator (externalcontact/get) and applied.
// Method and figures: docs/benchmarks.md. Run: make bench (or go test -bench CallbackIntake ./cmd/guidebox).
func BenchmarkCallbackIntake(b *testing.B) {
	const total, conc = 20000, 32
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	// WeCom allows 10 000 externalcontact/get a minute per corp; the benchmark measures guidebox, not that limit.
	env := simtest.New(b, simtest.WithLimits(sim.Unlimited))
	cfg, err := LoadConfig("")
	require.NoError(b, err)
	cfg.HTTP.Addr = ln.Addr().String()
	cfg.Database.Driver, cfg.Database.DSN = "mysql", repotest.DSN(b)
	cfg.Sidebar.SessionKey = "bench-session-key-0123456789"
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: env.Secret, Token: simtest.Token, AESKey: simtest.AESKey, BaseURL: env.URL}
	cfg.WeCom.Quota.Enabled = false // and the client spends no budget: both limits lifted
	cfg.Worker.Enabled = false
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(b, err)
	defer a.close()
	srv, stop, err := a.buildServer(ctx)
	require.NoError(b, err)
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Shutdown(context.Background()); stop() }()

	reqs := benchCallbacks(b, env, total)
	base := "http://" + ln.Addr().String() + "/wecom/callback?"
	for i := 0; i < b.N; i++ {
		b.ResetTimer()
		lat, elapsed, failed := postAll(base, reqs, conc)
		b.StopTimer()
		require.Zero(b, failed, "every callback acknowledged")
		st, err := a.inbox.Stats(ctx)
		require.NoError(b, err)
		require.Equal(b, int64(total), st.Pending, "every acknowledged event is durable")
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		b.ReportMetric(float64(total)/elapsed.Seconds(), "acks/s")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99_ack_ms")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ack_ms")

		drained := drainInbox(b, a, ctx)
		b.ReportMetric(float64(total)/drained.Seconds(), "applied/s")
	}
}

type sealedReq struct {
	query string
	body  []byte
}

// benchCallbacks loads total customers of 40 guides into the simulator (so enrichment finds them)
// and seals one add_external_contact callback for each, as WeCom would.
func benchCallbacks(b *testing.B, env *simtest.Env, total int) []sealedReq {
	corp := &sim.Corp{}
	for g := range 40 {
		corp.Users = append(corp.Users, sim.User{UserID: fmt.Sprintf("bg%02d", g), Name: "导购", Departments: []int{1}, MainDepartment: 1, Status: 1})
	}
	now := env.Clock.Now()
	for i := range total {
		ext := fmt.Sprintf("wmbench%08d", i)
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: ext, Name: "客户" + strconv.Itoa(i), Type: 1})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: corp.Users[i%40].UserID, ExternalUserID: ext, CreateTime: now, AddWay: 1, State: "bench"})
	}
	require.NoError(b, env.Sim.Load(corp))
	crypto, err := callback.New(simtest.Token, simtest.AESKey, simtest.CorpID)
	require.NoError(b, err)
	reqs := make([]sealedReq, total)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for i, f := range corp.Follows {
		m := &callback.Message{ToUserName: simtest.CorpID, FromUserName: "sys", CreateTime: now.Unix(), MsgType: "event",
			Event: "change_external_contact", ChangeType: "add_external_contact", UserID: f.UserID, ExternalUserID: f.ExternalUserID, State: "bench"}
		nonce := strconv.Itoa(i)
		body, sig, err := crypto.Seal(m.Marshal(), ts, nonce)
		require.NoError(b, err)
		reqs[i] = sealedReq{query: url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {nonce}}.Encode(), body: body}
	}
	return reqs
}

// postAll posts every request with conc clients over keep-alive connections.
func postAll(base string, reqs []sealedReq, conc int) ([]time.Duration, time.Duration, int64) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}, Timeout: 5 * time.Second}
	lat := make([]time.Duration, len(reqs))
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(reqs) {
					return
				}
				t0 := time.Now()
				resp, err := client.Post(base+reqs[i].query, "text/xml", bytes.NewReader(reqs[i].body))
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start), failed.Load()
}

// drainInbox runs the workers until the inbox is empty and returns how long it took.
func drainInbox(b *testing.B, a *app, ctx context.Context) time.Duration {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	go a.newWorker(a.newGraphService(nil)).Run(wctx)
	for {
		st, err := a.inbox.Stats(ctx)
		require.NoError(b, err)
		if st.Parked > 0 {
			parked, _ := a.inbox.ListParked(ctx, 3)
			for _, p := range parked {
				b.Logf("parked %d after %d attempts: %s", p.ID, p.Attempts, p.LastError)
			}
			b.Fatalf("%d events parked", st.Parked)
		}
		if st.Pending == 0 {
			return time.Since(start)
		}
		if time.Since(start) > 5*time.Minute {
			b.Fatalf("inbox not drained after 5 minutes: %d pending", st.Pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
