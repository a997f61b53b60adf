package handover_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/handover"
)

// TestLongRunKeepsItsLease: a run that lasts several leases (the clock moves 4 minutes per batch,
// the lease is 10) renews its lease between batches, so another replica can neither claim the case
// nor see it due at any point of the run.
func TestLongRunKeepsItsLease(t *testing.T) {
	const lease = 10 * time.Minute
	e := newHEnv(t, func(c *handover.Config) { c.Lease = lease; c.Owner = "replica-a" })
	e.guides(10, "gone", "a", "b", "c")
	e.customers("gone", 600)
	id := e.resign("gone")
	e.execute(id, handover.Plan{Strategy: handover.StrategyRoundRobin})

	start := e.clock.Now()
	checks := 0
	cfg := e.cfg
	cfg.Hooks.AfterBatchSent = func(handover.Batch) error {
		e.clock.Advance(4 * time.Minute) // a slow WeCom call
		ok, err := e.store.ClaimCase(e.ctx, id, "replica-b", e.clock.Now(), lease)
		require.NoError(t, err)
		assert.False(t, ok, "replica-b took the case %v into the run", e.clock.Now().Sub(start))
		due, err := e.store.DueCases(e.ctx, e.clock.Now(), 20)
		require.NoError(t, err)
		assert.NotContains(t, due, id, "the case looks free %v into the run", e.clock.Now().Sub(start))
		checks++
		return nil
	}
	ran, err := e.newService(cfg).RunLeased(e.ctx, id)
	require.NoError(t, err)
	require.True(t, ran)
	assert.Equal(t, 6, checks, "six batches of 100")
	assert.Greater(t, e.clock.Now().Sub(start), 2*lease, "the run outlived its first lease twice over")
	assert.Equal(t, 600, e.states(id)[handover.ItemCustomer][handover.ItemWaiting])
	var row struct {
		LockedBy   string
		LeaseUntil *time.Time
	}
	require.NoError(t, e.db.Table("handover_cases").Where("id = ?", id).Take(&row).Error)
	assert.Empty(t, row.LockedBy, "released at the end of the run")
	assert.Nil(t, row.LeaseUntil)
}

// TestDeadRunnersLeaseExpires: a runner that hangs mid-run (a stopped VM, a GC pause, a partition)
// stops renewing; its lease expires and another replica takes the case, recovers the batch left in
// flight and finishes the sends. When the hung runner wakes it finds its lease gone and stops
// before calling WeCom, so no customer is sent twice.
func TestDeadRunnersLeaseExpires(t *testing.T) {
	const lease = 10 * time.Minute
	e := newHEnv(t, func(c *handover.Config) { c.Lease = lease })
	e.guides(10, "gone", "a", "b", "c")
	e.customers("gone", 250)
	id := e.resign("gone")
	e.execute(id, handover.Plan{Strategy: handover.StrategyRoundRobin})

	hung, wake := make(chan struct{}), make(chan struct{})
	deadCfg := e.cfg
	deadCfg.Owner = "replica-dead"
	n := 0
	deadCfg.Hooks.AfterBatchRecorded = func(handover.Batch) error {
		if n++; n == 2 {
			close(hung)
			<-wake
		}
		return nil
	}
	dead := e.newService(deadCfg)
	done := make(chan error, 1)
	go func() {
		_, err := dead.RunLeased(context.Background(), id)
		done <- err
	}()
	<-hung

	liveCfg := e.cfg
	liveCfg.Owner = "replica-live"
	live := e.newService(liveCfg)
	ran, err := live.RunDue(e.ctx)
	require.NoError(t, err)
	assert.Zero(t, ran, "the hung runner's lease is still live")
	e.clock.Advance(lease - time.Second)
	ran, _ = live.RunDue(e.ctx)
	assert.Zero(t, ran, "not a second before the lease ends")

	e.clock.Advance(2 * time.Second)
	ran, err = live.RunDue(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, ran, "the expired lease lets another replica take the case")
	assert.Equal(t, 250, e.states(id)[handover.ItemCustomer][handover.ItemWaiting])

	close(wake)
	select {
	case err := <-done:
		require.ErrorIs(t, err, handover.ErrLeaseLost, "the woken runner stops")
	case <-time.After(30 * time.Second):
		t.Fatal("the woken runner did not stop")
	}
	assert.Equal(t, 3, e.callCount("resigned/transfer_customer"), "one call per taker: the woken runner sent nothing")
	per := e.transfersPerCustomer()
	assert.Len(t, per, 250)
	for ext, k := range per {
		require.Equal(t, 1, k, "customer %s submitted twice", ext)
	}
	e.clock.Advance(25 * time.Hour)
	ran, err = live.RunDue(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, ran)
	assert.Equal(t, 250, e.states(id)[handover.ItemCustomer][handover.ItemDone])
}
