package sim

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type groupMsgResp struct {
	ErrCode    int      `json:"errcode"`
	MsgID      string   `json:"msgid"`
	FailList   []string `json:"fail_list"`
	NextCursor string   `json:"next_cursor"`
	TaskList   []struct {
		UserID   string `json:"userid"`
		Status   int    `json:"status"`
		SendTime int64  `json:"send_time"`
	} `json:"task_list"`
	SendList []struct {
		ExternalUserID string `json:"external_userid"`
		Status         int    `json:"status"`
	} `json:"send_list"`
	GroupMsgList []struct {
		MsgID      string `json:"msgid"`
		CreateType int    `json:"create_type"`
		Text       struct {
			Content string `json:"content"`
		} `json:"text"`
	} `json:"group_msg_list"`
}

const ecPath = "cgi-bin/externalcontact/"

// groupMsgEnv is a simulator with guide zhangsan holding n customers and lisi holding one.
func groupMsgEnv(t *testing.T, n int) (*env, []string, string) {
	e := newEnv(t)
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三"})
	e.sim.AddUser(User{UserID: "lisi", Name: "李四"})
	var mine []string
	for i := range n {
		ext, _, err := e.sim.CustomerAddsGuide("zhangsan", Customer{Name: fmt.Sprintf("客户%d", i)}, "")
		require.NoError(t, err)
		mine = append(mine, ext)
	}
	other, _, err := e.sim.CustomerAddsGuide("lisi", Customer{Name: "别人的客户"}, "")
	require.NoError(t, err)
	return e, mine, other
}

func (e *env) addMsg(t *testing.T, body map[string]any) groupMsgResp {
	t.Helper()
	var out groupMsgResp
	e.postJSON(t, ecPath+"add_msg_template", body, &out)
	return out
}

func (e *env) sendResult(t *testing.T, msgID, userID string, limit int, cursor string) groupMsgResp {
	t.Helper()
	var out groupMsgResp
	e.postJSON(t, ecPath+"get_groupmsg_send_result", map[string]any{"msgid": msgID, "userid": userID, "limit": limit, "cursor": cursor}, &out)
	require.Zero(t, out.ErrCode)
	return out
}

func statuses(r groupMsgResp) map[string]int {
	out := map[string]int{}
	for _, s := range r.SendList {
		out[s.ExternalUserID] = s.Status
	}
	return out
}

func TestGroupMsgWaitsForTheMemberToSend(t *testing.T) {
	e, mine, other := groupMsgEnv(t, 3)
	res := e.addMsg(t, map[string]any{"chat_type": "single", "sender": "zhangsan", "text": map[string]string{"content": "新品到店"},
		"external_userid": append([]string{other, "wmunknown"}, mine...)})
	require.Zero(t, res.ErrCode)
	require.NotEmpty(t, res.MsgID)
	assert.ElementsMatch(t, []string{other, "wmunknown"}, res.FailList, "not the sender's customer, or unknown")

	var task groupMsgResp
	e.postJSON(t, ecPath+"get_groupmsg_task", map[string]any{"msgid": res.MsgID}, &task)
	require.Len(t, task.TaskList, 1)
	assert.Equal(t, "zhangsan", task.TaskList[0].UserID)
	assert.Equal(t, 0, task.TaskList[0].Status, "created, not sent: the member must confirm")
	assert.Equal(t, map[string]int{mine[0]: 0, mine[1]: 0, mine[2]: 0}, statuses(e.sendResult(t, res.MsgID, "zhangsan", 0, "")))
	assert.Equal(t, []string{res.MsgID}, e.sim.PendingGroupMsgs("zhangsan"))

	e.clock.Advance(time.Hour)
	require.NoError(t, e.sim.ConfirmGroupMsg("zhangsan", res.MsgID))
	assert.ErrorIs(t, e.sim.ConfirmGroupMsg("zhangsan", res.MsgID), ErrGroupMsgSentOnce)
	e.postJSON(t, ecPath+"get_groupmsg_task", map[string]any{"msgid": res.MsgID}, &task)
	assert.Equal(t, 2, task.TaskList[0].Status)
	assert.Equal(t, e.clock.Now().Unix(), task.TaskList[0].SendTime)
	assert.Equal(t, map[string]int{mine[0]: 1, mine[1]: 1, mine[2]: 1}, statuses(e.sendResult(t, res.MsgID, "zhangsan", 0, "")))
	assert.Empty(t, e.sendResult(t, res.MsgID, "lisi", 0, "").SendList, "lisi has no part in it")
	assert.Empty(t, e.sim.PendingGroupMsgs("zhangsan"))
}

