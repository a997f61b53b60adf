package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// origins reads each tag's origin on an edge.
func (g *graphEnv) origins(userID, extID string) map[string]string {
	g.t.Helper()
	var rows []struct {
		TagID  string
		Origin string
	}
	require.NoError(g.t, g.db.Raw("SELECT tag_id, origin FROM follow_tags WHERE corp_id = ? AND userid = ? AND external_userid = ?",
		simtest.CorpID, userID, extID).Scan(&rows).Error)
	out := map[string]string{}
	for _, r := range rows {
		out[r.TagID] = r.Origin
	}
	return out
}

// A WeCom read re-reads every tag of an edge: the tags it keeps keep where they came from (a guide's
// edit through the sidebar), the tags it adds are WeCom's, the ones it no longer lists are gone; by
// event and by reconciliation alike.
func TestWeComReadKeepsTheOriginOfTagsItKeeps(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.svc.SetClock(g.wc.Clock.Now)
	g.guide("g1", 1)
	grp, err := g.wc.Sim.CreateTagGroup("偏好品类", "美妆", "家居", "服饰", "鞋包")
	require.NoError(t, err)
	beauty, home, wear, shoes := grp.Tags[0].ID, grp.Tags[1].ID, grp.Tags[2].ID, grp.Tags[3].ID
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "周女士"}, "")
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "", "", []string{beauty})) // set in the WeCom client
	g.apply(g.take()...)
	assert.Equal(t, map[string]string{beauty: service.TagFromWeCom}, g.origins("g1", ext))

	// The guide adds 家居 in the sidebar: WeCom accepts it, then the edge records it as the guide's.
	at := g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "", "", []string{beauty, home}))
	g.take() // the edit's callback comes later (below)
	require.NoError(t, sidebardb.New(g.db, simtest.CorpID).ChangeEdgeTags(ctx, "g1", ext, []string{home}, nil, at))
	assert.Equal(t, map[string]string{beauty: service.TagFromWeCom, home: service.TagFromGuide}, g.origins("g1", ext))

	// In the WeCom client 美妆 is removed and 服饰 added: the read after the edit keeps the guide's 家居.
	g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "", "", []string{home, wear}))
	g.apply(g.take()...)
	assert.Equal(t, map[string]string{home: service.TagFromGuide, wear: service.TagFromWeCom}, g.origins("g1", ext))

	// Reconciliation reads the same way.
	now := g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "", "", []string{home, wear, shoes}))
	g.take() // lost callback: reconciliation finds the change
	_, err = g.svc.ReconcileGuide(ctx, "g1", now)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{home: service.TagFromGuide, wear: service.TagFromWeCom, shoes: service.TagFromWeCom}, g.origins("g1", ext))
}
