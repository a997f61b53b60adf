package sim

import "fmt"

// CreateTagGroup plays an admin creating a tag group with tags in the
// console (an existing group of that name gets the tags appended) and
// pushes change_external_tag/create: one event with TagType tag_group for a
// new group, else one per new tag. Orders default to 0.
func (s *Sim) CreateTagGroup(name string, tags ...string) (TagGroup, error) {
	s.mu.Lock()
	defer s.unlockAndPush()
	specs := make([]tagSpec, len(tags))
	for i, t := range tags {
		specs[i] = tagSpec{Name: t}
	}
	now := s.clock.Now()
	ch, res := s.addTagsLocked(now, "", name, 0, specs)
	if res != nil {
		return TagGroup{}, fmt.Errorf("create tag group %s: errcode %v: %v", name, res["errcode"], res["errmsg"])
	}
	s.emitTagChangeLocked(now, ch)
	return s.st.exportGroup(ch.group), nil
}

// RenameTag plays an admin renaming a tag or tag group (update, with the
// TagType of the id).
func (s *Sim) RenameTag(id, name string) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	kind, res := s.renameLocked(id, name, nil)
	if res != nil {
		return fmt.Errorf("rename tag %s: errcode %v: %w", id, res["errcode"], ErrNotFound)
	}
	m := s.event(s.clock.Now(), "change_external_tag", "update")
	m.ID, m.TagType = id, kind
	s.emit(m)
	return nil
}

// DeleteTag plays an admin deleting a tag or a whole tag group (delete).
// Deleting a group's last tag deletes the group too (a second delete event
// with TagType tag_group). Customers lose the tag.
func (s *Sim) DeleteTag(id string) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	now := s.clock.Now()
	ev := func(id, kind string) {
		m := s.event(now, "change_external_tag", "delete")
		m.ID, m.TagType = id, kind
		s.emit(m)
	}
	if g := s.st.tagGroups[id]; g != nil && !g.Deleted {
		s.deleteGroupLocked(g)
		ev(id, "tag_group")
		return nil
	}
	t := s.st.tags[id]
	if t == nil || t.Deleted {
		return fmt.Errorf("delete tag %s: %w", id, ErrNotFound)
	}
	gone := s.deleteTagLocked(t)
	ev(id, "tag")
	if gone {
		ev(t.groupID, "tag_group")
	}
	return nil
}

// exportGroup copies a group with its live tags.
func (st *state) exportGroup(g *tagGroupRec) TagGroup {
	out := TagGroup{ID: g.ID, Name: g.Name, Order: g.Order, CreateTime: g.CreateTime, Deleted: g.Deleted}
	for _, t := range st.tagsOf(g, true) {
		out.Tags = append(out.Tags, t.Tag)
	}
	return out
}

// TagGroups returns the live tag groups and tags, in creation order.
func (s *Sim) TagGroups() []TagGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TagGroup
	for _, id := range s.st.tagGroupIDs {
		if g := s.st.tagGroups[id]; !g.Deleted {
			out = append(out, s.st.exportGroup(g))
		}
	}
	return out
}

// TagID finds a live tag by group and tag name ("" if none).
func (s *Sim) TagID(group, tag string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.st.groupByName(group); g != nil {
		for _, t := range s.st.tagsOf(g, true) {
			if t.Name == tag {
				return t.ID
			}
		}
	}
	return ""
}
