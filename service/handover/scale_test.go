package handover_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// Scale corp: store 10 with the departing guide and five colleagues; both processes start their
// manual clocks at the same instant and advance them together.
const (
	scaleCorpID = "wwhandoverscale001"
	scaleStore  = 10
	scaleGone   = "gone"
)

var (
	scaleStart  = time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)
	scaleTakers = []string{"t1", "t2", "t3", "t4", "t5"}
)

// TestHandoverScale is the handover benchmark (docs/benchmarks.md): a departed guide with
// GUIDEBOX_HANDOVER_N customers (default 10 000) and 300 groups, round robin over 5 takers.
// Run with GUIDEBOX_SCALE=1; it is skipped otherwise.
//
// The WeCom simulator runs in a child process (this test binary re-executed as
// TestHandoverScaleSimChild), so the live heap measured here with GUIDEBOX_HANDOVER_MEM=1 is the
// job's (service, store, client, driver) and not the simulator's per-transfer records.
func TestHandoverScale(t *testing.T) {
	if os.Getenv("GUIDEBOX_SCALE") == "" {
		t.Skip("set GUIDEBOX_SCALE=1 to run the handover benchmark")
	}
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("GUIDEBOX_HANDOVER_N")); err == nil && v > 0 {
		n = v
	}
	const groups = 300
	if os.Getenv("GUIDEBOX_HANDOVER_HEAPPROF") != "" {
		runtime.MemProfileRate = 4096 // fine-grained: the job's live heap is a few MiB
	}
	child := startSimChild(t, n, groups)
	e := newScaleEnv(t, child)
	e.seed(n)
	id := e.resign()

	var peak atomic.Uint64
	var base runtime.MemStats
	stop := func() {}
	measure := os.Getenv("GUIDEBOX_HANDOVER_MEM") != ""
	if measure { // forced GCs slow the run; measure memory separately
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&base)
		every := 250 * time.Millisecond
		if d, err := time.ParseDuration(os.Getenv("GUIDEBOX_HANDOVER_MEM_EVERY")); err == nil && d > 0 {
			every = d
		}
		stop = sampleHeap(&peak, every, os.Getenv("GUIDEBOX_HANDOVER_HEAPPROF"))
	}
	simBase := child.heap(t)

	start := time.Now()
	_, err := e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyRoundRobin})
	require.NoError(t, err)
	_, err = e.svc.Execute(e.ctx, "admin1", id)
	require.NoError(t, err)
	require.NoError(t, e.svc.RunCase(e.ctx, id))
	sent := time.Since(start)
	e.advance(24*time.Hour + time.Minute)
	require.NoError(t, e.svc.RunCase(e.ctx, id))
	total := time.Since(start)
	stop()
	simGrowth := mib(child.heap(t), simBase)
	var after runtime.MemStats
	if measure {
		runtime.GC()
		runtime.ReadMemStats(&after)
	}

	v, err := e.svc.View(e.ctx, id)
	require.NoError(t, err)
	assert.Equal(t, n, v.Counts[handover.ItemCustomer][handover.ItemDone])
	assert.Equal(t, groups, v.Counts[handover.ItemGroup][handover.ItemDone])
	assert.Equal(t, n/100, e.calls("resigned/transfer_customer"), "the minimum number of calls")
	assert.Equal(t, n, child.transfers(t), "every customer transferred once")
	if n <= 10000 && !measure { // the bar; the memory sampler's forced GCs slow the run
		assert.Less(t, total, 15*time.Second)
	}
	mem := "not measured (GUIDEBOX_HANDOVER_MEM=1)"
	if measure {
		mem = fmt.Sprintf("%.1f MiB (retained after the run %.1f MiB)", mib(peak.Load(), base.HeapAlloc), mib(after.HeapAlloc, base.HeapAlloc))
	}
	t.Logf("handover of %d customers + %d groups: sent in %v, complete in %v; calls: transfer_customer %d, transfer_result %d, groupchat/transfer %d, get_unassigned_list %d; job's peak live heap over baseline %s; simulator process's live heap grew %.1f MiB",
		n, groups, sent.Round(time.Millisecond), total.Round(time.Millisecond), e.calls("resigned/transfer_customer"),
		e.calls("resigned/transfer_result"), e.calls("groupchat/transfer"), e.calls("get_unassigned_list"), mem, simGrowth)
	c, _ := e.store.GetCase(e.ctx, id)
	require.Equal(t, handover.CaseDone, c.Status)
}

