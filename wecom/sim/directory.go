package sim

import (
	"strconv"
	"strings"
)

// apiUserGet mimics "读取成员" (GET /cgi-bin/user/get?userid=): 60111 when
// the member does not exist or has left (WeCom deletes resigned members).
func (s *Sim) apiUserGet(c *call) result {
	u := s.st.activeUser(c.q.Get("userid"))
	if u == nil {
		return fail(60111, "invalid string value `"+c.q.Get("userid")+"`. userid not found")
	}
	order := make([]int, len(u.Departments))
	leader := make([]int, len(u.Departments))
	return result{
		"userid": u.UserID, "name": u.Name, "department": u.Departments, "order": order,
		"position": u.Position, "mobile": u.Mobile, "gender": u.Gender, "email": u.Email,
		"biz_mail": "", "is_leader_in_dept": leader, "direct_leader": []string{},
		"avatar": u.Avatar, "thumb_avatar": u.Avatar, "telephone": "", "alias": u.Alias,
		"address": "", "open_userid": "", "main_department": u.MainDepartment,
		"extattr": map[string]any{"attrs": []any{}}, "status": u.Status, "qr_code": "",
		"external_position": u.Position,
		"external_profile":  map[string]any{"external_corp_name": "", "external_attr": []any{}},
	}
}

// apiDepartmentList mimics "获取部门列表" (GET /cgi-bin/department/list?id=):
// no id, an empty id or id=0 (PowerWeChat's "all") list every department;
// otherwise the department and its subtree; 60123 for an unknown id.
func (s *Sim) apiDepartmentList(c *call) result {
	raw := strings.TrimSpace(c.q.Get("id"))
	root, err := strconv.Atoi(raw)
	if raw != "" && err != nil {
		return fail(60123, "invalid party id")
	}
	if root != 0 && s.st.depts[root] == nil {
		return fail(60123, "invalid party id")
	}
	list := []map[string]any{}
	for _, id := range s.st.deptIDs {
		d := s.st.depts[id]
		if root != 0 && !s.inSubtree(d.ID, root) {
			continue
		}
		leaders := d.Leaders
		if leaders == nil {
			leaders = []string{}
		}
		list = append(list, map[string]any{"id": d.ID, "name": d.Name, "name_en": d.NameEN,
			"department_leader": leaders, "parentid": d.ParentID, "order": d.Order})
	}
	return result{"department": list}
}

// inSubtree reports whether department id is root or below it.
func (s *Sim) inSubtree(id, root int) bool {
	for range 64 { // depth guard against cycles
		if id == root {
			return true
		}
		d := s.st.depts[id]
		if d == nil || d.ParentID == 0 {
			return false
		}
		id = d.ParentID
	}
	return false
}
