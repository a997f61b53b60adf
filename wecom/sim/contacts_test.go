package sim

import (
	"fmt"
	"testing"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExternalContactGet(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	g, err := e.sim.CreateTagGroup("客户等级", "普通", "金卡")
	require.NoError(t, err)
	require.NoError(t, e.sim.EditFollow("zhangsan", ext, "王姐", "爱买口红", []string{g.Tags[1].ID}))

	res, err := e.app.ExternalContact.Get(e.ctx, ext, "")
	require.NoError(t, err)
	require.NotNil(t, res.ResponseWeCom, "errcode must be present")
	assert.Equal(t, 0, res.ErrCode)
	assert.Equal(t, "王小美", res.ExternalContact.Name)
	assert.Equal(t, 2, res.ExternalContact.Gender)
	require.Len(t, res.FollowUsers, 1)
	f := res.FollowUsers[0]
	assert.Equal(t, "zhangsan", f.UserID)
	assert.Equal(t, "王姐", f.Remark)
	assert.Equal(t, "qr_store1", f.State)
	assert.Equal(t, 1, f.AddWay)
	require.Len(t, f.Tags, 1)
	assert.Equal(t, "客户等级", f.Tags[0].GroupName)
	assert.Equal(t, "金卡", f.Tags[0].TagName)
	assert.Equal(t, 1, f.Tags[0].Type)

	unknown, err := e.app.ExternalContact.Get(e.ctx, "wmnope", "")
	require.NoError(t, err)
	assert.Equal(t, 40096, unknown.ErrCode)
}

func TestExternalContactGetPagesPast500Followers(t *testing.T) {
	e := newEnv(t)
	corp := &Corp{Customers: []Customer{{ExternalUserID: "wmpopular", Name: "大客户"}}}
	for i := range 501 {
		id := fmt.Sprintf("guide%03d", i)
		corp.Users = append(corp.Users, User{UserID: id, Name: id})
		corp.Follows = append(corp.Follows, Follow{UserID: id, ExternalUserID: "wmpopular", CreateTime: t0})
	}
	require.NoError(t, e.sim.Load(corp))
	first, err := e.app.ExternalContact.Get(e.ctx, "wmpopular", "")
	require.NoError(t, err)
	assert.Len(t, first.FollowUsers, 500)
	require.NotEmpty(t, first.NextCursor)
	second, err := e.app.ExternalContact.Get(e.ctx, "wmpopular", first.NextCursor)
	require.NoError(t, err)
	assert.Len(t, second.FollowUsers, 1)
	assert.Empty(t, second.NextCursor)
}

func TestBatchGetByUserListAndFollowUsers(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	for i := range 3 {
		_, _, err := e.sim.CustomerAddsGuide("lisi", Customer{Name: fmt.Sprintf("客户%d", i)}, "")
		require.NoError(t, err)
	}
	g, err := e.sim.CreateTagGroup("偏好品类", "美妆")
	require.NoError(t, err)
	ids := e.sim.CustomerIDs("lisi")
	require.NoError(t, e.sim.EditFollow("lisi", ids[0], "", "", []string{g.Tags[0].ID}))

	var got []string
	cursor := ""
	for page := 0; ; page++ {
		res, err := e.app.ExternalContact.BatchGet(e.ctx, []string{"zhangsan", "lisi", "ghost"}, cursor, 3)
		require.NoError(t, err)
		require.Equal(t, 0, res.ErrCode)
		for _, it := range res.ExternalContactList {
			got = append(got, it.FollowInfo.UserID+"/"+it.ExternalContact.ExternalUserID)
			if it.ExternalContact.ExternalUserID == ids[0] {
				assert.Equal(t, []string{g.Tags[0].ID}, it.FollowInfo.TagIDs, "follow_info carries tag_id[]")
			}
		}
		if res.NextCursor == "" {
			break
		}
		require.Less(t, page, 3)
		cursor = res.NextCursor
	}
	assert.Len(t, got, 4)

	tooMany, err := e.app.ExternalContact.BatchGet(e.ctx, []string{"zhangsan"}, "", 101)
	require.NoError(t, err)
	assert.Equal(t, 40058, tooMany.ErrCode)

	list, err := e.app.ExternalContact.List(e.ctx, "lisi")
	require.NoError(t, err)
	assert.Equal(t, ids, list.ExternalUserID)

	fu, err := e.app.ExternalContact.GetFollowUsers(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"zhangsan", "lisi"}, fu.FollowUser)
}

func TestRemark(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	tests := []struct {
		name string
		req  request.RequestExternalContactRemark
		want int
	}{
		{"ok", request.RequestExternalContactRemark{UserID: "zhangsan", ExternalUserID: ext,
			Remark: "王姐", Description: "VIP", RemarkMobiles: []string{"13900000000"}}, 0},
		{"remark over 20 chars", request.RequestExternalContactRemark{UserID: "zhangsan", ExternalUserID: ext,
			Remark: "一二三四五六七八九十一二三四五六七八九十一"}, 40058},
		{"nothing to change", request.RequestExternalContactRemark{UserID: "zhangsan", ExternalUserID: ext}, 40058},
		{"not this member's customer", request.RequestExternalContactRemark{UserID: "lisi", ExternalUserID: ext,
			Remark: "x"}, 84061},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.app.ExternalContact.Remark(e.ctx, &tt.req)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.ErrCode)
		})
	}
	f, ok := e.sim.Follower("zhangsan", ext)
	require.True(t, ok)
	assert.Equal(t, "王姐", f.Remark)
	assert.Equal(t, "VIP", f.Description)
	assert.Equal(t, []string{"13900000000"}, f.RemarkMobiles)
}
