package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrNotFound is returned by the scenario helpers for an unknown (or
// resigned) member, customer, edge, tag or group.
var ErrNotFound = errors.New("sim: not found")

// ErrExists is returned when the thing to create already exists.
var ErrExists = errors.New("sim: already exists")

// AddDepartment creates or replaces a department. It pushes nothing (the
// callback Message has no ParentId for create_party).
func (s *Sim) AddDepartment(d Department) {
	s.mu.Lock()
	defer s.unlockAndPush()
	s.st.addDept(d)
}

// AddUser creates a member (change_contact/create_user) or replaces one
// (update_user, all fields sent). Status 0 means 1 (active); no
// Departments means department 1.
func (s *Sim) AddUser(u User) {
	s.mu.Lock()
	defer s.unlockAndPush()
	change := "create_user"
	if s.st.users[u.UserID] != nil {
		change = "update_user"
	}
	rec := s.st.addUser(u)
	m := s.event(s.clock.Now(), "change_contact", change)
	depts := make([]string, len(rec.Departments))
	for i, d := range rec.Departments {
		depts[i] = strconv.Itoa(d)
	}
	m.UserID, m.Name, m.Department = rec.UserID, rec.Name, strings.Join(depts, ",")
	m.MainDepartment, m.Position, m.Mobile = strconv.Itoa(rec.MainDepartment), rec.Position, rec.Mobile
	m.Gender, m.Email, m.Status = rec.Gender, rec.Email, strconv.Itoa(rec.Status)
	m.Avatar, m.Alias = rec.Avatar, rec.Alias
	s.emit(m)
}

// ResignUser plays a member leaving (离职): change_contact/delete_user is
// pushed, user/get answers 60111, the member's customers leave their
// follow_user lists and become unassigned (get_unassigned_list, with
// dimission_time now), and the groups they own get status 1.
func (s *Sim) ResignUser(userID string) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	u := s.st.activeUser(userID)
	if u == nil {
		return fmt.Errorf("resign %s: %w", userID, ErrNotFound)
	}
	now := s.clock.Now()
	u.Status, u.ResignedAt = 5, now
	for _, ext := range append([]string(nil), u.customerIDs()...) {
		s.st.removeFollow(userID, ext)
		s.st.addUnassigned(userID, ext, now)
	}
	for _, id := range s.st.chatIDs {
		if g := s.st.chats[id]; !g.Dismissed && g.Owner == userID {
			g.Status = 1
		}
	}
	m := s.event(now, "change_contact", "delete_user")
	m.UserID = userID
	s.emit(m)
	return nil
}

// CustomerAddsGuide plays a customer adding a member (e.g. by scanning the
// member's contact-way QR code whose state is state): the customer is
// created if new (an empty ExternalUserID gets a generated one; an existing
// customer keeps their data when c.Name is empty), the edge is made with
// add_way 1 (QR) when state is set, else 2 (phone search), and
// add_external_contact is pushed with State and a WelcomeCode valid for
// 20 s. ErrExists if the edge exists.
func (s *Sim) CustomerAddsGuide(userID string, c Customer, state string) (extID, welcomeCode string, err error) {
	s.mu.Lock()
	defer s.unlockAndPush()
	if s.st.activeUser(userID) == nil {
		return "", "", fmt.Errorf("add customer to %s: %w", userID, ErrNotFound)
	}
	cu := s.st.custs[c.ExternalUserID]
	if cu == nil || c.Name != "" {
		cu = s.st.addCustomer(c)
	}
	extID = cu.ExternalUserID
	if s.st.follow(userID, extID) != nil {
		return extID, "", fmt.Errorf("add %s to %s: %w", extID, userID, ErrExists)
	}
	now := s.clock.Now()
	way := 2
	if state != "" {
		way = 1
	}
	s.st.addFollow(Follow{UserID: userID, ExternalUserID: extID, CreateTime: now,
		AddWay: way, OperUserID: extID, State: state})
	welcomeCode = s.issueWelcomeLocked(now, userID, extID)
	m := s.event(now, "change_external_contact", "add_external_contact")
	m.UserID, m.ExternalUserID, m.State, m.WelcomeCode = userID, extID, state, welcomeCode
	s.emit(m)
	return extID, welcomeCode, nil
}

// UpdateCustomer plays a customer changing their own WeChat profile (name, avatar, gender, …):
// c replaces the customer's data, the id kept. WeCom pushes no callback for it; externalcontact/get
// and batch/get_by_user show the new profile from now on. ErrNotFound for an unknown customer.
func (s *Sim) UpdateCustomer(c Customer) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	if s.st.custs[c.ExternalUserID] == nil || c.ExternalUserID == "" {
		return fmt.Errorf("update customer %s: %w", c.ExternalUserID, ErrNotFound)
	}
	s.st.addCustomer(c)
	return nil
}

// CustomerDeletesGuide plays a customer deleting the member: the edge goes
// and del_follow_user is pushed. (WeCom keeps a one-way contact on the
// member's side; the sim removes the edge.)
func (s *Sim) CustomerDeletesGuide(userID, extID string) error {
	return s.dropEdge(userID, extID, "del_follow_user")
}

// GuideDeletesCustomer plays the member deleting the customer: the edge
// goes and del_external_contact (no Source) is pushed.
func (s *Sim) GuideDeletesCustomer(userID, extID string) error {
	return s.dropEdge(userID, extID, "del_external_contact")
}

func (s *Sim) dropEdge(userID, extID, change string) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	if s.st.removeFollow(userID, extID) == nil {
		return fmt.Errorf("%s %s/%s: %w", change, userID, extID, ErrNotFound)
	}
	m := s.event(s.clock.Now(), "change_external_contact", change)
	m.UserID, m.ExternalUserID = userID, extID
	s.emit(m)
	return nil
}

// EditFollow plays the member editing the customer in the WeCom client:
// remark and description are replaced, tagIDs (corp tag ids) replace the
// edge's tags unless nil, and edit_external_contact is pushed.
func (s *Sim) EditFollow(userID, extID, remark, desc string, tagIDs []string) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	f := s.st.follow(userID, extID)
	if f == nil || s.st.activeUser(userID) == nil {
		return fmt.Errorf("edit %s/%s: %w", userID, extID, ErrNotFound)
	}
	for _, id := range tagIDs {
		if t := s.st.tags[id]; t == nil || t.Deleted {
			return fmt.Errorf("edit %s/%s: tag %s: %w", userID, extID, id, ErrNotFound)
		}
	}
	f.Remark, f.Description = remark, desc
	if tagIDs != nil {
		f.TagIDs = append([]string(nil), tagIDs...)
	}
	m := s.event(s.clock.Now(), "change_external_contact", "edit_external_contact")
	m.UserID, m.ExternalUserID = userID, extID
	s.emit(m)
	return nil
}
