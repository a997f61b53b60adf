package sidebar

import (
	"context"
	"fmt"
	"sort"

	"github.com/guidebox/guidebox/service"
)

// GroupCard returns the sidebar's card of a group chat the guide owns or is a member of.
// Customers come with their main tags (at most three, by tag order).
func (s *Service) GroupCard(ctx context.Context, userID, chatID string) (GroupCard, error) {
	if err := checkWeComID("chat_id", chatID); err != nil {
		return GroupCard{}, err
	}
	g, err := s.groupFor(ctx, userID, chatID)
	if err != nil {
		return GroupCard{}, err
	}
	card := GroupCard{ChatID: g.ChatID, Name: g.Name, Notice: g.Notice, MemberCount: len(g.Members), Dismissed: g.DismissedAt != nil}
	var extIDs []string
	for _, m := range g.Members {
		if m.Type == 2 {
			extIDs = append(extIDs, m.MemberID)
		} else {
			card.GuideCount++
		}
	}
	owners, err := s.store.Guides(ctx, []string{g.OwnerUserID})
	if err != nil {
		return GroupCard{}, fmt.Errorf("group %s: %w", chatID, err)
	}
	card.Owner = owners[g.OwnerUserID]
	if card.Owner.UserID == "" {
		card.Owner = GuideRef{UserID: g.OwnerUserID, Name: g.OwnerUserID}
	}
	if card.Customers, err = s.groupCustomers(ctx, userID, g, extIDs); err != nil {
		return GroupCard{}, fmt.Errorf("group %s: %w", chatID, err)
	}
	return card, nil
}

// groupFor reads the group and checks the guide owns it or is a member; unknown groups are ErrForbidden too.
func (s *Service) groupFor(ctx context.Context, userID, chatID string) (service.Group, error) {
	g, err := s.store.GetGroup(ctx, chatID)
	if err != nil {
		return service.Group{}, fmt.Errorf("group %s: %w", chatID, sidebarForbidIfMissing(err))
	}
	if g.OwnerUserID == userID {
		return g, nil
	}
	for _, m := range g.Members {
		if m.Type == 1 && m.MemberID == userID {
			return g, nil
		}
	}
	return service.Group{}, fmt.Errorf("group %s not joined by %s: %w", chatID, userID, service.ErrForbidden)
}

func sidebarForbidIfMissing(err error) error {
	if err == service.ErrNotFound {
		return service.ErrForbidden
	}
	return err
}

func (s *Service) groupCustomers(ctx context.Context, userID string, g service.Group, extIDs []string) ([]GroupCustomer, error) {
	if len(extIDs) == 0 {
		return nil, nil
	}
	tags, err := s.store.CustomerTags(ctx, extIDs)
	if err != nil {
		return nil, err
	}
	mine, err := s.store.ActiveEdges(ctx, userID, extIDs)
	if err != nil {
		return nil, err
	}
	var out []GroupCustomer
	for _, m := range g.Members {
		if m.Type != 2 {
			continue
		}
		ts := tags[m.MemberID]
		sort.SliceStable(ts, func(i, j int) bool { return ts[i].Order > ts[j].Order })
		if len(ts) > 3 {
			ts = ts[:3]
		}
		name := m.Name
		if name == "" {
			name = "未命名客户"
		}
		out = append(out, GroupCustomer{ExternalUserID: m.MemberID, Name: name, Mine: mine[m.MemberID], Tags: ts})
	}
	return out, nil
}