func TestGroupMsgRuleRefusesACustomerWhoAlreadyReceivedToday(t *testing.T) {
	e, mine, _ := groupMsgEnv(t, 2)
	e.sim.SetGroupMsgRule(GroupMsgPerDay)
	first := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": "早上好"}, "external_userid": mine[:1]})
	require.NoError(t, e.sim.ConfirmGroupMsg("zhangsan", first.MsgID))
	second := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": "下午好"}})
	require.Zero(t, second.ErrCode, "only a sender: all of the sender's customers")
	require.NoError(t, e.sim.ConfirmGroupMsg("zhangsan", second.MsgID))
	assert.Equal(t, map[string]int{mine[0]: GroupMsgLimited, mine[1]: GroupMsgSent}, statuses(e.sendResult(t, second.MsgID, "zhangsan", 0, "")))

	e.clock.Advance(24 * time.Hour) // the next Beijing day
	third := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": "明天好"}, "external_userid": mine[:1]})
	require.NoError(t, e.sim.ConfirmGroupMsg("zhangsan", third.MsgID))
	assert.Equal(t, map[string]int{mine[0]: GroupMsgSent}, statuses(e.sendResult(t, third.MsgID, "zhangsan", 0, "")))
	assert.Equal(t, 2, e.sim.GroupMsgsReceived(mine[0]))
}

func TestGroupMsgRulePeriods(t *testing.T) {
	at := time.Date(2025, 3, 5, 20, 0, 0, 0, time.UTC) // Thursday 6 March 04:00 in Beijing
	from, n := GroupMsgPerMonth.periodStart(at)
	assert.Equal(t, "2025-03-01 00:00 31", from.Format("2006-01-02 15:04")+fmt.Sprint(" ", n))
	from, n = GroupMsgPerWeek.periodStart(at)
	assert.Equal(t, "2025-03-03 00:00 7", from.Format("2006-01-02 15:04")+fmt.Sprint(" ", n), "Monday")
	from, n = GroupMsgPerDay.periodStart(at)
	assert.Equal(t, "2025-03-06 00:00 1", from.Format("2006-01-02 15:04")+fmt.Sprint(" ", n), "the Beijing day")
	_, n = GroupMsgPerMonth.periodStart(time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC))
	assert.Equal(t, 28, n)
}

func TestGroupMsgNotAFriendAnyMore(t *testing.T) {
	e, mine, _ := groupMsgEnv(t, 2)
	res := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": "hi"}, "external_userid": mine})
	require.NoError(t, e.sim.CustomerDeletesGuide("zhangsan", mine[1]))
	require.NoError(t, e.sim.ConfirmGroupMsg("zhangsan", res.MsgID))
	assert.Equal(t, map[string]int{mine[0]: GroupMsgSent, mine[1]: GroupMsgNotFriend}, statuses(e.sendResult(t, res.MsgID, "zhangsan", 0, "")))
}

