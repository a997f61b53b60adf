package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
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

// A guide without an interop license (接口许可): WeCom will not list their customers, and
// reconciliation must not read that as "no customers left" and remove every edge. Once licensed,
// it repairs as usual. Enrichment of their events falls back to reading customers one by one.
func TestReconcileLeavesUnlicensedGuidesAlone(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "客户"}, "")
	require.NoError(t, err)
	g.apply(g.take()...)
	g.wc.Sim.SetUnlicensed("g1", true)

	rep, err := g.svc.ReconcileGuide(ctx, "g1", g.wc.Clock.Advance(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, graph.ReconcileReport{UserID: "g1", Skipped: true, Unlicensed: true}, rep)
	assert.True(t, g.follow("g1", ext).Active, "nothing removed for want of a license")

	require.NoError(t, g.wc.Sim.CustomerDeletesGuide("g1", ext))
	require.Len(t, g.take(), 1, "this callback is lost")
	g.wc.Sim.SetUnlicensed("g1", false)
	rep, err = g.svc.ReconcileGuide(ctx, "g1", g.wc.Clock.Advance(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, graph.ReconcileReport{UserID: "g1", Removed: 1}, rep, "licensed again: repaired")
}

// TestReconcileReadIsASnapshotToo: an edit's enrichment read before reconciliation's batch/get_by_user
// and groupchat/get, but applied after them (a slow worker, a late retry), changes nothing: the
// reconciliation's reads are newer.
func TestReconcileReadIsASnapshotToo(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.svc.SetClock(g.wc.Clock.Now)
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "陈女士"}, "")
	require.NoError(t, err)
	chat, err := g.wc.Sim.CreateGroup("g1", "老客群", []string{ext})
	require.NoError(t, err)
	g.apply(g.take()...)

	g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "陈姐", "", nil))
	require.NoError(t, g.wc.Sim.RenameGroup(chat, "陈姐的群"))
	var late []graph.Prepared
	for _, m := range g.take() { // enriched now, applied after the reconciliation
		ev, err := wecom.ParseEvent(m.Marshal())
		require.NoError(t, err)
		p, err := g.svc.Prepare(ctx, graph.Lease{}, ev)
		require.NoError(t, err)
		late = append(late, p)
	}
	now := g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "陈姐 金卡", "", nil))
	require.NoError(t, g.wc.Sim.RenameGroup(chat, "金卡群"))
	require.NoError(t, g.wc.Sim.UpdateCustomer(sim.Customer{ExternalUserID: ext, Name: "陈美丽"}))
	g.take() // these callbacks are lost; reconciliation reads the change

	_, err = g.svc.ReconcileGuide(ctx, "g1", now)
	require.NoError(t, err)
	require.NoError(t, g.svc.ApplyPrepared(ctx, late))
	assert.Equal(t, "陈姐 金卡", g.follow("g1", ext).Remark)
	c, err := g.store.GetCustomer(ctx, ext)
	require.NoError(t, err)
	assert.Equal(t, "陈美丽", c.Name)
	gr, err := g.store.GetGroup(ctx, chat)
	require.NoError(t, err)
	assert.Equal(t, "金卡群", gr.Name)
}
