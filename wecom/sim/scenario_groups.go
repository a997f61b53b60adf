package sim

import (
	"fmt"
	"time"

	"github.com/guidebox/guidebox/wecom/callback"
)

// CreateGroup plays owner creating a customer group named name with the
// given members (member userids or external_userids; the owner is added
// first). change_external_chat/create is pushed. It returns the chat_id.
func (s *Sim) CreateGroup(owner, name string, members []string) (string, error) {
	s.mu.Lock()
	defer s.unlockAndPush()
	if s.st.activeUser(owner) == nil {
		return "", fmt.Errorf("create group: owner %s: %w", owner, ErrNotFound)
	}
	now := s.clock.Now()
	g := &groupRec{Group: Group{ChatID: s.st.newID("wr", 30), Name: name, Owner: owner, CreateTime: now}}
	g.Members = append(g.Members, GroupMember{UserID: owner, Type: 1, JoinTime: now, JoinScene: 1})
	for _, id := range members {
		if id == owner || g.memberIndex(id) >= 0 {
			continue
		}
		m, err := s.newMember(id, now, 1, owner)
		if err != nil {
			return "", err
		}
		g.Members = append(g.Members, m)
	}
	g.bumpVersion()
	s.st.chats[g.ChatID] = g
	s.st.chatIDs = append(s.st.chatIDs, g.ChatID)
	m := s.event(now, "change_external_chat", "create")
	m.ChatID = g.ChatID
	s.emit(m)
	return g.ChatID, nil
}

// newMember builds a member_list item for a member or customer id.
func (s *Sim) newMember(id string, now time.Time, scene int, invitor string) (GroupMember, error) {
	switch {
	case s.st.activeUser(id) != nil:
		return GroupMember{UserID: id, Type: 1, JoinTime: now, JoinScene: scene, Invitor: invitor}, nil
	case s.st.custs[id] != nil:
		return GroupMember{UserID: id, Type: 2, JoinTime: now, JoinScene: scene, Invitor: invitor}, nil
	}
	return GroupMember{}, fmt.Errorf("group member %s: %w", id, ErrNotFound)
}

// JoinGroup plays ids joining a group. scene is groupchat/get's join_scene
// (1 invited directly, 2 by link, 3 by QR code; 0 means 1); the pushed
// update/add_member carries JoinScene 3 for QR and 0 otherwise, as the
// callback doc defines, with MemChangeCnt, MemChangeList and the member
// versions. Ids already in the group are skipped.
func (s *Sim) JoinGroup(chatID string, ids []string, scene int, invitor string) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	g := s.st.liveChat(chatID)
	if g == nil {
		return fmt.Errorf("join %s: %w", chatID, ErrNotFound)
	}
	now := s.clock.Now()
	var joined []string
	for _, id := range ids {
		if g.memberIndex(id) >= 0 {
			continue
		}
		m, err := s.newMember(id, now, max(scene, 1), invitor)
		if err != nil {
			return err
		}
		g.Members = append(g.Members, m)
		joined = append(joined, id)
	}
	if len(joined) == 0 {
		return nil
	}
	ev := s.memberEvent(now, g, "add_member", joined)
	if scene == 3 {
		ev.JoinScene = 3
	}
	s.emit(ev)
	return nil
}

// LeaveGroup plays ids leaving a group (removed=true: removed by the owner
// or an admin, QuitScene 1; else QuitScene 0) and pushes
// update/del_member. The owner cannot leave.
func (s *Sim) LeaveGroup(chatID string, ids []string, removed bool) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	g := s.st.liveChat(chatID)
	if g == nil {
		return fmt.Errorf("leave %s: %w", chatID, ErrNotFound)
	}
	var left []string
	for _, id := range ids {
		if i := g.memberIndex(id); i >= 0 && id != g.Owner {
			g.Members = append(g.Members[:i:i], g.Members[i+1:]...)
			left = append(left, id)
		}
	}
	if len(left) == 0 {
		return nil
	}
	ev := s.memberEvent(s.clock.Now(), g, "del_member", left)
	if removed {
		ev.QuitScene = 1
	}
	s.emit(ev)
	return nil
}

// memberEvent bumps the member version and builds update/<detail>.
func (s *Sim) memberEvent(now time.Time, g *groupRec, detail string, ids []string) *callback.Message {
	m := s.event(now, "change_external_chat", "update")
	m.ChatID, m.UpdateDetail = g.ChatID, detail
	m.MemChangeCnt, m.MemChangeList = len(ids), ids
	m.LastMemVer = g.bumpVersion()
	m.CurMemVer = g.MemberVersion
	return m
}

// RenameGroup plays the owner renaming the group (update/change_name).
func (s *Sim) RenameGroup(chatID, name string) error {
	return s.groupDetail(chatID, "change_name", func(g *groupRec) { g.Name = name })
}

// SetGroupNotice plays the owner editing the notice (update/change_notice).
func (s *Sim) SetGroupNotice(chatID, notice string) error {
	return s.groupDetail(chatID, "change_notice", func(g *groupRec) { g.Notice = notice })
}

// DismissGroup plays the owner dismissing the group (dismiss); groupchat/get
// then answers 40050 and groupchat/list omits it.
func (s *Sim) DismissGroup(chatID string) error {
	return s.groupDetail(chatID, "", func(g *groupRec) { g.Dismissed = true })
}

// groupDetail applies fn and pushes update/<detail> (dismiss when detail is
// empty).
func (s *Sim) groupDetail(chatID, detail string, fn func(*groupRec)) error {
	s.mu.Lock()
	defer s.unlockAndPush()
	g := s.st.liveChat(chatID)
	if g == nil {
		return fmt.Errorf("group %s: %w", chatID, ErrNotFound)
	}
	fn(g)
	change := "update"
	if detail == "" {
		change = "dismiss"
	}
	m := s.event(s.clock.Now(), "change_external_chat", change)
	m.ChatID, m.UpdateDetail = chatID, detail
	s.emit(m)
	return nil
}
