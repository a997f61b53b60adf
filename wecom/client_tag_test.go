package wecom_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
)

func TestCorpTagLifecycle(t *testing.T) {
	e := newEnv(t)
	e.seed(t)

	g, err := e.client.AddCorpTag(ctx, wecom.AddCorpTagRequest{GroupName: "偏好品类", Order: 5,
		Tags: []wecom.NewTag{{Name: "美妆"}, {Name: "护肤", Order: 2}}})
	require.NoError(t, err)
	require.NotEmpty(t, g.GroupID)
	assert.Equal(t, "偏好品类", g.GroupName)
	require.Len(t, g.Tags, 2)
	makeup, skin := g.Tags[0].ID, g.Tags[1].ID

	more, err := e.client.AddCorpTag(ctx, wecom.AddCorpTagRequest{GroupID: g.GroupID, Tags: []wecom.NewTag{{Name: "香水"}}})
	require.NoError(t, err)
	assert.Equal(t, g.GroupID, more.GroupID)
	require.Len(t, more.Tags, 1)

	groups, err := e.client.GetCorpTags(ctx)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Len(t, groups[0].Tags, 3)

	order := int64(9)
	require.NoError(t, e.client.EditCorpTag(ctx, wecom.EditCorpTagRequest{ID: makeup, Name: "彩妆", Order: &order}))
	byID, err := e.client.GetCorpTagsByID(ctx, []string{makeup}, nil)
	require.NoError(t, err)
	require.Len(t, byID, 1)
	require.Len(t, byID[0].Tags, 1)
	assert.Equal(t, "彩妆", byID[0].Tags[0].Name)
	assert.Equal(t, int64(9), byID[0].Tags[0].Order)

	require.NoError(t, e.client.MarkTag(ctx, "zhangsan", "wmwang", []string{makeup, skin}, nil))
	f, _ := e.sim.Follower("zhangsan", "wmwang")
	assert.ElementsMatch(t, []string{makeup, skin}, f.TagIDs)
	require.NoError(t, e.client.MarkTag(ctx, "zhangsan", "wmwang", nil, []string{skin}))
	f, _ = e.sim.Follower("zhangsan", "wmwang")
	assert.Equal(t, []string{makeup}, f.TagIDs)
	err = e.client.MarkTag(ctx, "lisi", "wmwang", []string{makeup}, nil)
	assert.Equal(t, 84061, apiCode(t, err), "the customer must be the member's")

	require.NoError(t, e.client.DelCorpTag(ctx, []string{skin}, nil))
	require.NoError(t, e.client.DelCorpTag(ctx, nil, []string{g.GroupID}))
	groups, err = e.client.GetCorpTags(ctx)
	require.NoError(t, err)
	assert.Empty(t, groups)
}
