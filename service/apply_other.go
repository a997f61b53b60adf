package service

import (
	"context"
	"errors"
	"fmt"
)

// applyChat reloads a group from groupchat/get on create and update (a full reload is
// idempotent and repairs any missed member change); dismiss is a tombstone.
func (s *GraphService) applyChat(ctx context.Context, id int64, ev Event) error {
	if ev.ChatID == "" {
		return permanent(errors.New("event lacks ChatId"))
	}
	if ev.ChangeType == ChangeDismiss {
		return s.done(ctx, id, func(ctx context.Context) error {
			return s.store.DismissGroup(ctx, ev.ChatID, ev.Time)
		})
	}
	g, err := s.dir.Group(ctx, ev.ChatID)
	if errors.Is(err, ErrNotFound) { // dismissed since; its dismiss event will follow
		return s.done(ctx, id, func(context.Context) error { return nil })
	}
	if err != nil {
		return fmt.Errorf("enrich group: %w", err)
	}
	return s.done(ctx, id, func(ctx context.Context) error { return s.store.SaveGroup(ctx, g) })
}

// applyTags re-reads every corp tag: tag events are rare and a full copy is always right.
func (s *GraphService) applyTags(ctx context.Context, id int64) error {
	groups, err := s.dir.CorpTags(ctx)
	if err != nil {
		return fmt.Errorf("enrich tags: %w", err)
	}
	return s.done(ctx, id, func(ctx context.Context) error { return s.store.ReplaceTags(ctx, groups) })
}

// applyMember applies change_contact: members joining, changing (including a new userid) and leaving.
// delete_user means the guide resigned: the guide is marked and a handover case opens.
func (s *GraphService) applyMember(ctx context.Context, id int64, ev Event) error {
	if ev.UserID == "" {
		return permanent(errors.New("event lacks UserID"))
	}
	switch ev.ChangeType {
	case ChangeDeleteUser:
		return s.done(ctx, id, func(ctx context.Context) error {
			if err := s.store.ResignGuide(ctx, ev.UserID, ev.Time); err != nil {
				return err
			}
			if s.handover == nil {
				return nil
			}
			return s.handover.GuideResigned(ctx, ev.UserID, ev.Time)
		})
	case ChangeCreateUser, ChangeUpdateUser:
		current := ev.UserID
		if ev.NewUserID != "" {
			current = ev.NewUserID
		}
		m, err := s.dir.Member(ctx, current)
		if errors.Is(err, ErrNotFound) {
			return s.done(ctx, id, func(context.Context) error { return nil })
		}
		if err != nil {
			return fmt.Errorf("enrich member: %w", err)
		}
		return s.done(ctx, id, func(ctx context.Context) error {
			if ev.NewUserID != "" && ev.NewUserID != ev.UserID {
				if err := s.store.RenameGuide(ctx, ev.UserID, ev.NewUserID); err != nil {
					return err
				}
			}
			return s.store.UpsertGuide(ctx, Guide{UserID: m.UserID, Name: m.Name, StoreID: m.MainDepartment, Status: GuideActive})
		})
	}
	return s.done(ctx, id, func(context.Context) error { return nil })
}
