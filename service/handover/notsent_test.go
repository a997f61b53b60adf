package handover_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom"
)

// A batch the WeCom client did not send (its budget had no room in time) goes back to pending at
// once: the next run sends it without asking WeCom's transfer_result what became of it.
func TestBatchNotSentGoesBackWithoutReconciling(t *testing.T) {
	e := newHEnv(t)
	// Two calls of each API at once, then two a minute on the simulator's clock; no waiting for more.
	tight, err := wecom.NewClient(wecom.Config{CorpID: e.sim.Config().CorpID, Secret: e.sim.Config().Secret, BaseURL: e.url,
		Quota: wecom.QuotaConfig{PerMinute: 4, PerHour: 1000, MaxWait: time.Millisecond}}, wecom.WithClock(e.clock.Now), wecom.WithObserver(e.observe))
	require.NoError(t, err)
	e.wc = tight
	e.svc = e.newService(e.cfg)
	e.guides(10, "gone", "a")
	e.customers("gone", 250)
	id := e.resign("gone")
	e.run(id)
	e.execute(id, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "a"})

	err = e.svc.RunCase(e.ctx, id)
	require.Error(t, err, "the third batch of the run finds no budget")
	assert.True(t, errors.Is(err, service.ErrNotSent), "%v", err)
	assert.Equal(t, 2, e.callCount("resigned/transfer_customer"), "two batches sent, the third never left")
	assert.Equal(t, 200, e.states(id)[handover.ItemCustomer][handover.ItemWaiting])
	assert.Equal(t, 50, e.states(id)[handover.ItemCustomer][handover.ItemPending], "put back, not left submitting")
	open, err := e.store.OpenBatches(e.ctx, id)
	require.NoError(t, err)
	assert.Empty(t, open, "no batch left for a run to reconcile with transfer_result")

	e.clock.Advance(time.Minute) // the budget has room again
	require.NoError(t, e.svc.RunCase(e.ctx, id))
	assert.Equal(t, 3, e.callCount("resigned/transfer_customer"))
	assert.Equal(t, 250, e.states(id)[handover.ItemCustomer][handover.ItemWaiting])
	for ext, n := range e.transfersPerCustomer() {
		assert.Equal(t, 1, n, ext)
	}
}

// 离职待分配 lists each departed guide with their open case and its counts, read in a few queries.
func TestDepartedListShowsOpenCases(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone1", "gone2", "a")
	e.customers("gone1", 3)
	e.customers("gone2", 2)
	id1 := e.resign("gone1")
	e.run(id1)
	id2 := e.resign("gone2")
	e.run(id2)

	list, err := e.svc.DepartedList(e.ctx, handover.DepartedFilter{})
	require.NoError(t, err)
	got := map[string]handover.Departed{}
	for _, d := range list {
		got[d.Guide.UserID] = d
	}
	require.Contains(t, got, "gone1")
	require.Contains(t, got, "gone2")
	for guide, want := range map[string]struct {
		id int64
		n  int
	}{"gone1": {id1, 3}, "gone2": {id2, 2}} {
		d := got[guide]
		require.NotNil(t, d.Case, guide)
		assert.Equal(t, want.id, d.Case.ID, guide)
		assert.Equal(t, "导购"+guide, d.Guide.Name)
		assert.Equal(t, want.n, d.Counts[handover.ItemCustomer][handover.ItemPending], guide)
	}
}
