package sim

import (
	"crypto/md5"
	"encoding/hex"
	"slices"
	"strconv"
	"time"
)

// groupRec is a customer group plus its transfer history.
type groupRec struct {
	Group
	onjob []time.Time // in-service transfers (2 per 90 days)
	ver   int         // member version counter
}

// bumpVersion gives the group a new member_version and returns the old one.
func (g *groupRec) bumpVersion() (last string) {
	last = g.MemberVersion
	g.ver++
	sum := md5.Sum([]byte(g.ChatID + "#" + strconv.Itoa(g.ver)))
	g.MemberVersion = hex.EncodeToString(sum[:])
	return last
}

// memberIndex returns the index of id in the member list, or -1.
func (g *groupRec) memberIndex(id string) int {
	return slices.IndexFunc(g.Members, func(m GroupMember) bool { return m.UserID == id })
}

// liveChat returns a group that exists and is not dismissed.
func (st *state) liveChat(id string) *groupRec {
	if g := st.chats[id]; g != nil && !g.Dismissed {
		return g
	}
	return nil
}

// apiGroupChatList mimics "获取客户群列表" (POST groupchat/list): limit
// 1..1000 and at most 100 owners (40058); without owner_filter and more than
// 1000 visible members, 81017. status_filter 0 all, 1 owner resigned,
// 2 inheriting, 3 inherited. Dismissed groups are not listed.
func (s *Sim) apiGroupChatList(c *call) result {
	var req struct {
		StatusFilter flexInt `json:"status_filter"`
		OwnerFilter  *struct {
			UserIDList []string `json:"userid_list"`
		} `json:"owner_filter"`
		Cursor string  `json:"cursor"`
		Limit  flexInt `json:"limit"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	if req.Limit < 1 || req.Limit > 1000 {
		return errInvalidParam("limit must be 1 to 1000")
	}
	var owners []string
	if req.OwnerFilter != nil {
		owners = req.OwnerFilter.UserIDList
	}
	if len(owners) > 100 {
		return errInvalidParam("owner_filter.userid_list must hold at most 100 userids")
	}
	if len(owners) == 0 && len(s.st.userIDs) > 1000 {
		return fail(81017, "owner_filter is required when more than 1000 members are visible")
	}
	start, ok := parseOffset(req.Cursor)
	if !ok {
		return errInvalidParam("cursor")
	}
	list := []map[string]any{}
	i := start
	for ; i < len(s.st.chatIDs) && len(list) < int(req.Limit); i++ {
		g := s.st.chats[s.st.chatIDs[i]]
		if g.Dismissed || (req.StatusFilter != 0 && g.Status != int(req.StatusFilter)) ||
			(len(owners) > 0 && !slices.Contains(owners, g.Owner)) {
			continue
		}
		list = append(list, map[string]any{"chat_id": g.ChatID, "status": g.Status})
	}
	res := result{"group_chat_list": list}
	if i < len(s.st.chatIDs) {
		res["next_cursor"] = "o" + strconv.Itoa(i)
	}
	return res
}

// apiGroupChatGet mimics "获取客户群详情" (POST groupchat/get); need_name=1
// fills members' names. 40050 for an unknown or dismissed chat_id.
func (s *Sim) apiGroupChatGet(c *call) result {
	var req struct {
		ChatID   string  `json:"chat_id"`
		NeedName flexInt `json:"need_name"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	g := s.st.liveChat(req.ChatID)
	if g == nil {
		return fail(40050, "chat_id not exist")
	}
	members := make([]map[string]any, 0, len(g.Members))
	for _, m := range g.Members {
		members = append(members, s.memberJSON(m, req.NeedName == 1))
	}
	admins := make([]map[string]any, 0, len(g.Admins))
	for _, a := range g.Admins {
		admins = append(admins, map[string]any{"userid": a})
	}
	return result{"group_chat": map[string]any{"chat_id": g.ChatID, "name": g.Name,
		"owner": g.Owner, "create_time": unix(g.CreateTime), "notice": g.Notice,
		"member_list": members, "admin_list": admins, "member_version": g.MemberVersion}}
}

// memberJSON renders a member_list item.
func (s *Sim) memberJSON(m GroupMember, needName bool) map[string]any {
	out := map[string]any{"userid": m.UserID, "type": m.Type, "join_time": unix(m.JoinTime),
		"join_scene": m.JoinScene, "group_nickname": m.GroupNickname}
	if m.Invitor != "" {
		out["invitor"] = map[string]any{"userid": m.Invitor}
	}
	if m.State != "" {
		out["state"] = m.State
	}
	if m.Type == 2 {
		if cu := s.st.custs[m.UserID]; cu != nil && cu.UnionID != "" {
			out["unionid"] = cu.UnionID
		}
	}
	if needName {
		out["name"] = s.st.displayName(m.UserID)
	}
	return out
}

// displayName returns a member's or customer's name.
func (st *state) displayName(id string) string {
	if u := st.users[id]; u != nil {
		return u.Name
	}
	if cu := st.custs[id]; cu != nil {
		return cu.Name
	}
	return ""
}
