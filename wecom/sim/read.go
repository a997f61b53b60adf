package sim

import "slices"

// copyFollow deep-copies an edge.
func copyFollow(f *Follow) Follow {
	c := *f
	c.TagIDs = slices.Clone(f.TagIDs)
	c.RemarkMobiles = slices.Clone(f.RemarkMobiles)
	return c
}

// Follower returns the edge userID→extID as WeCom holds it now (remark,
// description, tags, add_way, state).
func (s *Sim) Follower(userID, extID string) (Follow, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.st.follow(userID, extID); f != nil {
		return copyFollow(f), true
	}
	return Follow{}, false
}

// Followers returns a customer's edges in the order they were made.
func (s *Sim) Followers(extID string) []Follow {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Follow
	if c := s.st.custs[extID]; c != nil {
		for _, f := range c.follows {
			out = append(out, copyFollow(f))
		}
	}
	return out
}

// CustomerIDs returns a member's customers sorted by external_userid.
func (s *Sim) CustomerIDs(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.users[userID]; u != nil {
		return slices.Clone(u.customerIDs())
	}
	return nil
}

// Customer returns a customer.
func (s *Sim) Customer(extID string) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.st.custs[extID]; c != nil {
		return c.Customer, true
	}
	return Customer{}, false
}

// User returns a member, resigned ones included.
func (s *Sim) User(userID string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.users[userID]; u != nil {
		c := u.User
		c.Departments = slices.Clone(u.Departments)
		return c, true
	}
	return User{}, false
}

// UserIDs returns every member id in creation order, resigned ones included.
func (s *Sim) UserIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.userIDs)
}

// Transfers returns every customer transfer submitted, oldest first, with
// statuses as of the last request or Tick.
func (s *Sim) Transfers() []TransferRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]TransferRecord, len(s.st.xfer.all))
	for i, r := range s.st.xfer.all {
		out[i] = *r
	}
	return out
}

// Group returns a customer group (dismissed ones included).
func (s *Sim) Group(chatID string) (Group, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.st.chats[chatID]
	if g == nil {
		return Group{}, false
	}
	c := g.Group
	c.Members, c.Admins = slices.Clone(g.Members), slices.Clone(g.Admins)
	return c, true
}

// GroupIDs returns every chat_id in creation order.
func (s *Sim) GroupIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.chatIDs)
}

// UnassignedCustomer is one item of get_unassigned_list.
type UnassignedCustomer struct {
	Handover       string
	ExternalUserID string
	DimissionTime  int64
}

// Unassigned returns the resigned members' customers not yet inherited.
func (s *Sim) Unassigned() []UnassignedCustomer {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []UnassignedCustomer
	for _, u := range s.st.xfer.unassigned {
		if !u.gone {
			out = append(out, UnassignedCustomer{u.handover, u.ext, unix(u.dimission)})
		}
	}
	return out
}
