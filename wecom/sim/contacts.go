package sim

import (
	"strconv"
	"strings"
)

// followersPerPage is externalcontact/get's page size of follow_user.
const followersPerPage = 500

// contactJSON renders the external_contact object.
func contactJSON(c *Customer) map[string]any {
	m := map[string]any{"external_userid": c.ExternalUserID, "name": c.Name,
		"avatar": c.Avatar, "type": c.Type, "gender": c.Gender}
	if c.Type == 2 {
		m["position"], m["corp_name"], m["corp_full_name"] = c.Position, c.CorpName, c.CorpFullName
		m["external_profile"] = map[string]any{"external_attr": []any{}}
	}
	if c.UnionID != "" {
		m["unionid"] = c.UnionID
	}
	return m
}

// followJSON renders a follow edge. byID selects batch/get_by_user's
// follow_info shape (tag_id[]) over externalcontact/get's (tags[]).
func (s *Sim) followJSON(f *Follow, byID bool) map[string]any {
	m := map[string]any{"userid": f.UserID, "remark": f.Remark, "description": f.Description,
		"createtime": unix(f.CreateTime), "oper_userid": f.OperUserID, "add_way": f.AddWay}
	ids, tags := []string{}, []map[string]any{}
	for _, id := range f.TagIDs {
		t := s.st.tags[id]
		if t == nil || t.Deleted {
			continue // WeCom drops deleted tags from customers
		}
		ids = append(ids, id)
		g := s.st.tagGroups[t.groupID]
		tags = append(tags, map[string]any{"group_name": g.Name, "tag_name": t.Name, "tag_id": id, "type": 1})
	}
	if byID {
		m["tag_id"] = ids
	} else {
		m["tags"] = tags
	}
	if f.RemarkCorpName != "" {
		m["remark_corp_name"] = f.RemarkCorpName
	}
	if len(f.RemarkMobiles) > 0 {
		m["remark_mobiles"] = f.RemarkMobiles
	}
	if f.State != "" {
		m["state"] = f.State
	}
	return m
}

// parseOffset reads a cursor this sim issued ("" is the start).
func parseOffset(cursor string) (int, bool) {
	if cursor == "" {
		return 0, true
	}
	n, err := strconv.Atoi(strings.TrimPrefix(cursor, "o"))
	return n, err == nil && n >= 0
}

// apiContactGet mimics "获取客户详情" (GET externalcontact/get): the customer
// and their followers, 500 per page with next_cursor; 40096 for an unknown
// external_userid.
func (s *Sim) apiContactGet(c *call) result {
	cu := s.st.custs[c.q.Get("external_userid")]
	if cu == nil {
		return fail(40096, "invalid external userid")
	}
	off, ok := parseOffset(c.q.Get("cursor"))
	if !ok {
		return errInvalidParam("cursor")
	}
	follows := []map[string]any{}
	end := min(off+followersPerPage, len(cu.follows))
	for i := off; i < end; i++ {
		follows = append(follows, s.followJSON(cu.follows[i], false))
	}
	res := result{"external_contact": contactJSON(&cu.Customer), "follow_user": follows}
	if end < len(cu.follows) {
		res["next_cursor"] = "o" + strconv.Itoa(end)
	}
	return res
}

// apiContactList mimics "获取客户列表" (GET externalcontact/list?userid=).
func (s *Sim) apiContactList(c *call) result {
	u := s.st.activeUser(c.q.Get("userid"))
	if u == nil {
		return fail(60111, "userid not found")
	}
	ids := append([]string{}, u.customerIDs()...)
	return result{"external_userid": ids}
}

// apiFollowUserList mimics "获取配置了客户联系功能的成员列表"
// (GET externalcontact/get_follow_user_list).
func (s *Sim) apiFollowUserList(c *call) result {
	ids := []string{}
	for _, id := range s.st.userIDs {
		if u := s.st.activeUser(id); u != nil && !u.NoCustomerContact {
			ids = append(ids, id)
		}
	}
	return result{"follow_user": ids}
}

// batchRequest is batch/get_by_user's body.
type batchRequest struct {
	UserIDList []string `json:"userid_list"`
	Cursor     string   `json:"cursor"`
	Limit      flexInt  `json:"limit"`
}

// codeNoLicense is WeCom's 701008: none of the members asked for has an interop license.
const codeNoLicense = 701008

// apiBatchGetByUser mimics "批量获取客户详情" (POST
// externalcontact/batch/get_by_user): ≤100 userids, limit ≤100 (default
// 50), one item per edge with follow_info as a single object with tag_id[].
// The cursor walks the users in request order and each user's customers by
// external_userid. Unknown or resigned users are skipped.
func (s *Sim) apiBatchGetByUser(c *call) result {
	var req batchRequest
	if res := c.decode(&req); res != nil {
		return res
	}
	if len(req.UserIDList) == 0 || len(req.UserIDList) > 100 {
		return errInvalidParam("userid_list must hold 1 to 100 userids")
	}
	limit := int(req.Limit)
	if limit == 0 {
		limit = 50
	}
	if limit < 0 || limit > 100 {
		return errInvalidParam("limit must be at most 100")
	}
	ui, off, ok := parseBatchCursor(req.Cursor)
	if !ok {
		return errInvalidParam("cursor")
	}
	unlicensed, licensed := []string{}, 0
	for _, id := range req.UserIDList {
		if u := s.st.activeUser(id); u != nil && u.unlicensed {
			unlicensed = append(unlicensed, id)
		} else {
			licensed++
		}
	}
	if licensed == 0 {
		return fail(codeNoLicense, "no listed member has an interop license")
	}
	list := []map[string]any{}
	for ; ui < len(req.UserIDList) && len(list) < limit; ui, off = ui+1, 0 {
		u := s.st.activeUser(req.UserIDList[ui])
		if u == nil || u.unlicensed {
			continue
		}
		ids := u.customerIDs()
		for ; off < len(ids) && len(list) < limit; off++ {
			f := u.follows[ids[off]]
			list = append(list, map[string]any{
				"external_contact": contactJSON(&s.st.custs[ids[off]].Customer),
				"follow_info":      s.followJSON(f, true)})
		}
		if off < len(ids) {
			break
		}
	}
	res := result{"external_contact_list": list,
		"fail_info": map[string]any{"unlicensed_userid_list": unlicensed}}
	if ui < len(req.UserIDList) {
		res["next_cursor"] = "b" + strconv.Itoa(ui) + "_" + strconv.Itoa(off)
	} else {
		res["next_cursor"] = ""
	}
	return res
}

// parseBatchCursor reads a "b<user index>_<offset>" cursor.
func parseBatchCursor(cur string) (ui, off int, ok bool) {
	if cur == "" {
		return 0, 0, true
	}
	a, b, found := strings.Cut(strings.TrimPrefix(cur, "b"), "_")
	ui, err1 := strconv.Atoi(a)
	off, err2 := strconv.Atoi(b)
	return ui, off, found && err1 == nil && err2 == nil && ui >= 0 && off >= 0
}
