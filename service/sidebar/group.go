package sidebar

import (
	"context"
	"fmt"
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/guidebox/guidebox/service"
)

// GroupCard returns the sidebar's card of a group chat the guide owns or is a member of.
// Customers come with their main tags (at most three, in WeCom's order: tag group, then tag); the
// guides in the group are listed by name, the owner first.
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
	guideIDs := []string{g.OwnerUserID}
	for _, m := range g.Members {
		if m.Type == 2 {
			extIDs = append(extIDs, m.MemberID)
		} else {
			card.GuideCount++
			guideIDs = append(guideIDs, m.MemberID)
		}
	}
	guides, err := s.store.Guides(ctx, guideIDs)
	if err != nil {
		return GroupCard{}, fmt.Errorf("group %s: %w", chatID, err)
	}
	card.Owner = guideOr(guides, g.OwnerUserID)
	for _, id := range guideIDs[1:] {
		card.Guides = append(card.Guides, guideOr(guides, id))
	}
	byName := collate.New(language.Chinese) // pinyin order, as people sort Chinese names
	sort.SliceStable(card.Guides, func(i, j int) bool {
		a, b := card.Guides[i], card.Guides[j]
		if (a.UserID == g.OwnerUserID) != (b.UserID == g.OwnerUserID) {
			return a.UserID == g.OwnerUserID // the owner first, then by name
		}
		return byName.CompareString(a.Name, b.Name) < 0
	})
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

// guideOr names a guide, or uses the userid for a member who is not a known guide.
func guideOr(guides map[string]GuideRef, id string) GuideRef {
	if g, ok := guides[id]; ok {
		return g
	}
	return GuideRef{UserID: id, Name: id}
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
	var all []string
	for _, ts := range tags {
		for _, t := range ts {
			all = append(all, t.TagID)
		}
	}
	_, pos, err := s.tags.snapshot(ctx, all)
	if err != nil {
		return nil, err
	}
	var out []GroupCustomer
	for _, m := range g.Members {
		if m.Type != 2 {
			continue
		}
		ts := tags[m.MemberID]
		sort.SliceStable(ts, func(i, j int) bool { return tagBefore(pos, ts[i], ts[j]) })
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

// tagBefore orders tags as WeCom does: by tag group order, then tag order (the tag dictionary's
// positions); tags it does not know go last, by id.
func tagBefore(pos map[string][2]int, a, b service.Tag) bool {
	pa, oka := pos[a.TagID]
	pb, okb := pos[b.TagID]
	switch {
	case oka != okb:
		return oka
	case !oka:
		return a.TagID < b.TagID
	case pa[0] != pb[0]:
		return pa[0] < pb[0]
	}
	return pa[1] < pb[1]
}