func TestAddMsgTemplateLimits(t *testing.T) {
	e, mine, other := groupMsgEnv(t, 1)
	text := map[string]string{"content": "hi"}
	link := map[string]any{"msgtype": "link", "link": map[string]string{"title": "新品", "url": "https://shop.example.com/p/1"}}
	many := make([]string, 10001)
	for i := range many {
		many[i] = mine[0]
	}
	tenLinks := make([]any, 10)
	for i := range tenLinks {
		tenLinks[i] = link
	}
	cases := []struct {
		name string
		body map[string]any
		code int
	}{
		{"over 10000 customers", map[string]any{"sender": "zhangsan", "text": text, "external_userid": many}, 40058},
		{"text over 4000 bytes", map[string]any{"sender": "zhangsan", "text": map[string]string{"content": strings.Repeat("新", 1334)}}, 40058},
		{"10 attachments", map[string]any{"sender": "zhangsan", "attachments": tenLinks}, 40058},
		{"link without url", map[string]any{"sender": "zhangsan", "attachments": []any{map[string]any{"msgtype": "link", "link": map[string]string{"title": "x"}}}}, 40058},
		{"msgtype and field disagree", map[string]any{"sender": "zhangsan", "attachments": []any{map[string]any{"msgtype": "image", "link": map[string]string{"title": "x", "url": "u"}}}}, 40058},
		{"nothing to send", map[string]any{"sender": "zhangsan"}, 40063},
		{"no sender", map[string]any{"text": text, "external_userid": mine}, 40058},
		{"customer groups", map[string]any{"chat_type": "group", "sender": "zhangsan", "text": text}, 40058},
		{"unknown sender", map[string]any{"sender": "nobody", "text": text}, 60111},
		{"nobody to send to", map[string]any{"sender": "zhangsan", "text": text, "external_userid": []string{other}}, 41048},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.code, e.addMsg(t, c.body).ErrCode)
		})
	}
	ok := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": strings.Repeat("新", 1333)},
		"attachments": tenLinks[:9], "external_userid": mine})
	assert.Zero(t, ok.ErrCode, "4000 bytes of text and 9 attachments are allowed")
	assert.Len(t, e.sim.GroupMsgs(), 1, "refused calls create nothing")
}

func TestGroupMsgResultsPage(t *testing.T) {
	e, mine, _ := groupMsgEnv(t, 5)
	res := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": "hi"}, "external_userid": mine})
	var seen []string
	cursor, pages := "", 0
	for {
		page := e.sendResult(t, res.MsgID, "zhangsan", 2, cursor)
		pages++
		for _, s := range page.SendList {
			seen = append(seen, s.ExternalUserID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	assert.Equal(t, 3, pages, "5 customers, 2 a page")
	assert.Equal(t, mine, seen)
	assert.Len(t, e.sendResult(t, res.MsgID, "zhangsan", 5000, "").SendList, 5, "over the maximum: the default 500")

	var list groupMsgResp
	from, to := e.clock.Now().Add(-time.Hour).Unix(), e.clock.Now().Add(time.Hour).Unix()
	e.postJSON(t, ecPath+"get_groupmsg_list_v2", map[string]any{"chat_type": "single", "start_time": from, "end_time": to, "filter_type": 0}, &list)
	require.Len(t, list.GroupMsgList, 1)
	assert.Equal(t, res.MsgID, list.GroupMsgList[0].MsgID)
	assert.Equal(t, "hi", list.GroupMsgList[0].Text.Content)
	e.postJSON(t, ecPath+"get_groupmsg_list_v2", map[string]any{"start_time": from, "end_time": from + 32*86400}, &list)
	assert.Equal(t, 40058, list.ErrCode, "a range over a month")
	var task groupMsgResp
	e.postJSON(t, ecPath+"get_groupmsg_task", map[string]any{"msgid": "msgnope"}, &task)
	assert.Equal(t, 40058, task.ErrCode)
}

func TestGroupMsgRemindAndCancel(t *testing.T) {
	e, mine, _ := groupMsgEnv(t, 1)
	res := e.addMsg(t, map[string]any{"sender": "zhangsan", "text": map[string]string{"content": "hi"}, "external_userid": mine})
	remind := func() int {
		var out groupMsgResp
		e.postJSON(t, ecPath+"remind_groupmsg_send", map[string]any{"msgid": res.MsgID}, &out)
		return out.ErrCode
	}
	for range 3 {
		require.Zero(t, remind())
		e.clock.Advance(time.Hour)
	}
	assert.Equal(t, 40058, remind(), "a fourth reminder within 24 h")
	e.clock.Advance(22 * time.Hour)
	assert.Zero(t, remind(), "the first reminder is 24 h old")
	assert.Equal(t, 4, e.sim.GroupMsgs()[0].Reminds)

	var out groupMsgResp
	e.postJSON(t, ecPath+"cancel_groupmsg_send", map[string]any{"msgid": res.MsgID}, &out)
	require.Zero(t, out.ErrCode)
	assert.ErrorIs(t, e.sim.ConfirmGroupMsg("zhangsan", res.MsgID), ErrGroupMsgStopped)
	assert.Equal(t, 40058, remind(), "a stopped 群发")
	assert.Equal(t, map[string]int{mine[0]: 0}, statuses(e.sendResult(t, res.MsgID, "zhangsan", 0, "")))
}
