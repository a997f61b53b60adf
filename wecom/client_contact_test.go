package wecom_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

func TestGetExternalContact(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	g, err := e.sim.CreateTagGroup("客户等级", "普通", "金卡")
	require.NoError(t, err)
	require.NoError(t, e.sim.EditFollow("zhangsan", "wmwang", "王姐", "爱买口红", []string{g.Tags[1].ID}))

	d, err := e.client.GetExternalContact(ctx, "wmwang")
	require.NoError(t, err)
	assert.Equal(t, wecom.ExternalContact{ExternalUserID: "wmwang", Name: "王小美", Type: 1, Gender: 2, UnionID: "ou1"}, d.Contact)
	require.Len(t, d.FollowUsers, 1)
	f := d.FollowUsers[0]
	assert.Equal(t, "zhangsan", f.UserID)
	assert.Equal(t, "王姐", f.Remark)
	assert.Equal(t, "爱买口红", f.Description)
	assert.Equal(t, t0.Unix(), f.CreateTime)
	assert.Equal(t, 1, f.AddWay)
	assert.Equal(t, "qr_store2", f.State)
	assert.Equal(t, []wecom.FollowTag{{GroupName: "客户等级", TagName: "金卡", TagID: g.Tags[1].ID, Type: 1}}, f.Tags)

	_, err = e.client.GetExternalContact(ctx, "wmnope")
	assert.Equal(t, wecom.CodeInvalidExternalID, apiCode(t, err))
}

func TestGetExternalContactFollowsCursorPast500(t *testing.T) {
	e := newEnv(t)
	corp := &sim.Corp{Customers: []sim.Customer{{ExternalUserID: "wmpopular", Name: "大客户"}}}
	for i := range 1203 {
		id := fmt.Sprintf("guide%04d", i)
		corp.Users = append(corp.Users, sim.User{UserID: id, Name: id})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: id, ExternalUserID: "wmpopular", CreateTime: t0})
	}
	require.NoError(t, e.sim.Load(corp))

	d, err := e.client.GetExternalContact(ctx, "wmpopular")
	require.NoError(t, err)
	require.Len(t, d.FollowUsers, 1203)
	seen := map[string]bool{}
	for _, f := range d.FollowUsers {
		seen[f.UserID] = true
	}
	assert.Len(t, seen, 1203, "no follower lost or repeated across pages")
	assert.Equal(t, 3, e.rec.count("cgi-bin/externalcontact/get"))
}

func TestBatchGetByUserPages(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	for i := range 5 {
		_, _, err := e.sim.CustomerAddsGuide("lisi", sim.Customer{Name: fmt.Sprintf("客户%d", i)}, "")
		require.NoError(t, err)
	}
	var got []string
	cursor, pages := "", 0
	for {
		page, err := e.client.BatchGetByUser(ctx, []string{"zhangsan", "lisi"}, cursor, 2)
		require.NoError(t, err)
		pages++
		assert.LessOrEqual(t, len(page.Contacts), 2)
		for _, uc := range page.Contacts {
			got = append(got, uc.Follow.UserID+"/"+uc.Contact.ExternalUserID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
		require.Less(t, pages, 10)
	}
	assert.Len(t, got, 6)
	assert.Contains(t, got, "zhangsan/wmwang")
	assert.Equal(t, 3, pages)
}

func TestListExternalContacts(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	ids, err := e.client.ListExternalContacts(ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, []string{"wmwang"}, ids)
}

func strptr(s string) *string { return &s }

func TestRemark(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	err := e.client.Remark(ctx, wecom.RemarkRequest{UserID: "zhangsan", ExternalUserID: "wmwang",
		Remark: strptr("王姐-VIP"), Description: strptr("周末来店"), RemarkMobiles: []string{"13900000000"}})
	require.NoError(t, err)
	f, ok := e.sim.Follower("zhangsan", "wmwang")
	require.True(t, ok)
	assert.Equal(t, "王姐-VIP", f.Remark)
	assert.Equal(t, "周末来店", f.Description)
	assert.Equal(t, []string{"13900000000"}, f.RemarkMobiles)

	// Only the description changes; an empty non-nil mobile list clears the mobiles.
	err = e.client.Remark(ctx, wecom.RemarkRequest{UserID: "zhangsan", ExternalUserID: "wmwang",
		Description: strptr(""), RemarkMobiles: []string{}})
	require.NoError(t, err)
	f, _ = e.sim.Follower("zhangsan", "wmwang")
	assert.Equal(t, "王姐-VIP", f.Remark)
	assert.Empty(t, f.Description)
	assert.Empty(t, f.RemarkMobiles)

	err = e.client.Remark(ctx, wecom.RemarkRequest{UserID: "lisi", ExternalUserID: "wmwang", Remark: strptr("x")})
	assert.Equal(t, 84061, apiCode(t, err), "lisi does not follow wmwang")
}

func TestSendWelcomeMsg(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	ext, code, err := e.sim.CustomerAddsGuide("lisi", sim.Customer{Name: "新客"}, "qr_store2")
	require.NoError(t, err)
	require.NotEmpty(t, code)

	err = e.client.SendWelcomeMsg(ctx, code, "欢迎光临", wecom.LinkAttachment("会员权益", "", "", "https://example.com/vip"))
	require.NoError(t, err)
	msgs := e.sim.WelcomeMessages()
	require.Len(t, msgs, 1)
	assert.Equal(t, ext, msgs[0].ExternalUserID)
	assert.Equal(t, "欢迎光临", msgs[0].Text)
	require.Len(t, msgs[0].Attachments, 1)
	assert.JSONEq(t, `{"msgtype":"link","link":{"title":"会员权益","url":"https://example.com/vip"}}`, string(msgs[0].Attachments[0]))

	err = e.client.SendWelcomeMsg(ctx, code, "again")
	assert.Equal(t, wecom.CodeWelcomeTooLate, apiCode(t, err), "a welcome code is single-use")

	_, late, err := e.sim.CustomerAddsGuide("zhangsan", sim.Customer{Name: "晚到"}, "")
	require.NoError(t, err)
	e.clock.Advance(21 * time.Second)
	err = e.client.SendWelcomeMsg(ctx, late, "too late")
	assert.Equal(t, wecom.CodeWelcomeTooLate, apiCode(t, err), "a welcome code lives 20 s")
}
