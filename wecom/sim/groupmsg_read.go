package sim

import (
	"strconv"
	"time"
)

// Page sizes of the 群发 read APIs (93338): a limit of 0 or above the maximum takes the default
// (WeCom: 超过最大值时取默认值).
const (
	groupMsgListMax, groupMsgListDefault = 100, 50
	groupMsgTaskMax, groupMsgTaskDefault = 1000, 500
	groupMsgListSpan                     = 31 * 24 * time.Hour // start_time to end_time: at most a month
)

// pageLimit applies a read API's limit rule.
func pageLimit(limit flexInt, max, def int) int {
	if limit <= 0 || int(limit) > max {
		return def
	}
	return int(limit)
}

// nextCursor is "" on the last page, else the offset of the next one.
func nextCursor(end, n int) string {
	if end >= n {
		return ""
	}
	return "o" + strconv.Itoa(end)
}

// apiGroupMsgListV2 mimics "获取群发记录列表" (POST get_groupmsg_list_v2,
// https://developer.work.weixin.qq.com/document/path/93338): the corp's 群发 created between
// start_time and end_time (both required, at most a month apart: 40058 otherwise), oldest first,
// limit ≤100 (default 50) with next_cursor. Everything the simulator holds is 企业发表 (create_type
// 0) made through the API, which WeCom returns without a creator: filter_type 1 (个人发表) and any
// creator find nothing; chat_type group finds nothing (not simulated).
func (s *Sim) apiGroupMsgListV2(c *call) result {
	var req struct {
		ChatType   string  `json:"chat_type"`
		StartTime  flexInt `json:"start_time"`
		EndTime    flexInt `json:"end_time"`
		Creator    string  `json:"creator"`
		FilterType *int    `json:"filter_type"`
		Limit      flexInt `json:"limit"`
		Cursor     string  `json:"cursor"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	from, to := time.Unix(int64(req.StartTime), 0), time.Unix(int64(req.EndTime), 0)
	switch {
	case req.StartTime <= 0 || req.EndTime <= 0 || to.Before(from):
		return errInvalidParam("start_time and end_time are required, start before end")
	case to.Sub(from) > groupMsgListSpan:
		return errInvalidParam("start_time to end_time spans at most one month")
	}
	off, ok := parseOffset(req.Cursor)
	if !ok {
		return errInvalidParam("cursor")
	}
	var hits []*groupMsgRec
	personal := req.FilterType != nil && *req.FilterType == 1
	if req.ChatType != "group" && req.Creator == "" && !personal {
		for _, m := range s.st.groupMsg.msgs {
			if at := m.created.Truncate(time.Second); !at.Before(from) && !at.After(to) {
				hits = append(hits, m)
			}
		}
	}
	limit := pageLimit(req.Limit, groupMsgListMax, groupMsgListDefault)
	end := min(off+limit, len(hits))
	list := []map[string]any{}
	for _, m := range hits[min(off, end):end] {
		list = append(list, map[string]any{"msgid": m.msgID, "create_time": m.created.Unix(), "create_type": 0,
			"text": map[string]string{"content": m.text}, "attachments": m.attachments})
	}
	return result{"group_msg_list": list, "next_cursor": nextCursor(end, len(hits))}
}

// apiGroupMsgTask mimics "获取群发成员发送任务列表" (POST get_groupmsg_task, 93338): the members who
// must send the 群发 (here the one sender), status 0 not sent or 2 sent with send_time, limit ≤1000
// (default 500) with next_cursor. An unknown msgid is 40058.
func (s *Sim) apiGroupMsgTask(c *call) result {
	var req struct {
		MsgID  string  `json:"msgid"`
		Limit  flexInt `json:"limit"`
		Cursor string  `json:"cursor"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	m := s.st.groupMsg.byID[req.MsgID]
	if m == nil {
		return errInvalidParam("invalid msgid")
	}
	off, ok := parseOffset(req.Cursor)
	if !ok {
		return errInvalidParam("cursor")
	}
	tasks := []map[string]any{}
	if off == 0 {
		st := map[string]any{"userid": m.sender, "status": 0}
		if !m.sentAt.IsZero() {
			st["status"], st["send_time"] = 2, m.sentAt.Unix()
		}
		tasks = append(tasks, st)
	}
	return result{"task_list": tasks, "next_cursor": ""}
}

// apiGroupMsgSendResult mimics "获取企业群发成员执行结果" (POST get_groupmsg_send_result, 93338): one
// member's customers of the 群发 with their status (0 未发送, 1 已发送, 2 not a friend, 3 already
// received other 群发) and send_time, limit ≤1000 (default 500) with next_cursor. An unknown msgid
// is 40058; a member who is not the sender has an empty list.
func (s *Sim) apiGroupMsgSendResult(c *call) result {
	var req struct {
		MsgID  string  `json:"msgid"`
		UserID string  `json:"userid"`
		Limit  flexInt `json:"limit"`
		Cursor string  `json:"cursor"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	m := s.st.groupMsg.byID[req.MsgID]
	if m == nil {
		return errInvalidParam("invalid msgid")
	}
	off, ok := parseOffset(req.Cursor)
	if !ok {
		return errInvalidParam("cursor")
	}
	var targets []*groupMsgTarget
	if req.UserID == m.sender {
		targets = m.targets
	}
	end := min(off+pageLimit(req.Limit, groupMsgTaskMax, groupMsgTaskDefault), len(targets))
	list := []map[string]any{}
	for _, t := range targets[min(off, end):end] {
		item := map[string]any{"external_userid": t.ext, "userid": m.sender, "status": t.status}
		if !t.sendTime.IsZero() {
			item["send_time"] = t.sendTime.Unix()
		}
		list = append(list, item)
	}
	return result{"send_list": list, "next_cursor": nextCursor(end, len(targets))}
}

// apiRemindGroupMsgSend mimics "提醒成员群发" (POST remind_groupmsg_send,
// https://developer.work.weixin.qq.com/document/path/97610): WeCom notifies the members who have
// not sent yet again, at most 3 times per 群发 in 24 hours. The sim answers 40058 for an unknown
// msgid, a stopped 群发 and a fourth reminder within 24 h (WeCom documents the limit, not its
// errcode); a 群发 every member already sent is a no-op that uses no reminder.
func (s *Sim) apiRemindGroupMsgSend(c *call) result {
	m, res := s.groupMsgOf(c)
	if res != nil {
		return res
	}
	if m.cancelled {
		return errInvalidParam("the 群发 was stopped")
	}
	if !m.sentAt.IsZero() {
		return result{}
	}
	n := 0
	for _, at := range m.reminds {
		if c.now.Sub(at) < 24*time.Hour {
			n++
		}
	}
	if n >= groupMsgRemindsPerDay {
		return errInvalidParam("a 群发 may be reminded at most 3 times in 24 hours")
	}
	m.reminds = append(m.reminds, c.now)
	return result{}
}

// apiCancelGroupMsgSend mimics "停止企业群发" (POST cancel_groupmsg_send,
// https://developer.work.weixin.qq.com/document/path/97611): members who have not sent can no
// longer send it; what was sent stays sent (WeCom cannot recall it). Stopping twice is fine; an
// unknown msgid is 40058. Unsent customers keep status 0.
func (s *Sim) apiCancelGroupMsgSend(c *call) result {
	m, res := s.groupMsgOf(c)
	if res != nil {
		return res
	}
	m.cancelled = true
	return result{}
}

// groupMsgOf reads the {"msgid"} body of remind and cancel.
func (s *Sim) groupMsgOf(c *call) (*groupMsgRec, result) {
	var req struct {
		MsgID string `json:"msgid"`
	}
	if res := c.decode(&req); res != nil {
		return nil, res
	}
	m := s.st.groupMsg.byID[req.MsgID]
	if m == nil {
		return nil, errInvalidParam("invalid msgid")
	}
	return m, nil
}
