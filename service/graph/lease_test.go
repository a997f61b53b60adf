package graph_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// outcomes counts the worker's reported outcomes (applied, retried, parked, lease_lost …).
type outcomes struct {
	mu sync.Mutex
	n  map[string]int
}

func newOutcomes() *outcomes { return &outcomes{n: map[string]int{}} }

func (o *outcomes) EventProcessed(_, _, outcome string, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.n[outcome]++
}

func (o *outcomes) get() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.n)
}

// leasedWorker is a worker with the given lease that reports to obs.
// Its rounds claim no backlog: these tests play two claims of one row against each other, and the
// backlog claim, made right after the first, would be a third.
func (g *graphEnv) leasedWorker(owner string, lease time.Duration, obs graph.Observer) *graph.Worker {
	return graph.NewWorker(graph.WorkerConfig{Owner: owner, Batch: 50, Backlog: -1, TxBatch: 4, Concurrency: 8, Lease: lease, Idle: 10 * time.Millisecond,
		MaxAttempts: 2, BaseBackoff: time.Millisecond, Throttle: 20 * time.Millisecond}, g.inbox, g.svc, wecom.ParseEvent, obs,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// inboxRow is what the tests read of an inbox row.
type inboxRow struct {
	ID        int64
	Status    string
	Attempts  int
	LockedBy  string
	LastError string
	UserID    string `gorm:"column:userid"`
}

func (g *graphEnv) inboxRows() []inboxRow { return readInbox(g.t, g.db) }

func readInbox(t *testing.T, db *gorm.DB) []inboxRow {
	t.Helper()
	var rows []inboxRow
	require.NoError(t, db.Table("inbox_events").Select("id, status, attempts, locked_by, last_error, userid").Order("id").Scan(&rows).Error)
	return rows
}

// addCustomers adds n new customers to guide in WeCom and returns them with their callbacks.
func (g *graphEnv) addCustomers(guide string, n int) []string {
	g.t.Helper()
	exts := make([]string, n)
	for i := range exts {
		ext, _, err := g.wc.Sim.CustomerAddsGuide(guide, sim.Customer{Name: "客户"}, "")
		require.NoError(g.t, err)
		exts[i] = ext
	}
	return exts
}

// TestSlowWeComTwoWorkersApplyEachEventOnce: enrichment is slower than the lease (the simulator
// answers externalcontact/get after two seconds; the lease is one) and two workers share the
// database. The worker that claimed the batch renews its lease while it works, so the other never
// takes the rows: every event is applied once, none is parked, no attempt is counted twice.
func TestSlowWeComTwoWorkersApplyEachEventOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("slow WeCom: seconds of real latency")
	}
	g := newGraphEnv(t)
	g.guide("g1", 1)
	g.apply(g.take()...) // create_user
	exts := g.addCustomers("g1", 6)
	msgs := g.take()
	require.Len(t, msgs, len(exts))
	g.wc.Sim.SetLatency("/cgi-bin/externalcontact/get", 2*time.Second)
	g.accept(msgs...)

	obs := newOutcomes()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, name := range []string{"replica-a", "replica-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.leasedWorker(name, time.Second, obs).Run(ctx)
		}()
	}
	require.Eventually(t, func() bool {
		st, err := g.inbox.Stats(context.Background())
		return err == nil && st.Pending == 0
	}, 30*time.Second, 20*time.Millisecond)
	cancel()
	wg.Wait() // a worker finishes what it claimed before Run returns

	assert.Equal(t, map[string]int{"applied": len(exts)}, obs.get(), "each event applied once; none retried, parked or lost")
	for _, r := range g.inboxRows() {
		assert.Equal(t, graph.InboxDone, r.Status, "row %d", r.ID)
		assert.Equal(t, 1, r.Attempts, "row %d was claimed once", r.ID)
	}
	for _, ext := range exts {
		assert.True(t, g.follow("g1", ext).Active)
		hist, err := g.store.OwnershipHistory(context.Background(), ext)
		require.NoError(t, err)
		assert.Len(t, hist, 1, "one ownership change: added to g1")
	}
}

// TestWorkerStopsWorkingOnARowAnotherWorkerTook: a worker stalls past its lease (a long pause, a
// partition) and another worker claims its row. At its next renewal the first worker finds the row
// taken: it stops enriching the event and writes nothing for it, neither applying nor parking it
// nor rewinding its attempts; the row stays with the worker that holds it.
func TestWorkerStopsWorkingOnARowAnotherWorkerTook(t *testing.T) {
	if testing.Short() {
		t.Skip("slow WeCom: seconds of real latency")
	}
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	g.apply(g.take()...) // create_user
	ext := g.addCustomers("g1", 1)[0]
	g.wc.Sim.SetLatency("/cgi-bin/externalcontact/get", 3*time.Second)
	g.accept(g.take()...)

	obs := newOutcomes()
	done := make(chan error, 1)
	go func() {
		_, err := g.leasedWorker("replica-a", time.Second, obs).RunOnce(ctx)
		done <- err
	}()
	require.Eventually(t, func() bool {
		rows := g.inboxRows()
		return len(rows) == 1 && rows[0].LockedBy == "replica-a"
	}, 10*time.Second, 5*time.Millisecond)
	// replica-a's lease lapses (it made no renewal in time) and replica-b claims the row
	require.Eventually(t, func() bool {
		if err := g.db.Exec("UPDATE inbox_events SET next_at = ?", time.Now().UTC().Add(-time.Second)).Error; err != nil {
			return false
		}
		taken, err := g.inbox.Claim(ctx, "replica-b", 10, time.Minute)
		return err == nil && len(taken) == 1
	}, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, <-done)

	rows := g.inboxRows()
	require.Len(t, rows, 1)
	assert.Equal(t, graph.InboxPending, rows[0].Status, "replica-a neither finished nor parked replica-b's row")
	assert.Equal(t, 2, rows[0].Attempts, "nor rewound its attempts")
	assert.Equal(t, "replica-b", rows[0].LockedBy)
	assert.Empty(t, rows[0].LastError)
	_, err := g.store.GetFollow(ctx, "g1", ext, false)
	assert.ErrorIs(t, err, service.ErrNotFound, "replica-a stopped working on the event; replica-b applies it")
	assert.Equal(t, map[string]int{"lease_lost": 1}, obs.get())
}

