package service_test

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestHandoverScale is the handover benchmark (docs/benchmarks.md): a departed guide with
// GUIDEBOX_HANDOVER_N customers (default 10 000) and 300 groups, round robin over 5 takers.
// Run with GUIDEBOX_SCALE=1; it is skipped otherwise and with -short.
func TestHandoverScale(t *testing.T) {
	if os.Getenv("GUIDEBOX_SCALE") == "" {
		t.Skip("set GUIDEBOX_SCALE=1 to run the handover benchmark")
	}
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("GUIDEBOX_HANDOVER_N")); err == nil && v > 0 {
		n = v
	}
	e := newHEnv(t, func(c *service.HandoverConfig) { c.PageSize = 1000 })
	e.guides(10, "gone", "t1", "t2", "t3", "t4", "t5")
	seedScale(t, e, n, 300)
	id := e.resign("gone")

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak atomic.Uint64
	stop := func() {}
	if os.Getenv("GUIDEBOX_HANDOVER_MEM") != "" { // forced GCs slow the run; measure memory separately
		stop = sampleHeap(&peak, e.sim)
	}

	start := time.Now()
	e.execute(id, service.HandoverPlan{Strategy: service.StrategyRoundRobin})
	e.run(id)
	sent := time.Since(start)
	e.clock.Advance(24*time.Hour + time.Minute)
	e.run(id)
	total := time.Since(start)
	stop()

	counts := e.states(id)
	assert.Equal(t, n, counts[service.ItemCustomer][service.ItemDone])
	assert.Equal(t, 300, counts[service.ItemGroup][service.ItemDone])
	assert.Equal(t, n/100, e.callCount("resigned/transfer_customer"), "the minimum number of calls")
	assert.Less(t, total, 15*time.Second)
	growth := float64(peak.Load()-min(peak.Load(), base.HeapAlloc)) / (1 << 20)
	t.Logf("handover of %d customers + 300 groups: sent in %v, complete in %v; calls: transfer_customer %d, transfer_result %d, groupchat/transfer %d, get_unassigned_list %d; peak live heap over baseline %.1f MiB",
		n, sent.Round(time.Millisecond), total.Round(time.Millisecond), e.callCount("resigned/transfer_customer"),
		e.callCount("resigned/transfer_result"), e.callCount("groupchat/transfer"), e.callCount("get_unassigned_list"), growth)
	c, _ := e.store.GetCase(e.ctx, id)
	require.Equal(t, service.CaseDone, c.Status)
}

// seedScale loads customers and groups of "gone" into WeCom and the graph in bulk.
func seedScale(t *testing.T, e *hEnv, n, groups int) {
	corp := &sim.Corp{}
	now := e.clock.Now()
	type followRow struct {
		CorpID         string
		UserID         string `gorm:"column:userid"`
		ExternalUserID string `gorm:"column:external_userid"`
		Remark         string
		Active         bool
		AddedAt        time.Time
		EventAt        time.Time
	}
	rows := make([]followRow, 0, n)
	for i := 0; i < n; i++ {
		ext := fmt.Sprintf("wmscale%07d", i)
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: ext, Name: "客户"})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: "gone", ExternalUserID: ext, CreateTime: now, Remark: "老客户"})
		rows = append(rows, followRow{CorpID: e.sim.Config().CorpID, UserID: "gone", ExternalUserID: ext, Remark: "老客户", Active: true, AddedAt: now, EventAt: now})
	}
	for i := 0; i < groups; i++ {
		corp.Groups = append(corp.Groups, sim.Group{Name: "群", Owner: "gone", CreateTime: now,
			Members: []sim.GroupMember{{UserID: "gone", Type: 1, JoinTime: now}}})
	}
	require.NoError(t, e.sim.Load(corp))
	require.NoError(t, e.db.Table("follows").CreateInBatches(rows, 1000).Error)
}

// sampleHeap records the peak live heap (HeapAlloc right after a GC) every 100 ms until the
// returned stop is called: garbage awaiting collection is not memory the job keeps.
func sampleHeap(peak *atomic.Uint64, sm *sim.Sim) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		for {
			sm.TakeQueued() // the paused simulator's undelivered callbacks are not the job's memory
			runtime.GC()
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(250 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); <-finished }
}
