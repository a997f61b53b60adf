package sim

import (
	"slices"
	"unicode/utf8"
)

// apiGetCorpTagList mimics "获取企业标签库" (POST get_corp_tag_list): both
// filters empty lists every live group and tag; group_id (which wins over
// tag_id) lists those groups with all their tags; tag_id lists the groups
// of those tags with just them. Filtered answers carry "deleted".
func (s *Sim) apiGetCorpTagList(c *call) result {
	var req struct {
		TagID   []string `json:"tag_id"`
		GroupID []string `json:"group_id"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	st := s.st
	out := []map[string]any{}
	switch {
	case len(req.GroupID) > 0:
		for _, g := range st.sortedGroups(knownGroups(st, req.GroupID)) {
			out = append(out, st.groupJSON(g, st.tagsOf(g, false), true))
		}
	case len(req.TagID) > 0:
		picked := map[string][]*tagRec{}
		var gids []string
		for _, id := range req.TagID {
			if t := st.tags[id]; t != nil && !slices.Contains(picked[t.groupID], t) {
				if picked[t.groupID] == nil {
					gids = append(gids, t.groupID)
				}
				picked[t.groupID] = append(picked[t.groupID], t)
			}
		}
		for _, g := range st.sortedGroups(gids) {
			out = append(out, st.groupJSON(g, picked[g.ID], true))
		}
	default:
		for _, g := range st.sortedGroups(st.tagGroupIDs) {
			if !g.Deleted {
				out = append(out, st.groupJSON(g, st.tagsOf(g, true), false))
			}
		}
	}
	return result{"tag_group": out}
}

// knownGroups keeps the ids that name a group, once each.
func knownGroups(st *state, ids []string) []string {
	var out []string
	for _, id := range ids {
		if st.tagGroups[id] != nil && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// tagsOf lists g's tags, optionally only the live ones.
func (st *state) tagsOf(g *tagGroupRec, liveOnly bool) []*tagRec {
	var out []*tagRec
	for _, id := range g.tagIDs {
		if t := st.tags[id]; !liveOnly || !t.Deleted {
			out = append(out, t)
		}
	}
	return out
}

// apiAddCorpTag mimics "添加企业客户标签" (POST add_corp_tag); see
// addTagsLocked for the rules. It answers the group with the tags added.
func (s *Sim) apiAddCorpTag(c *call) result {
	var req struct {
		GroupID   *string `json:"group_id"`
		GroupName string  `json:"group_name"`
		Order     flexInt `json:"order"`
		Tag       []struct {
			Name  string  `json:"name"`
			Order flexInt `json:"order"`
		} `json:"tag"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	specs := make([]tagSpec, 0, len(req.Tag))
	for _, t := range req.Tag {
		specs = append(specs, tagSpec{Name: t.Name, Order: int64(t.Order)})
	}
	gid := ""
	if req.GroupID != nil {
		gid = *req.GroupID
	}
	ch, res := s.addTagsLocked(c.now, gid, req.GroupName, int64(req.Order), specs)
	if res != nil {
		return res
	}
	if s.cfg.NotifyAPIChanges {
		s.emitTagChangeLocked(c.now, ch)
	}
	return result{"tag_group": s.st.groupJSON(ch.group, ch.tags, false)}
}

// apiEditCorpTag mimics "编辑企业客户标签" (POST edit_corp_tag): id names a
// tag or a group; an empty name keeps the name; a sent order replaces the
// order (PowerWeChat always sends one). 40068 for an unknown or deleted id,
// 40071 when the name is taken.
func (s *Sim) apiEditCorpTag(c *call) result {
	var req struct {
		ID    string   `json:"id"`
		Name  string   `json:"name"`
		Order *flexInt `json:"order"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	if utf8.RuneCountInString(req.Name) > 30 {
		return errInvalidParam("name must be at most 30 characters")
	}
	kind, res := s.renameLocked(req.ID, req.Name, req.Order)
	if res != nil {
		return res
	}
	if s.cfg.NotifyAPIChanges {
		m := s.event(c.now, "change_external_tag", "update")
		m.ID, m.TagType = req.ID, kind
		s.emit(m)
	}
	return result{}
}

// renameLocked applies an edit to a tag or group and returns its TagType.
func (s *Sim) renameLocked(id, name string, order *flexInt) (string, result) {
	st := s.st
	if g := st.tagGroups[id]; g != nil && !g.Deleted {
		if name != "" && name != g.Name && st.groupByName(name) != nil {
			return "", fail(40071, "tag name already exists")
		}
		g.Name = cmpOr(name, g.Name)
		if order != nil {
			g.Order = int64(*order)
		}
		return "tag_group", nil
	}
	t := st.tags[id]
	if t == nil || t.Deleted {
		return "", fail(40068, "invalid tagid")
	}
	for _, other := range st.tagsOf(st.tagGroups[t.groupID], true) {
		if name != "" && other != t && other.Name == name {
			return "", fail(40071, "tag name already exists")
		}
	}
	t.Name = cmpOr(name, t.Name)
	if order != nil {
		t.Order = int64(*order)
	}
	return "tag", nil
}

// cmpOr returns a unless it is empty.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
