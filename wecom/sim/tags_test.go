package sim

import (
	"testing"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/tag/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCorpTagLifecycle(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)

	// PowerWeChat sends "group_id":null and "agentid":null.
	added, err := e.app.ExternalContactTag.AddCorpTag(e.ctx, &request.RequestTagAddCorpTag{
		GroupName: "客户等级", Order: 5,
		Tag: []request.RequestTagAddCorpTagFieldTag{{Name: "普通"}, {Name: "银卡", Order: 2}, {Name: "普通"}},
	})
	require.NoError(t, err)
	require.Equal(t, 0, added.ErrCode)
	require.Len(t, added.TagGroups.Tags, 3)
	assert.Equal(t, added.TagGroups.Tags[1].ID, added.TagGroups.Tags[2].ID, "duplicate names merge")
	gid, silver := added.TagGroups.GroupID, added.TagGroups.Tags[0].ID // 银卡 sorts first (order 2)

	more, err := e.app.ExternalContactTag.AddCorpTag(e.ctx, &request.RequestTagAddCorpTag{
		GroupID: &gid, Tag: []request.RequestTagAddCorpTagFieldTag{{Name: "金卡"}}})
	require.NoError(t, err)
	gold := more.TagGroups.Tags[0].ID

	all, err := e.app.ExternalContactTag.GetCorpTagList(e.ctx, nil, nil)
	require.NoError(t, err)
	require.Len(t, all.TagGroups, 1)
	assert.Len(t, all.TagGroups[0].Tags, 3)

	edit, err := e.app.ExternalContactTag.EditCorpTag(e.ctx, &request.RequestTagEditCorpTag{ID: gold, Name: "黑金卡"})
	require.NoError(t, err)
	assert.Equal(t, 0, edit.ErrCode)

	markAndDelete(t, e, ext, silver, gold)
}

// markAndDelete marks silver and gold on ext, deletes gold and checks what
// customers and id-filtered queries then show.
func markAndDelete(t *testing.T, e *env, ext, silver, gold string) {
	mark, err := e.app.ExternalContactTag.MarkTag(e.ctx, &request.RequestTagMarkTag{
		UserID: "zhangsan", ExternalUserID: ext, AddTag: []string{silver, gold}})
	require.NoError(t, err)
	assert.Equal(t, 0, mark.ErrCode)
	f, _ := e.sim.Follower("zhangsan", ext)
	assert.ElementsMatch(t, []string{silver, gold}, f.TagIDs)

	notHis, err := e.app.ExternalContactTag.MarkTag(e.ctx, &request.RequestTagMarkTag{
		UserID: "lisi", ExternalUserID: ext, AddTag: []string{silver}})
	require.NoError(t, err)
	assert.Equal(t, 84061, notHis.ErrCode, "the customer must be the member's")

	del, err := e.app.ExternalContactTag.DelCorpTag(e.ctx, &request.RequestTagDelCorpTag{TagID: []string{gold}})
	require.NoError(t, err)
	assert.Equal(t, 0, del.ErrCode)
	byID, err := e.app.ExternalContactTag.GetCorpTagList(e.ctx, []string{gold}, nil)
	require.NoError(t, err)
	require.Len(t, byID.TagGroups, 1)
	assert.True(t, byID.TagGroups[0].Tags[0].Deleted, "id-filtered queries show deleted tags")

	got, err := e.app.ExternalContact.Get(e.ctx, ext, "")
	require.NoError(t, err)
	require.Len(t, got.FollowUsers[0].Tags, 1, "customers lose deleted tags")
	assert.Equal(t, "银卡", got.FollowUsers[0].Tags[0].TagName)

	badMark, err := e.app.ExternalContactTag.MarkTag(e.ctx, &request.RequestTagMarkTag{
		UserID: "zhangsan", ExternalUserID: ext, AddTag: []string{gold}})
	require.NoError(t, err)
	assert.Equal(t, 40068, badMark.ErrCode)

	empty, err := e.app.ExternalContactTag.DelCorpTag(e.ctx, &request.RequestTagDelCorpTag{})
	require.NoError(t, err)
	assert.Equal(t, 40058, empty.ErrCode)
}

func TestAdminTagChangesPushCallbacks(t *testing.T) {
	e := newEnv(t)
	g, err := e.sim.CreateTagGroup("生命周期", "新客", "活跃")
	require.NoError(t, err)
	require.NoError(t, e.sim.RenameTag(g.Tags[0].ID, "新客户"))
	require.NoError(t, e.sim.DeleteTag(g.Tags[0].ID))
	require.NoError(t, e.sim.DeleteTag(g.Tags[1].ID)) // last tag: the group goes too
	e.flush(t)
	var got []string
	for _, m := range e.recv.messages() {
		got = append(got, m.Event+"/"+m.ChangeType+"/"+m.TagType+"/"+m.ID)
	}
	assert.Equal(t, []string{
		"change_external_tag/create/tag_group/" + g.ID,
		"change_external_tag/update/tag/" + g.Tags[0].ID,
		"change_external_tag/delete/tag/" + g.Tags[0].ID,
		"change_external_tag/delete/tag/" + g.Tags[1].ID,
		"change_external_tag/delete/tag_group/" + g.ID,
	}, got)
	assert.Empty(t, e.sim.TagGroups())
}
