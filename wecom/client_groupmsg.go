package wecom

import (
	"context"
	"encoding/json"
	"time"
)

// 企业群发: the calls below are posted with the client's own JSON bodies. PowerWeChat v3.4.28's
// ExternalContactMessageTemplate does not fit: GetGroupMsgTask and GetGroupMsgSendResult send the
// cursor as "msgcursorid" (WeCom reads "cursor", so every page after the first repeats the first),
// and AddMsgTemplate always sends tag_filter and a null chat_id_list.

// MsgTemplate is one add_msg_template call to customers (chat_type single) for one sender.
type MsgTemplate struct {
	Sender          string
	ExternalUserIDs []string // ≤10 000; empty means every customer of the sender
	Text            string   // ≤4000 bytes
	Attachments     []Attachment
}

// MsgTemplateResult is add_msg_template's answer: the 群发's msgid and the customers WeCom will
// not send to (unknown, or not the sender's).
type MsgTemplateResult struct {
	MsgID    string   `json:"msgid"`
	FailList []string `json:"fail_list"`
}

type msgTemplateResp struct {
	status
	MsgTemplateResult
}

// AddMsgTemplate creates a 企业群发 (创建企业群发, https://developer.work.weixin.qq.com/document/path/92135).
// WeCom only notifies the sender: nothing reaches a customer until the sender confirms in the
// client. 41048 means no customer was left to send to.
func (c *Client) AddMsgTemplate(ctx context.Context, t MsgTemplate) (*MsgTemplateResult, error) {
	body := map[string]any{"chat_type": "single", "sender": t.Sender}
	if len(t.ExternalUserIDs) > 0 {
		body["external_userid"] = t.ExternalUserIDs
	}
	if t.Text != "" {
		body["text"] = map[string]string{"content": t.Text}
	}
	if len(t.Attachments) > 0 {
		body["attachments"] = t.Attachments
	}
	var out msgTemplateResp
	if err := c.post(ctx, "cgi-bin/externalcontact/add_msg_template", body, &out); err != nil {
		return nil, err
	}
	return &out.MsgTemplateResult, nil
}

// GroupMsg is one entry of get_groupmsg_list_v2.
type GroupMsg struct {
	MsgID      string `json:"msgid"`
	Creator    string `json:"creator"` // absent for 群发 made through the API
	CreateTime int64  `json:"create_time"`
	CreateType int    `json:"create_type"` // 0 企业发表, 1 个人发表
	Text       struct {
		Content string `json:"content"`
	} `json:"text"`
	Attachments []json.RawMessage `json:"attachments"`
}

type groupMsgListResp struct {
	status
	GroupMsgList []GroupMsg `json:"group_msg_list"`
	NextCursor   string     `json:"next_cursor"`
}

// GroupMsgList reads one page (limit ≤100) of the corp's 企业发表 群发 to customers created between
// from and to, at most a month apart (获取群发记录列表, https://developer.work.weixin.qq.com/document/path/93338).
func (c *Client) GroupMsgList(ctx context.Context, from, to time.Time, cursor string, limit int) ([]GroupMsg, string, error) {
	body := map[string]any{"chat_type": "single", "start_time": from.Unix(), "end_time": to.Unix(), "filter_type": 0,
		"limit": limit, "cursor": cursor}
	var out groupMsgListResp
	if err := c.post(ctx, "cgi-bin/externalcontact/get_groupmsg_list_v2", body, &out); err != nil {
		return nil, "", err
	}
	return out.GroupMsgList, out.NextCursor, nil
}

// Member task statuses of get_groupmsg_task.
const (
	GroupMsgMemberUnsent = 0 // 未发送
	GroupMsgMemberSent   = 2 // 已发送
)

// GroupMsgTask is one member's part in a 群发 (get_groupmsg_task).
type GroupMsgTask struct {
	UserID   string `json:"userid"`
	Status   int    `json:"status"`
	SendTime int64  `json:"send_time"`
}

type groupMsgTaskResp struct {
	status
	TaskList   []GroupMsgTask `json:"task_list"`
	NextCursor string         `json:"next_cursor"`
}

// GroupMsgTasks reads one page (limit ≤1000) of the members who must send a 群发 and whether they
// did (获取群发成员发送任务列表, 93338).
func (c *Client) GroupMsgTasks(ctx context.Context, msgID, cursor string, limit int) ([]GroupMsgTask, string, error) {
	var out groupMsgTaskResp
	body := map[string]any{"msgid": msgID, "limit": limit, "cursor": cursor}
	if err := c.post(ctx, "cgi-bin/externalcontact/get_groupmsg_task", body, &out); err != nil {
		return nil, "", err
	}
	return out.TaskList, out.NextCursor, nil
}

// Customer statuses of get_groupmsg_send_result.
const (
	GroupMsgUnsent    = 0 // 未发送
	GroupMsgSent      = 1 // 已发送
	GroupMsgNotFriend = 2 // 因客户不是好友导致发送失败
	GroupMsgLimited   = 3 // 因客户已经收到其他群发消息导致发送失败
)

// GroupMsgSend is one customer's outcome of a member's 群发 (get_groupmsg_send_result).
type GroupMsgSend struct {
	ExternalUserID string `json:"external_userid"`
	ChatID         string `json:"chat_id"`
	UserID         string `json:"userid"`
	Status         int    `json:"status"`
	SendTime       int64  `json:"send_time"`
}

type groupMsgSendResp struct {
	status
	SendList   []GroupMsgSend `json:"send_list"`
	NextCursor string         `json:"next_cursor"`
}

// GroupMsgSendResult reads one page (limit ≤1000) of a member's customers in a 群发 with their
// status (获取企业群发成员执行结果, 93338).
func (c *Client) GroupMsgSendResult(ctx context.Context, msgID, userID, cursor string, limit int) ([]GroupMsgSend, string, error) {
	var out groupMsgSendResp
	body := map[string]any{"msgid": msgID, "userid": userID, "limit": limit, "cursor": cursor}
	if err := c.post(ctx, "cgi-bin/externalcontact/get_groupmsg_send_result", body, &out); err != nil {
		return nil, "", err
	}
	return out.SendList, out.NextCursor, nil
}

// RemindGroupMsgSend notifies the members who have not sent a 群发 again; WeCom allows 3 reminders
// per 群发 in 24 hours (提醒成员群发, https://developer.work.weixin.qq.com/document/path/97610).
func (c *Client) RemindGroupMsgSend(ctx context.Context, msgID string) error {
	return c.post(ctx, "cgi-bin/externalcontact/remind_groupmsg_send", map[string]string{"msgid": msgID}, &status{})
}

// CancelGroupMsgSend stops a 群发 for the members who have not sent it; what was sent stays sent
// (停止企业群发, https://developer.work.weixin.qq.com/document/path/97611).
func (c *Client) CancelGroupMsgSend(ctx context.Context, msgID string) error {
	return c.post(ctx, "cgi-bin/externalcontact/cancel_groupmsg_send", map[string]string{"msgid": msgID}, &status{})
}
