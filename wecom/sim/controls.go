package sim

// SetRefuses makes a customer refuse (true) or accept (false) transfers:
// a refused transfer ends at its takeover time with status 3 and a
// transfer_fail callback (FailReason customer_refused, UserID the takeover
// member). Unknown customers are ignored.
func (s *Sim) SetRefuses(extID string, refuses bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.st.custs[extID]; c != nil {
		c.refuses = refuses
	}
}

// SetCustomerLimit caps how many customers a member may hold (0 removes the
// cap). A transfer to a member at the cap answers 40099 at submit; one that
// hits the cap by takeover time ends with status 4 and transfer_fail
// (customer_limit_exceed).
func (s *Sim) SetCustomerLimit(userID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.xfer.limits[userID] = n
}

// SetUnlicensed gives or takes a member's interop license (接口许可). Without one, batch/get_by_user
// leaves the member's customers out and lists them in fail_info.unlicensed_userid_list, and answers
// 701008 when no member it was asked for is licensed. Unknown users are ignored.
func (s *Sim) SetUnlicensed(userID string, unlicensed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.users[userID]; u != nil {
		u.unlicensed = unlicensed
	}
}
