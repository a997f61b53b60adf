package handover_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

func TestResignedHandoverRoundRobinEndToEnd(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone", "a", "b", "c")
	e.guides(20, "elsewhere")
	exts := e.customers("gone", 250)
	id := e.resign("gone")

	e.run(id) // open case: collected only, nothing sent
	assert.Equal(t, 0, e.callCount("resigned/transfer_customer"))
	view, err := e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyRoundRobin})
	require.NoError(t, err)
	assert.Equal(t, 250, view.Counts[handover.ItemCustomer][handover.ItemPending])
	shares := map[string]int{}
	for _, tp := range view.Takers {
		shares[tp.UserID] = tp.Customers
	}
	assert.Equal(t, map[string]int{"a": 84, "b": 83, "c": 83}, shares, "round robin over the store, never another store")

	_, err = e.svc.Execute(e.ctx, "admin1", id)
	require.NoError(t, err)
	e.run(id)
	assert.Equal(t, 3, e.callCount("resigned/transfer_customer"), "one call per taker, ≤100 each")
	assert.Equal(t, 250, e.states(id)[handover.ItemCustomer][handover.ItemWaiting])
	c, _ := e.store.GetCase(e.ctx, id)
	assert.Equal(t, handover.CaseWaiting, c.Status)

	e.clock.Advance(24*time.Hour + time.Minute)
	e.run(id)
	assert.Equal(t, 250, e.states(id)[handover.ItemCustomer][handover.ItemDone])
	c, _ = e.store.GetCase(e.ctx, id)
	assert.Equal(t, handover.CaseDone, c.Status)

	hist, err := e.graph.OwnershipHistory(e.ctx, exts[0])
	require.NoError(t, err)
	last := hist[len(hist)-1]
	assert.Equal(t, service.OwnerInherited, last.Reason)
	assert.Equal(t, "gone", last.FromUserID)
	assert.Equal(t, "a", last.ToUserID)
	f, err := e.graph.GetFollow(e.ctx, "a", exts[0], false)
	require.NoError(t, err)
	assert.Equal(t, "老客户", f.Remark, "the taker inherits the remark")
	old, _ := e.graph.GetFollow(e.ctx, "gone", exts[0], false)
	assert.False(t, old.Active)
	assert.Equal(t, service.RemovedByTransfer, old.RemovedBy)
	for ext, n := range e.transfersPerCustomer() {
		assert.Equal(t, 1, n, ext)
	}
	audit, _ := e.svc.AuditLog(e.ctx, id, 10)
	assert.Len(t, audit, 2)
}

func TestStrategies(t *testing.T) {
	tests := []struct {
		name string
		plan handover.Plan
		seed func(e *hEnv, exts []string)
		want map[string]int
	}{
		{"one", handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "b"}, nil, map[string]int{"b": 30}},
		{"least loaded", handover.Plan{Strategy: handover.StrategyLeastLoaded}, func(e *hEnv, _ []string) {
			e.customers("a", 20) // a holds 20, b none: b takes 25, then they alternate
		}, map[string]int{"a": 5, "b": 25}},
		{"keep existing", handover.Plan{Strategy: handover.StrategyRoundRobin, KeepExisting: true}, func(e *hEnv, exts []string) {
			e.follow("b", exts[:10]...) // b already follows ten of them
		}, map[string]int{"a": 10, "b": 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newHEnv(t)
			e.guides(10, "gone", "a", "b")
			exts := e.customers("gone", 30)
			if tt.seed != nil {
				tt.seed(e, exts)
			}
			id := e.resign("gone")
			view, err := e.svc.SetPlan(e.ctx, "admin1", id, tt.plan)
			require.NoError(t, err)
			got := map[string]int{}
			for _, tp := range view.Takers {
				got[tp.UserID] = tp.Customers
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestManualOverrideAndExclusion(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone", "a", "b")
	exts := e.customers("gone", 5)
	id := e.resign("gone")
	_, err := e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "a"})
	require.NoError(t, err)
	err = e.svc.EditItems(e.ctx, "admin1", id, handover.ItemEdits{
		Overrides: map[handover.ItemRef]string{{Kind: handover.ItemCustomer, TargetID: exts[0]}: "b"},
		Exclude:   []handover.ItemRef{{Kind: handover.ItemCustomer, TargetID: exts[1]}},
	})
	require.NoError(t, err)
	var ve *service.ValidationError
	err = e.svc.EditItems(e.ctx, "admin1", id, handover.ItemEdits{Overrides: map[handover.ItemRef]string{{Kind: handover.ItemCustomer, TargetID: exts[2]}: "gone"}})
	require.True(t, errors.As(err, &ve), "the handover guide cannot take over")
	view, err := e.svc.Execute(e.ctx, "admin1", id)
	require.NoError(t, err)
	e.run(id)
	recs := e.sim.Transfers()
	require.Len(t, recs, 4)
	takers := map[string]string{}
	for _, r := range recs {
		takers[r.ExternalUserID] = r.Takeover
	}
	assert.Equal(t, "b", takers[exts[0]])
	assert.NotContains(t, takers, exts[1])
	assert.Equal(t, "a", takers[exts[2]])
	assert.Equal(t, 1, view.Counts[handover.ItemCustomer][handover.ItemExcluded])
	_, err = e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyRoundRobin})
	require.ErrorIs(t, err, service.ErrConflict, "a running case cannot be replanned")
}
