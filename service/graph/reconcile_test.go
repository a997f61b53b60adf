package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestReconcileRepairsLostCallbacks: one customer's add and another's delete never reached guidebox;
// reconciliation against WeCom's batch/get_by_user repairs both, and a second run changes nothing.
func TestReconcileRepairsLostCallbacks(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	kept, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "留下的客户"}, "")
	require.NoError(t, err)
	gone, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "离开的客户"}, "")
	require.NoError(t, err)
	g.apply(g.take()...)
	require.NoError(t, g.wc.Sim.CustomerDeletesGuide("g1", gone))
	missed, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "漏掉的客户"}, "qr-lost")
	require.NoError(t, err)
	require.Len(t, g.take(), 2, "these callbacks are lost")

	now := g.wc.Clock.Advance(time.Hour)
	rep, err := g.svc.ReconcileGuide(ctx, "g1", now)
	require.NoError(t, err)
	assert.Equal(t, graph.ReconcileReport{UserID: "g1", Seen: 2, Added: 1, Removed: 1}, rep)
	assert.True(t, g.follow("g1", kept).Active)
	assert.True(t, g.follow("g1", missed).Active)
	assert.Equal(t, "qr-lost", g.follow("g1", missed).State)
	lost := g.follow("g1", gone)
	assert.False(t, lost.Active)
	assert.Equal(t, graph.RemovedBySync, lost.RemovedBy)
	c, err := g.store.GetCustomer(ctx, missed)
	require.NoError(t, err)
	assert.Equal(t, "g1", c.OwnerUserID)

	rep, err = g.svc.ReconcileGuide(ctx, "g1", now)
	require.NoError(t, err)
	assert.Equal(t, graph.ReconcileReport{UserID: "g1", Seen: 2}, rep, "nothing left to repair")
}

func TestReconcileSkipsResignedGuides(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "客户"}, "")
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.ResignUser("g1"))
	g.apply(g.take()...)
	rep, err := g.svc.ReconcileGuide(ctx, "g1", g.wc.Clock.Now())
	require.NoError(t, err)
	assert.True(t, rep.Skipped)
	assert.True(t, g.follow("g1", ext).Active, "a departed guide's customers wait for the handover")
}
