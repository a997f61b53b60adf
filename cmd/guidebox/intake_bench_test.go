package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// BenchmarkIntakeAtLimit measures serve's callback intake against a minimal net/http baseline doing
// the same work (intakeBaseline: verify, decrypt, batched durable insert into the same inbox table,
// acknowledged only once committed), side by side in one run. Both listen on 127.0.0.1 in this
// process on the same MariaDB database; the load generator is another process (this test binary
// re-executed as TestIntakeLoadgen) that seals every callback as WeCom does (AES-256-CBC, signed
// msg_signature, one distinct add_external_contact event each) and posts them at concurrency 32 over
// keep-alive connections, each run bounded by a count and a time limit. Rounds alternate which side
// goes first (ABBA), so drift in the shared machine's load falls on both; after each run the inbox
// must hold exactly the acknowledged events, then it is emptied so every run starts alike.
//
// GUIDEBOX_INTAKE_ROUNDS (default 5), GUIDEBOX_INTAKE_EVENTS per run (default 20000),
// GUIDEBOX_INTAKE_LIMIT per run (default 60s), GUIDEBOX_INTAKE_ONLY=serve|baseline,
// GUIDEBOX_INTAKE_CPUPROFILE=file and GUIDEBOX_INTAKE_MEMPROFILE=file profile serve's runs only
// (GUIDEBOX_INTAKE_PROFILE=baseline profiles the baseline's; the allocation profile is written
// before and after them: compare with pprof -base). Besides acks/s, each run reports the process's
// CPU time per acknowledged callback, which the machine's other load disturbs less.
// Method and figures: docs/benchmarks.md, "Intake at the limit". Run: make bench-intake.
func BenchmarkIntakeAtLimit(b *testing.B) {
	rounds := intakeEnvInt("GUIDEBOX_INTAKE_ROUNDS", 5)
	events := intakeEnvInt("GUIDEBOX_INTAKE_EVENTS", 20000)
	limit := 60 * time.Second
	if d, err := time.ParseDuration(os.Getenv("GUIDEBOX_INTAKE_LIMIT")); err == nil && d > 0 {
		limit = d
	}
	const conc = 32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := repotest.DSN(b)

	// serve: its real wiring (gin router, callback handler, group-commit intake), workers off so the
	// inbox only grows; the simulator only answers serve's start-up.
	env := simtest.New(b, simtest.WithLimits(sim.Unlimited))
	cfg, err := LoadConfig("")
	require.NoError(b, err)
	cfg.Database.Driver, cfg.Database.DSN = "mysql", dsn
	cfg.Sidebar.SessionKey = "bench-session-key-0123456789"
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: env.Secret, Token: simtest.Token, AESKey: simtest.AESKey, BaseURL: env.URL}
	cfg.WeCom.Quota.Enabled = false
	cfg.Worker.Enabled = false
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(b, err)
	defer a.close()
	srv, stop, err := a.buildServer(ctx)
	require.NoError(b, err)
	serveLn := listenLocal(b)
	go func() { _ = srv.Serve(serveLn) }()
	defer func() { _ = srv.Shutdown(context.Background()); stop() }()

	// The baseline: its own connection pool with serve's settings, the same table.
	raw, err := sql.Open("mysql", dsn+"?parseTime=true&loc=UTC&charset=utf8mb4&interpolateParams=true")
	require.NoError(b, err)
	raw.SetMaxOpenConns(64)
	raw.SetMaxIdleConns(64)
	defer raw.Close()
	base, err := newIntakeBaseline(raw, simtest.Token, simtest.AESKey, simtest.CorpID)
	require.NoError(b, err)
	defer base.close()
	baseLn := listenLocal(b)
	bsrv := &http.Server{Handler: base, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = bsrv.Serve(baseLn) }()
	defer func() { _ = bsrv.Shutdown(context.Background()) }()

	gen := startLoadgen(b)
	defer gen.close()
	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(b, err)

	targets := map[string]string{"serve": "http://" + serveLn.Addr().String(), "baseline": "http://" + baseLn.Addr().String()}
	order := []string{"serve", "baseline"}
	if only := os.Getenv("GUIDEBOX_INTAKE_ONLY"); only != "" {
		order = []string{only}
	}
	results := map[string][]loadResult{}
	cpuPer := map[string][]float64{}
	seq := 0
	for _, name := range order { // warm-up: connections, pools, caches
		seq++
		res := gen.run(b, loadJob{URL: targets[name] + "/wecom/callback", Prefix: fmt.Sprintf("wm%04d", seq), Count: max(events/10, 100), Conc: conc, Limit: limit})
		require.Zero(b, res.Failed, "%s: warm-up", name)
		require.NoError(b, db.Exec("TRUNCATE TABLE inbox_events").Error)
	}
	for i := 0; i < b.N; i++ {
		for r := 1; r <= rounds; r++ {
			these := slices.Clone(order)
			if r%2 == 0 {
				slices.Reverse(these) // ABBA
			}
			var line []string
			for _, name := range these {
				seq++
				prof := name == profiled() && startServeProfile(b)
				cpu0 := processCPU()
				res := gen.run(b, loadJob{URL: targets[name] + "/wecom/callback", Prefix: fmt.Sprintf("wm%04d", seq), Count: events, Conc: conc, Limit: limit})
				cpu := processCPU() - cpu0
				if prof {
					stopServeProfile(b)
				}
				var stored int64
				require.NoError(b, db.Raw("SELECT COUNT(*) FROM inbox_events").Scan(&stored).Error)
				require.Zero(b, res.Failed, "%s: every callback acknowledged", name)
				require.Equal(b, res.Acked, stored, "%s: every acknowledged event is durable, once", name)
				require.NoError(b, db.Exec("TRUNCATE TABLE inbox_events").Error)
				results[name] = append(results[name], res)
				us := float64(cpu.Microseconds()) / float64(res.Acked)
				cpuPer[name] = append(cpuPer[name], us)
				line = append(line, fmt.Sprintf("%s %.0f acks/s (p50 %.1f ms, p99 %.1f ms, %d in %.1fs, %.0f µs CPU/ack)", name, res.Rate(), res.P50, res.P99, res.Acked, res.Seconds, us))
			}
			b.Logf("round %d: %s; load average %s", r, strings.Join(line, ", "), loadAvg())
		}
	}
	med := map[string]float64{}
	for name, rs := range results {
		rates := make([]float64, len(rs))
		for i, r := range rs {
			rates[i] = r.Rate()
		}
		sort.Float64s(rates)
		med[name] = rates[len(rates)/2]
		b.ReportMetric(med[name], name+"-acks/s")
		slices.Sort(cpuPer[name])
		b.ReportMetric(cpuPer[name][len(cpuPer[name])/2], name+"-cpu-µs/ack")
	}
	if med["baseline"] > 0 && med["serve"] > 0 {
		b.ReportMetric(100*med["serve"]/med["baseline"], "serve/baseline-%")
		b.Logf("median: serve %.0f acks/s, baseline %.0f acks/s: serve at %.1f%% of the baseline", med["serve"], med["baseline"], 100*med["serve"]/med["baseline"])
	}
}

func intakeEnvInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

func listenLocal(b *testing.B) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	return ln
}

// processCPU is this process's user and system CPU time so far. Only one side takes callbacks at a
// time, so a run's difference is that side's cost (serve's idle background included).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// profiled is the side GUIDEBOX_INTAKE_CPUPROFILE and _MEMPROFILE profile: GUIDEBOX_INTAKE_PROFILE, serve by default.
func profiled() string {
	if p := os.Getenv("GUIDEBOX_INTAKE_PROFILE"); p != "" {
		return p
	}
	return "serve"
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

var serveProfiles struct {
	cpu     *os.File
	started bool
}

// startServeProfile starts the CPU profile (once: it covers every serve run) and writes the heap
// profile before the first serve run.
func startServeProfile(b *testing.B) bool {
	cpu, mem := os.Getenv("GUIDEBOX_INTAKE_CPUPROFILE"), os.Getenv("GUIDEBOX_INTAKE_MEMPROFILE")
	if cpu == "" && mem == "" {
		return false
	}
	if mem != "" && !serveProfiles.started {
		writeHeap(b, mem+".before")
	}
	serveProfiles.started = true
	if cpu != "" {
		f, err := os.Create(fmt.Sprintf("%s.%d", cpu, time.Now().UnixNano()))
		require.NoError(b, err)
		require.NoError(b, pprof.StartCPUProfile(f))
		serveProfiles.cpu = f
	}
	return true
}

func stopServeProfile(b *testing.B) {
	if serveProfiles.cpu != nil {
		pprof.StopCPUProfile()
		require.NoError(b, serveProfiles.cpu.Close())
		serveProfiles.cpu = nil
	}
	if mem := os.Getenv("GUIDEBOX_INTAKE_MEMPROFILE"); mem != "" {
		writeHeap(b, mem+".after")
	}
}

func writeHeap(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	require.NoError(b, err)
	defer f.Close()
	require.NoError(b, pprof.Lookup("allocs").WriteTo(f, 0))
}

// loadJob is one run of the load generator: Count events to URL at concurrency Conc, stopping
// early at Limit; Prefix makes its customers' ids (and so its event keys) distinct from every other run's.
type loadJob struct {
	URL    string
	Prefix string
	Count  int
	Conc   int
	Limit  time.Duration
}

// loadResult is what the load generator measured: acknowledged (200) and failed POSTs, the wall time
// from the first POST to the last answer, and the latency quantiles in milliseconds.
type loadResult struct {
	Acked, Failed int64
	Seconds       float64
	P50, P99      float64
	Err           string
}

func (r loadResult) Rate() float64 { return float64(r.Acked) / r.Seconds }

type loadgen struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

// startLoadgen starts the load generator process: this test binary running TestIntakeLoadgen.
func startLoadgen(b *testing.B) *loadgen {
	exe, err := os.Executable()
	require.NoError(b, err)
	cmd := exec.Command(exe, "-test.run", "^TestIntakeLoadgen$", "-test.count", "1")
	cmd.Env = append(os.Environ(), "GUIDEBOX_INTAKE_LOADGEN=1")
	cmd.Dir = filepath.Dir(exe)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	require.NoError(b, err)
	out, err := cmd.StdoutPipe()
	require.NoError(b, err)
	require.NoError(b, cmd.Start())
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &loadgen{cmd: cmd, in: in, out: sc}
}

func (g *loadgen) run(b *testing.B, job loadJob) loadResult {
	data, err := json.Marshal(job)
	require.NoError(b, err)
	_, err = g.in.Write(append(data, '\n'))
	require.NoError(b, err)
	for g.out.Scan() {
		line := g.out.Text()
		if rest, ok := strings.CutPrefix(line, "LOADGEN "); ok {
			var res loadResult
			require.NoError(b, json.Unmarshal([]byte(rest), &res))
			require.Empty(b, res.Err)
			return res
		}
	}
	b.Fatalf("load generator ended: %v", g.out.Err())
	return loadResult{}
}

func (g *loadgen) close() {
	_ = g.in.Close()
	_ = g.cmd.Wait()
}

// TestIntakeLoadgen is the load generator's process (started by BenchmarkIntakeAtLimit; skipped
// otherwise). It reads one loadJob per line on stdin and answers one "LOADGEN {result}" line each.
// Every callback is sealed before the clock starts, as WeCom would seal it.
func TestIntakeLoadgen(t *testing.T) {
	if os.Getenv("GUIDEBOX_INTAKE_LOADGEN") == "" {
		t.Skip("the load generator of BenchmarkIntakeAtLimit")
	}
	crypto, err := callback.New(simtest.Token, simtest.AESKey, simtest.CorpID)
	require.NoError(t, err)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var job loadJob
		res := loadResult{}
		if err := json.Unmarshal(in.Bytes(), &job); err != nil {
			res.Err = err.Error()
		} else {
			res = runLoad(crypto, job)
		}
		data, _ := json.Marshal(res)
		fmt.Printf("LOADGEN %s\n", data)
	}
}

