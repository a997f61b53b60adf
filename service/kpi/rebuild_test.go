package kpi_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/kpidb"
	"github.com/guidebox/guidebox/service/kpi"
)

// history writes a seeded mix of every kind over 20 days, folding now and then as the job would, with
// late rows (an event whose time is days before rows already folded) among them.
func (e *env) history(seed int64, fold bool) {
	e.t.Helper()
	r := rand.New(rand.NewSource(seed))
	guides := []string{"anna", "bo", "cai", "dai"}
	kinds := []string{"sidebar_open", "product_shared", "reply_sent", "material_sent", "task_completed", "customer_added",
		"customer_deleted_guide", "guide_deleted_customer", "customer_transferred", "note_added"}
	for c := 0; c < 12; c++ {
		e.owner(fmt.Sprintf("wm%02d", c), guides[c%4], "added", at(-10, 10))
	}
	order := 0
	for i := 0; i < 240; i++ {
		day := r.Intn(20)
		if r.Intn(10) == 0 && day > 3 {
			day -= 3 + r.Intn(3) // late: happened days before
		}
		when := at(day, 8+r.Intn(14)).Add(time.Duration(r.Intn(3600)) * time.Second)
		g, ext := guides[r.Intn(4)], fmt.Sprintf("wm%02d", r.Intn(12))
		switch n := r.Intn(14); {
		case n < len(kinds):
			ref := ""
			if kinds[n] == "customer_transferred" {
				ref = guides[(r.Intn(3)+1+indexOf(guides, g))%4]
			}
			e.act(kinds[n], g, ext, when, ref, nil)
		case n < 13:
			order++
			e.paid(fmt.Sprintf("o%03d", order), ext, when, int64(100+r.Intn(900)))
		default:
			if order > 0 {
				o := 1 + r.Intn(order)
				e.refunded(fmt.Sprintf("o%03d", o), ext, when, 0)
			}
		}
		if fold && r.Intn(25) == 0 {
			e.catchUp()
		}
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// A rebuild from the activity log gives exactly the rollups the increments gave, late rows included;
// so does a ranged rebuild of some days.
func TestRebuildEqualsIncremental(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.history(7, true)
	e.catchUp()
	incremental := e.dump()
	require.NotEmpty(t, incremental["kpi_guide_daily"])
	require.NotEmpty(t, incremental["kpi_order_credits"])

	require.NoError(t, e.svc.Rebuild(e.ctx, 0, 0))
	assert.Empty(t, e.dump()["kpi_guide_daily"], "a rebuild starts from nothing")
	e.catchUp()
	assert.Equal(t, incremental, e.dump(), "full rebuild")

	require.NoError(t, e.svc.Rebuild(e.ctx, d0.AddDays(5), d0.AddDays(11)))
	e.catchUp()
	assert.Equal(t, incremental, e.dump(), "ranged rebuild of days 5 to 11")

	// One event per step (the smallest batches) gives the same too.
	require.NoError(t, e.svc.Rebuild(e.ctx, 0, 0))
	one := e.service(func(c *kpi.Config) { c.Batch = 1 })
	_, err := one.CatchUp(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, incremental, e.dump(), "batches of one")

	_, err = e.svc.Overview(e.ctx, kpi.Period{From: d0, To: d0.AddDays(19)})
	require.NoError(t, err)
}

// failing is a store whose rollup writes fail once: the step's transaction rolls back, the
// watermark with it, and the batch is folded again next time.
type failing struct {
	*kpidb.Store
	fail bool
}

func (f *failing) AddRollups(ctx context.Context, stores, corp []kpi.Rollup) error {
	if f.fail {
		f.fail = false
		if err := f.Store.AddRollups(ctx, stores, corp); err != nil { // written, then the crash
			return err
		}
		return errors.New("crash between the rollups and the watermark")
	}
	return f.Store.AddRollups(ctx, stores, corp)
}

func TestCrashBetweenReadAndWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.history(11, false)
	e.catchUp()
	want := e.dump()

	require.NoError(t, e.svc.Rebuild(e.ctx, 0, 0))
	f := &failing{Store: kpidb.New(e.db, corp)}
	svc := kpi.New(kpi.Config{Batch: 50, Now: func() time.Time { return e.now }}, f, repo.NewTxManager(e.db), nil)
	crashes := 0
	for i := 0; ; i++ {
		armed := i%3 == 1
		f.fail = armed
		n, err := svc.Step(e.ctx)
		if armed && !f.fail { // the crash happened
			require.Error(t, err)
			crashes++
			continue
		}
		f.fail = false // a batch with nothing to add never reached the rollups
		require.NoError(t, err)
		if n == 0 {
			break
		}
	}
	require.Positive(t, crashes)
	assert.Equal(t, want, e.dump())
}

// An id handed out but not committed yet holds the watermark (the row may still come); once it has
// been missing for GapWait it is taken as rolled back.
func TestWatermarkWaitsForUncommittedIDs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.act("sidebar_open", "anna", "", at(0, 9), "", nil)
	tx := e.db.Begin() // a writer whose row is not committed yet
	require.NoError(t, tx.Table("activity_log").Create(map[string]any{"corp_id": corp, "occurred_at": at(0, 10), "kind": "sidebar_open",
		"guide_userid": "bo", "external_userid": "", "actor_kind": "guide", "actor_id": "bo", "ref": "", "detail": ""}).Error)
	e.act("sidebar_open", "cai", "", at(0, 11), "", nil)
	e.catchUp()
	logged := func(id string) int64 { return e.guide(id, d0, d0).Opens }
	assert.EqualValues(t, 1, logged("anna"))
	assert.EqualValues(t, 0, logged("cai"), "cai's row waits behind the missing id")

	require.NoError(t, tx.Commit().Error)
	e.catchUp()
	assert.EqualValues(t, 1, logged("bo"), "the late commit is counted")
	assert.EqualValues(t, 1, logged("cai"))

	tx = e.db.Begin()
	require.NoError(t, tx.Table("activity_log").Create(map[string]any{"corp_id": corp, "occurred_at": at(0, 10), "kind": "sidebar_open",
		"guide_userid": "dai", "external_userid": "", "actor_kind": "guide", "actor_id": "dai", "ref": "", "detail": ""}).Error)
	require.NoError(t, tx.Rollback().Error)
	e.act("sidebar_open", "anna", "", at(0, 12), "", nil)
	e.catchUp()
	assert.EqualValues(t, 1, logged("anna"), "waits for the rolled-back id")
	e.now = e.now.Add(31 * time.Second)
	e.catchUp()
	assert.EqualValues(t, 2, logged("anna"), "after GapWait the id is given up")
	assert.EqualValues(t, 0, logged("dai"))
}