func mib(v, base uint64) float64 { return float64(v-min(v, base)) / (1 << 20) }

// scaleEnv is the job's side of the benchmark: MySQL, the real client and adapter pointed at the
// child simulator, and a handover.Service on a manual clock kept in step with the child's.
type scaleEnv struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	clock *sim.ManualClock
	child *simChild
	store *handoverdb.Store
	graph *graphdb.Store
	tx    *repo.TxManager
	svc   *handover.Service

	mu        sync.Mutex
	callCount map[string]int
}

func newScaleEnv(t *testing.T, child *simChild) *scaleEnv {
	e := &scaleEnv{t: t, ctx: context.Background(), db: repotest.New(t), clock: sim.NewManualClock(scaleStart), child: child,
		callCount: map[string]int{}}
	wc, err := wecom.NewClient(wecom.Config{CorpID: scaleCorpID, Secret: child.secret, BaseURL: child.url},
		wecom.WithObserver(func(ep string, _ int, _ time.Duration) {
			e.mu.Lock()
			e.callCount[ep]++
			e.mu.Unlock()
		}))
	require.NoError(t, err)
	e.store, e.graph, e.tx = handoverdb.New(e.db, scaleCorpID), graphdb.New(e.db, scaleCorpID), repo.NewTxManager(e.db)
	e.svc, err = handover.New(handover.Config{Now: e.clock.Now, InheritEdge: true, PageSize: 1000},
		e.store, wecom.NewTransfers(wc), e.tx, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	return e
}

func (e *scaleEnv) calls(endpoint string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.callCount["cgi-bin/externalcontact/"+endpoint]
}

// seed writes the guides and the departed guide's n follows to the graph in bulk
// (the child loaded the same corp into WeCom).
func (e *scaleEnv) seed(n int) {
	for _, id := range append([]string{scaleGone}, scaleTakers...) {
		require.NoError(e.t, e.graph.UpsertGuide(e.ctx, service.Guide{UserID: id, Name: "导购" + id, StoreID: scaleStore, Status: service.GuideActive}))
	}
	type followRow struct {
		CorpID         string
		UserID         string `gorm:"column:userid"`
		ExternalUserID string `gorm:"column:external_userid"`
		Remark         string
		Active         bool
		AddedAt        time.Time
		EventAt        time.Time
	}
	rows := make([]followRow, 0, 1000)
	for i := 0; i < n; i++ {
		rows = append(rows, followRow{CorpID: scaleCorpID, UserID: scaleGone, ExternalUserID: scaleExt(i), Remark: "老客户", Active: true,
			AddedAt: scaleStart, EventAt: scaleStart})
		if len(rows) == cap(rows) || i == n-1 {
			require.NoError(e.t, e.db.Table("follows").Create(&rows).Error)
			rows = rows[:0]
		}
	}
}

// resign plays delete_user: WeCom marks the guide departed, the graph worker opens the case.
func (e *scaleEnv) resign() int64 {
	e.child.post(e.t, "resign", url.Values{"userid": {scaleGone}})
	return applyResignation(e.t, e.ctx, e.tx, e.graph, e.svc, e.store, scaleGone, e.clock.Now())
}

// advance moves both clocks.
func (e *scaleEnv) advance(d time.Duration) {
	e.clock.Advance(d)
	e.child.post(e.t, "advance", url.Values{"d": {d.String()}})
}

func scaleExt(i int) string { return fmt.Sprintf("wmscale%07d", i) }

// simChild is the simulator in a child process with a small control API.
type simChild struct {
	url, secret string
}

// startSimChild re-executes this test binary as TestHandoverScaleSimChild and waits for its address.
func startSimChild(t *testing.T, n, groups int) *simChild {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	secret := "s-" + repotest.RandomHex(6)
	cmd := exec.Command(exe, "-test.run=^TestHandoverScaleSimChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GUIDEBOX_SIM_CHILD=1", "GUIDEBOX_SIM_SECRET="+secret,
		fmt.Sprintf("GUIDEBOX_SIM_N=%d", n), fmt.Sprintf("GUIDEBOX_SIM_GROUPS=%d", groups))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // the child exits when this closes
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "SIM_ADDR="); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return &simChild{url: "http://" + a, secret: secret}
	case <-time.After(2 * time.Minute):
		t.Fatal("the simulator child did not start")
		return nil
	}
}