func runLoad(crypto *callback.Crypto, job loadJob) loadResult {
	now := time.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	reqs := make([]sealedReq, job.Count)
	for i := range reqs {
		m := &callback.Message{ToUserName: simtest.CorpID, FromUserName: "sys", CreateTime: now.Unix(), MsgType: "event",
			Event: "change_external_contact", ChangeType: "add_external_contact", UserID: fmt.Sprintf("bg%02d", i%40),
			ExternalUserID: fmt.Sprintf("%s%024d", job.Prefix, i), State: "bench", WelcomeCode: "WELCOMECODE" + strconv.Itoa(i)}
		nonce := strconv.Itoa(i)
		body, sig, err := crypto.Seal(m.Marshal(), ts, nonce)
		if err != nil {
			return loadResult{Err: err.Error()}
		}
		reqs[i] = sealedReq{query: url.Values{"msg_signature": {sig}, "timestamp": {ts}, "nonce": {nonce}}.Encode(), body: body}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: job.Conc, MaxConnsPerHost: job.Conc}, Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	lat := make([]time.Duration, 0, len(reqs))
	var mu sync.Mutex
	var next, acked, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(job.Limit)
	base := job.URL + "?"
	for range job.Conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, len(reqs)/job.Conc+1)
			defer func() { mu.Lock(); lat = append(lat, mine...); mu.Unlock() }()
			for time.Now().Before(deadline) {
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
				mine = append(mine, time.Since(t0))
				if err == nil && resp.StatusCode == http.StatusOK {
					acked.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	return loadResult{Acked: acked.Load(), Failed: failed.Load(), Seconds: elapsed.Seconds(), P50: q(0.5), P99: q(0.99)}
}
