package sim

import (
	"slices"
	"time"
)

// apiDelCorpTag mimics "删除企业客户标签" (POST del_corp_tag): tag_id and
// group_id cannot both be empty (40058); unknown or deleted ids are 40068
// and nothing changes; a group whose last tag goes is removed too.
func (s *Sim) apiDelCorpTag(c *call) result {
	var req struct {
		TagID   []string `json:"tag_id"`
		GroupID []string `json:"group_id"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	if len(req.TagID) == 0 && len(req.GroupID) == 0 {
		return errInvalidParam("tag_id and group_id are both empty")
	}
	for _, id := range req.TagID {
		if t := s.st.tags[id]; t == nil || t.Deleted {
			return fail(40068, "invalid tagid")
		}
	}
	for _, id := range req.GroupID {
		if g := s.st.tagGroups[id]; g == nil || g.Deleted {
			return fail(40068, "invalid tagid")
		}
	}
	var events [][2]string // id, TagType
	for _, id := range req.GroupID {
		s.deleteGroupLocked(s.st.tagGroups[id])
		events = append(events, [2]string{id, "tag_group"})
	}
	for _, id := range req.TagID {
		t := s.st.tags[id]
		if !t.Deleted && s.deleteTagLocked(t) {
			events = append(events, [2]string{t.groupID, "tag_group"})
		}
		events = append(events, [2]string{id, "tag"})
	}
	if s.cfg.NotifyAPIChanges {
		for _, e := range events {
			m := s.event(c.now, "change_external_tag", "delete")
			m.ID, m.TagType = e[0], e[1]
			s.emit(m)
		}
	}
	return result{}
}

// apiMarkTag mimics "编辑客户企业标签" (POST mark_tag): add_tag and
// remove_tag cannot both be empty (40058); every id must be a live corp tag
// (40068); the customer must be userid's contact (84061; 60111 for an
// unknown member). Adds apply before removes.
func (s *Sim) apiMarkTag(c *call) result {
	var req struct {
		UserID         string   `json:"userid"`
		ExternalUserID string   `json:"external_userid"`
		AddTag         []string `json:"add_tag"`
		RemoveTag      []string `json:"remove_tag"`
	}
	if res := c.decode(&req); res != nil {
		return res
	}
	if len(req.AddTag) == 0 && len(req.RemoveTag) == 0 {
		return errInvalidParam("add_tag and remove_tag are both empty")
	}
	for _, id := range append(slices.Clone(req.AddTag), req.RemoveTag...) {
		if t := s.st.tags[id]; t == nil || t.Deleted {
			return fail(40068, "invalid tagid")
		}
	}
	if s.st.activeUser(req.UserID) == nil {
		return fail(60111, "userid not found")
	}
	f := s.st.follow(req.UserID, req.ExternalUserID)
	if f == nil {
		return fail(84061, "not exist contact")
	}
	f.TagIDs = applyTags(s.liveTagIDs(f.TagIDs), req.AddTag, req.RemoveTag)
	s.notifyEditLocked(c, f)
	return result{}
}

// liveTagIDs drops ids of deleted tags.
func (s *Sim) liveTagIDs(ids []string) []string {
	var out []string
	for _, id := range ids {
		if t := s.st.tags[id]; t != nil && !t.Deleted {
			out = append(out, id)
		}
	}
	return out
}

// applyTags returns cur plus add (no duplicates) minus remove.
func applyTags(cur, add, remove []string) []string {
	out := slices.Clone(cur)
	for _, id := range add {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return slices.DeleteFunc(out, func(id string) bool { return slices.Contains(remove, id) })
}

// emitTagChangeLocked pushes change_external_tag create for a new group, or
// one per new tag in an existing group.
func (s *Sim) emitTagChangeLocked(now time.Time, ch *tagChange) {
	if ch.newGroup {
		m := s.event(now, "change_external_tag", "create")
		m.ID, m.TagType = ch.group.ID, "tag_group"
		s.emit(m)
		return
	}
	for _, t := range ch.created {
		m := s.event(now, "change_external_tag", "create")
		m.ID, m.TagType = t.ID, "tag"
		s.emit(m)
	}
}