func (c *simChild) post(t *testing.T, op string, q url.Values) []byte {
	t.Helper()
	resp, err := http.PostForm(c.url+"/ctl/"+op, q)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return body
}

// heap is the child's live heap after a GC.
func (c *simChild) heap(t *testing.T) uint64 {
	var v struct{ HeapAlloc uint64 }
	require.NoError(t, json.Unmarshal(c.post(t, "heap", nil), &v))
	return v.HeapAlloc
}

// transfers counts the transfers WeCom started.
func (c *simChild) transfers(t *testing.T) int {
	var v struct{ Transfers int }
	require.NoError(t, json.Unmarshal(c.post(t, "transfers", nil), &v))
	return v.Transfers
}

// TestHandoverScaleSimChild is the simulator process of TestHandoverScale; it does nothing unless
// started by it. It loads the scale corp, prints SIM_ADDR=host:port and serves WeCom plus /ctl/*
// until its stdin closes.
func TestHandoverScaleSimChild(t *testing.T) {
	if os.Getenv("GUIDEBOX_SIM_CHILD") != "1" {
		t.Skip("started by TestHandoverScale")
	}
	n, _ := strconv.Atoi(os.Getenv("GUIDEBOX_SIM_N"))
	groups, _ := strconv.Atoi(os.Getenv("GUIDEBOX_SIM_GROUPS"))
	clock := sim.NewManualClock(scaleStart)
	sm, err := sim.New(sim.Config{CorpID: scaleCorpID, Clock: clock, Secret: os.Getenv("GUIDEBOX_SIM_SECRET"), Limits: sim.Unlimited})
	require.NoError(t, err)
	sm.SetPushPaused(true) // nobody takes callbacks in the benchmark; the queue is dropped below
	corp := &sim.Corp{Departments: []sim.Department{{ID: scaleStore, Name: "门店", ParentID: 1}}}
	for _, id := range append([]string{scaleGone}, scaleTakers...) {
		corp.Users = append(corp.Users, sim.User{UserID: id, Name: "导购" + id, Departments: []int{scaleStore}})
	}
	for i := 0; i < n; i++ {
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: scaleExt(i), Name: "客户"})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: scaleGone, ExternalUserID: scaleExt(i), CreateTime: scaleStart, Remark: "老客户"})
	}
	for i := 0; i < groups; i++ {
		corp.Groups = append(corp.Groups, sim.Group{Name: "群", Owner: scaleGone, CreateTime: scaleStart,
			Members: []sim.GroupMember{{UserID: scaleGone, Type: 1, JoinTime: scaleStart}}})
	}
	require.NoError(t, sm.Load(corp))
	corp = nil

	mux := http.NewServeMux()
	mux.Handle("/", sm.Handler())
	mux.HandleFunc("POST /ctl/resign", func(w http.ResponseWriter, r *http.Request) {
		if err := sm.ResignUser(r.FormValue("userid")); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
		}
	})
	mux.HandleFunc("POST /ctl/advance", func(w http.ResponseWriter, r *http.Request) {
		d, err := time.ParseDuration(r.FormValue("d"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		clock.Advance(d)
	})
	mux.HandleFunc("POST /ctl/heap", func(w http.ResponseWriter, _ *http.Request) {
		sm.TakeQueued()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		_ = json.NewEncoder(w).Encode(map[string]uint64{"HeapAlloc": m.HeapAlloc})
	})
	mux.HandleFunc("POST /ctl/transfers", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]int{"Transfers": len(sm.Transfers())})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { // undelivered callbacks are not kept
		for range time.Tick(250 * time.Millisecond) {
			sm.TakeQueued()
		}
	}()
	fmt.Printf("SIM_ADDR=%s\n", ln.Addr())
	_, _ = io.Copy(io.Discard, os.Stdin) // until the parent closes the pipe or exits
	_ = srv.Close()
}

// sampleHeap records the peak live heap (HeapAlloc right after a GC) every interval until the
// returned stop is called: garbage awaiting collection is not memory the job keeps. With prof set,
// the heap profile at each new peak is written there (what was live at the peak, by allocation site).
func sampleHeap(peak *atomic.Uint64, every time.Duration, prof string) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		for {
			runtime.GC()
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
				if prof != "" {
					if f, err := os.Create(prof); err == nil {
						_ = pprof.WriteHeapProfile(f)
						_ = f.Close()
					}
				}
			}
			select {
			case <-done:
				return
			case <-time.After(every):
			}
		}
	}()
	return func() { close(done); <-finished }
}