// TestStaleHolderCannotFinishARow: a worker whose lease ran out, and whose row another worker
// claimed since, can neither park the row, retry it (rewinding its attempts), renew it nor mark
// it done, and the transaction applying its event rolls back whole; the row's holder can do all
// of it. On MySQL and on the embedded SQLite.
func TestStaleHolderCannotFinishARow(t *testing.T) {
	for _, driver := range []string{repo.DriverMySQL, repo.DriverSQLite} {
		t.Run(driver, func(t *testing.T) {
			var db *gorm.DB
			if driver == repo.DriverMySQL {
				db = repotest.New(t)
			} else {
				db = repotest.NewSQLite(t)
			}
			ctx := context.Background()
			wc := simtest.New(t)
			wc.Sim.SetPushPaused(true)
			inbox, store := graphdb.NewInboxStore(db), graphdb.New(db, simtest.CorpID)
			svc := graph.NewService(store, inbox, wc.Dir, repo.NewTxManager(db), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
			wc.Sim.AddUser(sim.User{UserID: "g1", Name: "导购g1", Departments: []int{1}, MainDepartment: 1})
			msgs := wc.Sim.TakeQueued()
			require.Len(t, msgs, 1) // create_user
			m := msgs[0]
			require.NoError(t, inbox.Append(ctx, []graph.InboxItem{{Key: m.Key(), Event: m.Event, ChangeType: m.ChangeType,
				EventTime: time.Unix(m.CreateTime, 0), Raw: m.Marshal()}}))
			ev, err := wecom.ParseEvent(m.Marshal())
			require.NoError(t, err)

			first, err := inbox.Claim(ctx, "replica-a", 10, time.Millisecond)
			require.NoError(t, err)
			require.Len(t, first, 1)
			var second []graph.InboxItem
			require.Eventually(t, func() bool { // replica-a's lease runs out; replica-b claims the row
				second, err = inbox.Claim(ctx, "replica-b", 10, time.Minute)
				return err == nil && len(second) == 1
			}, 10*time.Second, 5*time.Millisecond)
			stale, cur := first[0].Lease(), second[0].Lease()
			require.NotEqual(t, stale.Token, cur.Token)

			ok, err := inbox.Park(ctx, stale, 1, "stale holder")
			require.NoError(t, err)
			assert.False(t, ok, "a stale holder cannot park")
			ok, err = inbox.Retry(ctx, stale, 0, time.Now(), "stale holder")
			require.NoError(t, err)
			assert.False(t, ok, "nor retry (rewinding the attempts)")
			held, err := inbox.Renew(ctx, []graph.Lease{stale}, time.Minute)
			require.NoError(t, err)
			assert.Empty(t, held, "nor renew")
			require.NoError(t, inbox.Defer(ctx, []graph.Lease{stale}, time.Now().Add(time.Hour), "stale holder"), "nor defer (a no-op)")
			p, err := svc.Prepare(ctx, stale, ev)
			require.NoError(t, err)
			require.ErrorIs(t, svc.ApplyPrepared(ctx, []graph.Prepared{p}), graph.ErrLeaseLost, "nor mark it done")
			_, err = store.GetGuide(ctx, "g1")
			assert.ErrorIs(t, err, service.ErrNotFound, "the stale holder's transaction rolled back")
			assert.Equal(t, []inboxRow{{ID: cur.ID, Status: graph.InboxPending, Attempts: 2, LockedBy: "replica-b"}}, readInbox(t, db))

			held, err = inbox.Renew(ctx, []graph.Lease{cur}, time.Minute)
			require.NoError(t, err)
			assert.Equal(t, []int64{cur.ID}, held, "the holder renews")
			p, err = svc.Prepare(ctx, cur, ev)
			require.NoError(t, err)
			require.NoError(t, svc.ApplyPrepared(ctx, []graph.Prepared{p}), "and applies")
			_, err = store.GetGuide(ctx, "g1")
			assert.NoError(t, err)
			for _, l := range []graph.Lease{stale, cur} {
				ok, err = inbox.Park(ctx, l, 9, "after done")
				require.NoError(t, err)
				assert.False(t, ok, "a done row is nobody's to park")
			}
			assert.Equal(t, []inboxRow{{ID: cur.ID, Status: graph.InboxDone, Attempts: 2, LockedBy: "replica-b"}}, readInbox(t, db))
		})
	}
}
