package sim

import "fmt"

// Load adds a whole corp silently (no callbacks): departments, members,
// customers, edges (for a member with Status 5 they become unassigned
// customers), tag groups (ids generated where empty) and groups. Edges
// must name loaded members and customers.
func (s *Sim) Load(c *Corp) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	for _, d := range c.Departments {
		st.addDept(d)
	}
	for _, u := range c.Users {
		st.addUser(u)
	}
	for _, cu := range c.Customers {
		st.addCustomer(cu)
	}
	for _, f := range c.Follows {
		u := st.users[f.UserID]
		if u == nil || st.custs[f.ExternalUserID] == nil {
			return fmt.Errorf("load edge %s→%s: %w", f.UserID, f.ExternalUserID, ErrNotFound)
		}
		if u.Status == 5 {
			st.addUnassigned(f.UserID, f.ExternalUserID, u.ResignedAt)
			continue
		}
		st.addFollow(f)
	}
	for _, g := range c.TagGroups {
		s.loadTagGroup(g)
	}
	for _, g := range c.Groups {
		s.loadGroup(g)
	}
	return nil
}

// loadTagGroup adds a group and its tags as given.
func (s *Sim) loadTagGroup(g TagGroup) {
	st := s.st
	rec := &tagGroupRec{ID: cmpOr(g.ID, st.newID("et", 22)), Name: g.Name, Order: g.Order,
		CreateTime: g.CreateTime, Deleted: g.Deleted}
	if st.tagGroups[rec.ID] == nil {
		st.tagGroupIDs = append(st.tagGroupIDs, rec.ID)
	}
	st.tagGroups[rec.ID] = rec
	for _, t := range g.Tags {
		t.ID = cmpOr(t.ID, st.newID("et", 22))
		st.tags[t.ID] = &tagRec{Tag: t, groupID: rec.ID}
		rec.tagIDs = append(rec.tagIDs, t.ID)
	}
}

// loadGroup adds a customer group as given.
func (s *Sim) loadGroup(g Group) {
	st := s.st
	rec := &groupRec{Group: g}
	rec.ChatID = cmpOr(g.ChatID, st.newID("wr", 30))
	if rec.MemberVersion == "" {
		rec.bumpVersion()
	}
	if st.users[g.Owner] != nil && st.users[g.Owner].Status == 5 && rec.Status == 0 {
		rec.Status = 1
	}
	if st.chats[rec.ChatID] == nil {
		st.chatIDs = append(st.chatIDs, rec.ChatID)
	}
	st.chats[rec.ChatID] = rec
}
