package sim

import (
	"time"
)

// maxOwnerGroupsPerDay is how many groups one new owner may receive per day.
const maxOwnerGroupsPerDay = 300

// groupTransferRequest is the body of groupchat/transfer and onjob_transfer.
type groupTransferRequest struct {
	ChatIDList []string `json:"chat_id_list"`
	NewOwner   string   `json:"new_owner"`
}

// apiGroupChatTransfer mimics "分配离职成员的客户群" (POST
// groupchat/transfer). Per chat: 90501 unknown or dismissed chat, 90500 the
// owner has not resigned, 45009 the new owner already received 300 groups
// today. Success changes the owner at once (status 3) and pushes
// change_external_chat update/change_owner.
func (s *Sim) apiGroupChatTransfer(c *call) result {
	return s.transferGroups(c, true)
}

// apiGroupChatOnjobTransfer mimics "分配在职成员的客户群" (POST
// groupchat/onjob_transfer). Per chat: 90501 unknown or dismissed chat,
// 90502 the owner has resigned, 90504 the owner is already new_owner,
// 40128 the group was transferred twice in 90 days, 45009 the daily 300.
func (s *Sim) apiGroupChatOnjobTransfer(c *call) result {
	return s.transferGroups(c, false)
}

// transferGroups runs both group transfer APIs. Whole-call errors: 40058
// for 0 or more than 100 chat ids, 60111 for an unknown or resigned
// new_owner.
func (s *Sim) transferGroups(c *call, resigned bool) result {
	var req groupTransferRequest
	if res := c.decode(&req); res != nil {
		return res
	}
	if n := len(req.ChatIDList); n == 0 || n > 100 {
		return errInvalidParam("chat_id_list must hold 1 to 100 chat ids")
	}
	if s.st.activeUser(req.NewOwner) == nil {
		return fail(60111, "new_owner userid not found")
	}
	failed := []map[string]any{}
	for _, id := range req.ChatIDList {
		code, msg := s.checkGroupTransfer(c.now, resigned, id, req.NewOwner)
		if code != 0 {
			failed = append(failed, map[string]any{"chat_id": id, "errcode": code, "errmsg": msg})
			continue
		}
		s.moveGroupLocked(c.now, resigned, s.st.chats[id], req.NewOwner)
	}
	return result{"failed_chat_list": failed}
}

// checkGroupTransfer returns one chat's errcode and errmsg (0 when allowed).
func (s *Sim) checkGroupTransfer(now time.Time, resigned bool, id, newOwner string) (int, string) {
	g := s.st.liveChat(id)
	if g == nil {
		return 90501, "chat is not external group chat"
	}
	ownerGone := s.st.activeUser(g.Owner) == nil
	switch {
	case resigned && !ownerGone:
		return 90500, "the owner of this chat is not resigned"
	case !resigned && ownerGone:
		return 90502, "the owner of this chat is resigned"
	case g.Owner == newOwner:
		return 90504, "the owner of this chat is already new_owner"
	case !resigned && countSince(g.onjob, now.Add(-transferWindow)) >= maxTransfers:
		return 40128, "the chat was transferred too often"
	case s.st.ownerDaily[dayKey(newOwner, now)] >= maxOwnerGroupsPerDay:
		return 45009, "new_owner received too many groups today"
	}
	return 0, ""
}

// countSince counts times after t.
func countSince(ts []time.Time, t time.Time) int {
	n := 0
	for _, x := range ts {
		if x.After(t) {
			n++
		}
	}
	return n
}

// dayKey keys a member's daily group quota by China (UTC+8) date, the day
// boundary of WeCom's daily limits.
func dayKey(userID string, now time.Time) string {
	return userID + "\x00" + now.In(time.FixedZone("CST", 8*3600)).Format("20060102")
}

// moveGroupLocked hands the group to newOwner: a resigned owner leaves the
// member list, the new owner joins it if absent, and
// change_external_chat update/change_owner is pushed.
func (s *Sim) moveGroupLocked(now time.Time, resigned bool, g *groupRec, newOwner string) {
	old := g.Owner
	g.Owner = newOwner
	s.st.ownerDaily[dayKey(newOwner, now)]++
	changed := false
	if resigned {
		g.Status = 3
		if i := g.memberIndex(old); i >= 0 {
			g.Members = append(g.Members[:i:i], g.Members[i+1:]...)
			changed = true
		}
	} else {
		g.onjob = append(g.onjob, now)
	}
	if g.memberIndex(newOwner) < 0 {
		g.Members = append(g.Members, GroupMember{UserID: newOwner, Type: 1, JoinTime: now, JoinScene: 1})
		changed = true
	}
	m := s.event(now, "change_external_chat", "update")
	m.ChatID, m.UpdateDetail = g.ChatID, "change_owner"
	if changed {
		m.LastMemVer = g.bumpVersion()
		m.CurMemVer = g.MemberVersion
	}
	s.emit(m)
}
