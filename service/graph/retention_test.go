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

// TestPurgeInboxKeepsWhatIsNotDone: retention deletes applied callbacks past their time and never
// a pending or parked one.
func TestPurgeInboxKeepsWhatIsNotDone(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	for range 3 {
		_, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "客户"}, "")
		require.NoError(t, err)
	}
	g.accept(g.take()...) // create_user + 3 adds
	_, err := g.worker("w", time.Minute).RunOnce(ctx)
	require.NoError(t, err)
	_, _, err = g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "新客户"}, "")
	require.NoError(t, err)
	g.accept(g.take()...) // one pending

	n, err := graph.PurgeInbox(ctx, g.inbox, time.Hour, time.Now())
	require.NoError(t, err)
	assert.Zero(t, n, "done within the retention period: kept")
	n, err = graph.PurgeInbox(ctx, g.inbox, time.Hour, time.Now().Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, int64(4), n)
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), st.Pending, "the pending callback stays")
}
