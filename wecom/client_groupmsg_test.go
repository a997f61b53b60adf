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

func TestGroupMsgRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	res, err := e.client.AddMsgTemplate(ctx, wecom.MsgTemplate{Sender: "zhangsan", ExternalUserIDs: []string{"wmwang", "wmnobody"},
		Text: "新品到店", Attachments: []wecom.Attachment{wecom.LinkAttachment("羊绒大衣", "", "¥1299", "https://shop.example.com/p/1")}})
	require.NoError(t, err)
	require.NotEmpty(t, res.MsgID)
	assert.Equal(t, []string{"wmnobody"}, res.FailList)
	msgs := e.sim.GroupMsgs()
	require.Len(t, msgs, 1)
	assert.JSONEq(t, `{"msgtype":"link","link":{"title":"羊绒大衣","desc":"¥1299","url":"https://shop.example.com/p/1"}}`, string(msgs[0].Attachments[0]))

	list, next, err := e.client.GroupMsgList(ctx, e.clock.Now().Add(-time.Hour), e.clock.Now(), "", 100)
	require.NoError(t, err)
	assert.Empty(t, next)
	require.Len(t, list, 1)
	assert.Equal(t, res.MsgID, list[0].MsgID)
	assert.Equal(t, "新品到店", list[0].Text.Content)

	require.NoError(t, e.client.RemindGroupMsgSend(ctx, res.MsgID))
	require.NoError(t, e.sim.ConfirmGroupMsg("zhangsan", res.MsgID))
	tasks, _, err := e.client.GroupMsgTasks(ctx, res.MsgID, "", 1000)
	require.NoError(t, err)
	assert.Equal(t, []wecom.GroupMsgTask{{UserID: "zhangsan", Status: wecom.GroupMsgMemberSent, SendTime: e.clock.Now().Unix()}}, tasks)
	sends, _, err := e.client.GroupMsgSendResult(ctx, res.MsgID, "zhangsan", "", 1000)
	require.NoError(t, err)
	require.Len(t, sends, 1)
	assert.Equal(t, wecom.GroupMsgSent, sends[0].Status)
	require.NoError(t, e.client.CancelGroupMsgSend(ctx, res.MsgID))
}

// The send results page by cursor: every customer once, in pages of limit (PowerWeChat's own
// call sends the cursor under another name and would repeat the first page).
func TestGroupMsgSendResultPagesByCursor(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	corp := &sim.Corp{}
	var ids []string
	for i := range 7 {
		id := fmt.Sprintf("wmpage%02d", i)
		ids = append(ids, id)
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: id, Name: id})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: "lisi", ExternalUserID: id, CreateTime: t0})
	}
	require.NoError(t, e.sim.Load(corp))
	res, err := e.client.AddMsgTemplate(ctx, wecom.MsgTemplate{Sender: "lisi", ExternalUserIDs: ids, Text: "hi"})
	require.NoError(t, err)
	var seen []string
	cursor := ""
	for {
		page, next, err := e.client.GroupMsgSendResult(ctx, res.MsgID, "lisi", cursor, 3)
		require.NoError(t, err)
		for _, s := range page {
			seen = append(seen, s.ExternalUserID)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	assert.Equal(t, ids, seen)
}

func TestAddMsgTemplateErrcodes(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	_, err := e.client.AddMsgTemplate(ctx, wecom.MsgTemplate{Sender: "lisi", ExternalUserIDs: []string{"wmwang"}, Text: "hi"})
	assert.Equal(t, 41048, apiCode(t, err), "wmwang is zhangsan's customer: nobody left to send to")
	_, err = e.client.AddMsgTemplate(ctx, wecom.MsgTemplate{Sender: "zhangsan"})
	assert.Equal(t, 40063, apiCode(t, err), "nothing to send")
}
