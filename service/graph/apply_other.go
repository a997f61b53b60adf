package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// prepareChat reloads a group from groupchat/get on create and update (a full reload is
// idempotent and repairs any missed member change); dismiss is a tombstone.
func (s *Service) prepareChat(ctx context.Context, ev Event) (txFunc, error) {
	if ev.ChatID == "" {
		return nil, permanent(errors.New("event lacks ChatId"))
	}
	if ev.ChangeType == ChangeDismiss {
		return func(ctx context.Context) error {
			return s.store.DismissGroup(ctx, ev.ChatID, ev.Time)
		}, nil
	}
	if ev.CurMemVer != "" { // a member change the graph already holds (a retry, or a later reload) needs no WeCom call
		if v, err := s.store.GroupMemberVersion(ctx, ev.ChatID); err == nil && v == ev.CurMemVer {
			return nil, nil
		}
	}
	at := s.readStamp() // the event names what changed, not the new value: the read is the snapshot
	g, err := s.dir.Group(ctx, ev.ChatID)
	if errors.Is(err, service.ErrNotFound) { // dismissed since; its dismiss event will follow
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("enrich group: %w", err)
	}
	g.DetailsAt = at
	return func(ctx context.Context) error { return s.store.SaveGroup(ctx, g) }, nil
}

// prepareTags re-reads every corp tag: tag events are rare and a full copy is always right.
func (s *Service) prepareTags(ctx context.Context) (txFunc, error) {
	at := s.readStamp()
	groups, err := s.dir.CorpTags(ctx)
	if err != nil {
		return nil, fmt.Errorf("enrich tags: %w", err)
	}
	return func(ctx context.Context) error { return s.store.ReplaceTags(ctx, groups, at) }, nil
}

// prepareMember applies change_contact: members joining, changing (including a new userid) and leaving.
// delete_user means the guide resigned: the guide is marked and a handover case opens.
func (s *Service) prepareMember(ctx context.Context, ev Event) (txFunc, error) {
	if ev.UserID == "" {
		return nil, permanent(errors.New("event lacks UserID"))
	}
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
		current := ev.UserID
		if ev.NewUserID != "" {
			current = ev.NewUserID
		}
		at := s.readStamp() // user/get, not the event's fields (update_user sends only what changed)
		m, err := s.dir.Member(ctx, current)
		if errors.Is(err, service.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("enrich member: %w", err)
		}
		return func(ctx context.Context) error {
			if ev.NewUserID != "" && ev.NewUserID != ev.UserID {
				if err := s.store.RenameGuide(ctx, ev.UserID, ev.NewUserID); err != nil {
					return err
				}
			}
			return s.store.UpsertGuide(ctx, guideOf(m, at))
		}, nil
	}
	return nil, nil
}
