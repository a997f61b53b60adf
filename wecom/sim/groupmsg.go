package sim

import (
	"encoding/json"
	"errors"
	"time"
)

// 企业群发 (mass messages to customers created with add_msg_template). WeCom's rules the simulator
// keeps are listed in doc.go ("企业群发"); each function names its doc page.

// GroupMsgRule is the corp's 群发规则 (企业微信-群发助手-设置群发规则): how many 群发 one customer may
// receive from the corp. WeCom's default is as many a month as the month has days; an admin may set
// seven a week or one a day instead (创建企业群发, https://developer.work.weixin.qq.com/document/path/92135).
type GroupMsgRule int

// The receiving rules.
const (
	GroupMsgPerMonth GroupMsgRule = iota // the month's number of days per natural month (default)
	GroupMsgPerWeek                      // 7 per natural week, Monday to Sunday
	GroupMsgPerDay                       // 1 per natural day
)

// Limits of add_msg_template and its read APIs (92135 and 93338).
const (
	groupMsgMaxCustomers   = 10000 // external_userid per call
	groupMsgMaxTextBytes   = 4000  // text.content
	groupMsgMaxAttachments = 9
	groupMsgRemindsPerDay  = 3 // remind_groupmsg_send per msgid in 24 h
)

// Send statuses of get_groupmsg_send_result (and the member's status of get_groupmsg_task: 0 not
// sent, 2 sent).
const (
	GroupMsgUnsent    = 0 // 未发送
	GroupMsgSent      = 1 // 已发送
	GroupMsgNotFriend = 2 // 因客户不是好友导致发送失败
	GroupMsgLimited   = 3 // 因客户已经收到其他群发消息导致发送失败
)

// beijing is WeCom's day: natural days, weeks and months run on China Standard Time.
var beijing = time.FixedZone("CST", 8*3600)

// groupMsgRec is one 企业群发 as WeCom keeps it: one sender (the simulator requires it) and the
// customers it goes to, each with their send status.
type groupMsgRec struct {
	msgID       string
	sender      string
	created     time.Time
	text        string
	attachments []json.RawMessage
	cancelled   bool
	sentAt      time.Time // when the member confirmed; zero while not sent
	targets     []*groupMsgTarget
	reminds     []time.Time // remind_groupmsg_send calls that notified the member
}

type groupMsgTarget struct {
	ext      string
	status   int
	sendTime time.Time
}

// groupMsgState is every 企业群发 and what each customer received.
type groupMsgState struct {
	rule     GroupMsgRule
	msgs     []*groupMsgRec // in creation order
	byID     map[string]*groupMsgRec
	received map[string][]time.Time // external_userid → times a 群发 reached them
}

func newGroupMsgState() groupMsgState {
	return groupMsgState{byID: map[string]*groupMsgRec{}, received: map[string][]time.Time{}}
}

// periodStart is the start of the natural period (Beijing time) holding t under rule r, and the
// number of 群发 a customer may receive in it.
func (r GroupMsgRule) periodStart(t time.Time) (time.Time, int) {
	d := t.In(beijing)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, beijing)
	switch r {
	case GroupMsgPerDay:
		return day, 1
	case GroupMsgPerWeek:
		return day.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)), 7
	}
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, beijing)
	return first, first.AddDate(0, 1, -1).Day()
}

// mayReceive reports whether the customer may receive one more 群发 at now under the corp's rule.
func (g *groupMsgState) mayReceive(ext string, now time.Time) bool {
	from, limit := g.rule.periodStart(now)
	n := 0
	for _, at := range g.received[ext] {
		if !at.Before(from) {
			n++
		}
	}
	return n < limit
}

// SetGroupMsgRule sets the corp's 群发规则 (GroupMsgPerMonth by default).
func (s *Sim) SetGroupMsgRule(r GroupMsgRule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.groupMsg.rule = r
}

// Errors of the member-side controls.
var (
	ErrNoGroupMsg       = errors.New("sim: no such 群发 for this member")
	ErrGroupMsgStopped  = errors.New("sim: the 群发 was stopped (cancel_groupmsg_send)")
	ErrGroupMsgSentOnce = errors.New("sim: the member already sent this 群发")
)

// ConfirmGroupMsg plays the member tapping 发送 on a 企业群发 in the WeCom client (群发助手): add_msg_template
// only creates the task, nothing reaches a customer until the member confirms. Each customer gets
// status 1, or 2 when they are no longer the member's customer, or 3 when the corp's 群发规则 lets
// them receive no more (they already received their share, e.g. one today under GroupMsgPerDay).
// A member who never calls it leaves every customer at status 0.
func (s *Sim) ConfirmGroupMsg(userID, msgID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := &s.st.groupMsg
	m := g.byID[msgID]
	switch {
	case m == nil || m.sender != userID:
		return ErrNoGroupMsg
	case m.cancelled:
		return ErrGroupMsgStopped
	case !m.sentAt.IsZero():
		return ErrGroupMsgSentOnce
	}
	now := s.clock.Now()
	m.sentAt = now
	for _, t := range m.targets {
		t.sendTime = now
		switch {
		case s.st.follow(userID, t.ext) == nil:
			t.status = GroupMsgNotFriend
		case !g.mayReceive(t.ext, now):
			t.status = GroupMsgLimited
		default:
			t.status = GroupMsgSent
			g.received[t.ext] = append(g.received[t.ext], now)
		}
	}
	return nil
}

// PendingGroupMsgs lists the 企业群发 waiting for the member to confirm (what 群发助手 shows them).
func (s *Sim) PendingGroupMsgs(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.st.groupMsg.msgs {
		if m.sender == userID && !m.cancelled && m.sentAt.IsZero() {
			out = append(out, m.msgID)
		}
	}
	return out
}

// GroupMsg is a 企业群发 as tests inspect it.
type GroupMsg struct {
	MsgID       string
	Sender      string
	CreateTime  time.Time
	Text        string
	Attachments []json.RawMessage
	Customers   []string       // the customers it goes to (fail_list excluded), in request order
	Status      map[string]int // external_userid → send status (GroupMsgUnsent …)
	Sent        bool           // the member confirmed
	Cancelled   bool
	Reminds     int // reminders that notified the member
}

// GroupMsgs returns every 企业群发 created so far, oldest first.
func (s *Sim) GroupMsgs() []GroupMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]GroupMsg, 0, len(s.st.groupMsg.msgs))
	for _, m := range s.st.groupMsg.msgs {
		gm := GroupMsg{MsgID: m.msgID, Sender: m.sender, CreateTime: m.created, Text: m.text,
			Attachments: append([]json.RawMessage(nil), m.attachments...), Status: map[string]int{},
			Sent: !m.sentAt.IsZero(), Cancelled: m.cancelled, Reminds: len(m.reminds)}
		for _, t := range m.targets {
			gm.Customers = append(gm.Customers, t.ext)
			gm.Status[t.ext] = t.status
		}
		out = append(out, gm)
	}
	return out
}

// GroupMsgsReceived counts the 群发 that reached a customer (status 1), ever.
func (s *Sim) GroupMsgsReceived(extID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.groupMsg.received[extID])
}
