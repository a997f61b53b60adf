package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestReadNowEnrichesACardAheadOfTheBacklog: a guide opens the card of a customer whose add still
// waits in the inbox: the customer is read at once and the guide's edge made active at WeCom's
// createtime with its details; the waiting add, applied later, needs no read and changes nothing.
// A card with nothing waiting causes no read, and an edit waiting newer than the details does.
func TestReadNowEnrichesACardAheadOfTheBacklog(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.svc.SetClock(g.wc.Clock.Now)
	g.guide("g1", 1)
	g.apply(g.take()...)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "冯女士"}, "qr-store")
	require.NoError(t, err)
	added := g.wc.Clock.Now()
	g.accept(g.take()...)
	g.wc.Clock.Advance(graph.ReadMargin + time.Second)
	g.wc.Sim.ResetCalls()

	read, err := g.svc.ReadNow(ctx, "g1", ext, nil)
	require.NoError(t, err)
	assert.True(t, read)
	assert.Equal(t, 1, g.calls(apiGet))
	f := g.follow("g1", ext)
	assert.True(t, f.Active)
	assert.Equal(t, added.Unix(), f.AddedAt.Unix(), "added at WeCom's createtime")
	assert.Equal(t, "qr-store", f.State)
	assert.False(t, f.DetailsAt.IsZero())
	c, err := g.store.GetCustomer(ctx, ext)
	require.NoError(t, err)
	assert.Equal(t, "冯女士", c.Name)
	assert.Equal(t, "g1", c.OwnerUserID)

	g.drain(g.worker("w", time.Minute))
	assert.Equal(t, 1, g.calls(apiGet), "the waiting add needs no read of its own")
	assert.Equal(t, f, g.follow("g1", ext), "and changes nothing")
	hist, err := g.store.OwnershipHistory(ctx, ext)
	require.NoError(t, err)
	assert.Len(t, hist, 1)

	edge := g.follow("g1", ext)
	read, err = g.svc.ReadNow(ctx, "g1", ext, &edge)
	require.NoError(t, err)
	assert.False(t, read, "nothing waits: the card is as WeCom")
	other, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "别人"}, "")
	require.NoError(t, err)
	g.take()
	read, err = g.svc.ReadNow(ctx, "g1", other, nil)
	require.NoError(t, err)
	assert.False(t, read, "no edge and no add waiting: no read")
	assert.Equal(t, 1, g.calls(apiGet))

	g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "冯姐", "", nil))
	g.accept(g.take()...)
	read, err = g.svc.ReadNow(ctx, "g1", ext, &edge)
	require.NoError(t, err)
	assert.True(t, read, "an edit waits, newer than the details")
	assert.Equal(t, "冯姐", g.follow("g1", ext).Remark)
}

// TestReadNowReadsAnEdgeNeverRead: an active edge whose details were never read (made by an event
// alone) is read when its card opens, and its details land without touching its registers or owner.
func TestReadNowReadsAnEdgeNeverRead(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.svc.SetClock(g.wc.Clock.Now)
	g.guide("g1", 1)
	g.apply(g.take()...)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "褚先生"}, "qr")
	require.NoError(t, err)
	g.take()
	now := g.wc.Clock.Now()
	// a bare customer and edge, as an event alone leaves them
	_, err = g.store.LockCustomers(ctx, []service.Customer{{ExternalUserID: ext}})
	require.NoError(t, err)
	require.NoError(t, g.store.SaveEdges(ctx, []graph.EdgeWrite{{F: service.Follow{UserID: "g1", ExternalUserID: ext,
		AddedAt: now, Active: true, EventAt: now}}}))
	edge := g.follow("g1", ext)
	require.True(t, edge.DetailsAt.IsZero())

	read, err := g.svc.ReadNow(ctx, "g1", ext, &edge)
	require.NoError(t, err)
	assert.True(t, read)
	f := g.follow("g1", ext)
	assert.Equal(t, "qr", f.State)
	assert.False(t, f.DetailsAt.IsZero())
	assert.Equal(t, edge.AddedAt, f.AddedAt)
	hist, err := g.store.OwnershipHistory(ctx, ext)
	require.NoError(t, err)
	assert.Empty(t, hist, "a read alone decides no owner")
}
