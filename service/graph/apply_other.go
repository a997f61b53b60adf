package graph

import (
	"context"
)

// chatNeedsRead reports whether a group event needs groupchat/get: create and update reload the
// group (a full reload is idempotent and repairs any missed member change), unless the event's
// member version is the one stored (a retry, or a later reload); dismiss is a tombstone.
func (s *Service) chatNeedsRead(ctx context.Context, ev Event) bool {
	if ev.ChangeType == ChangeDismiss {
		return false
	}
	if ev.CurMemVer != "" {
		if v, err := s.store.GroupMemberVersion(ctx, ev.ChatID); err == nil && v == ev.CurMemVer {
			return false
		}
	}
	return true
}

// chatWork is a group event's work: the tombstone, or the group as read (g; nil when no read was needed).
func (s *Service) chatWork(ev Event, g *groupRead) (txFunc, error) {
	if ev.ChangeType == ChangeDismiss {
		return func(ctx context.Context) error {
			return s.store.DismissGroup(ctx, ev.ChatID, ev.Time)
		}, nil
	}
	switch {
	case g == nil: // the member version is the one stored
		return nil, nil
	case g.err != nil:
		return nil, g.err
	case !g.found: // dismissed since; its dismiss event will follow
		return nil, nil
	}
	grp := g.g
	return func(ctx context.Context) error { return s.store.SaveGroup(ctx, grp) }, nil
}

// tagsWork replaces the corp tags with the batch's one read of them.
func (s *Service) tagsWork(t *tagsRead) (txFunc, error) {
	if t.err != nil {
		return nil, t.err
	}
	groups, at := t.groups, t.at
	return func(ctx context.Context) error { return s.store.ReplaceTags(ctx, groups, at) }, nil
}

// memberOf is the userid a change_contact event needs read from WeCom (user/get): the member's
// current one for create_user and update_user (a new userid when it changed); "" for the others.
func memberOf(ev Event) string {
	if ev.Event != EventContact || (ev.ChangeType != ChangeCreateUser && ev.ChangeType != ChangeUpdateUser) {
		return ""
	}
	if ev.NewUserID != "" {
		return ev.NewUserID
	}
	return ev.UserID
}

// memberWork applies change_contact: members joining, changing (including a new userid) and leaving.
// delete_user means the guide resigned: the guide is marked and a handover case opens.
func (s *Service) memberWork(ev Event, m *memberRead) (txFunc, error) {
	switch ev.ChangeType {
	case ChangeDeleteUser:
		return func(ctx context.Context) error {
			if err := s.store.ResignGuide(ctx, ev.UserID, ev.Time); err != nil {
				return err
			}
			if s.handover == nil {
				return nil
			}
			return s.handover.GuideResigned(ctx, ev.UserID, ev.Time)
		}, nil
	case ChangeCreateUser, ChangeUpdateUser:
		if m.err != nil {
			return nil, m.err
		}
		if !m.found {
			return nil, nil
		}
		guide := guideOf(m.m, m.at)
		return func(ctx context.Context) error {
			if ev.NewUserID != "" && ev.NewUserID != ev.UserID {
				if err := s.store.RenameGuide(ctx, ev.UserID, ev.NewUserID); err != nil {
					return err
				}
			}
			return s.store.UpsertGuide(ctx, guide)
		}, nil
	}
	return nil, nil
}
