package sidebar

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// TagEdit is a guide's change to a customer's corp tags.
type TagEdit struct {
	Add    []string
	Remove []string
}

const maxTagEdit = 100

// EditTags changes the tags guide userID put on a customer: WeCom first (mark_tag), then the local edge,
// so the database never shows a tag WeCom refused. Lost customers are read-only (ErrForbidden).
// It returns the card's tags afterwards, grouped, with their origins.
func (s *Service) EditTags(ctx context.Context, userID, externalUserID string, e TagEdit) ([]service.TagGroup, error) {
	if err := checkWeComID("external_userid", externalUserID); err != nil {
		return nil, err
	}
	add, remove, err := s.checkTagEdit(ctx, e)
	if err != nil {
		return nil, err
	}
	edges, err := s.store.CustomerEdges(ctx, externalUserID)
	if err != nil {
		return nil, fmt.Errorf("edit tags %s: %w", externalUserID, err)
	}
	mine, err := guideEdge(edges, userID)
	if err != nil {
		return nil, err
	}
	if !mine.Active {
		return nil, fmt.Errorf("customer %s no longer follows %s, read-only: %w", externalUserID, userID, service.ErrForbidden)
	}
	if err := s.checkSingleChoice(ctx, mine.TagIDs, add, remove); err != nil {
		return nil, err
	}
	if err := s.wc.MarkTag(ctx, userID, externalUserID, add, remove); err != nil {
		return nil, fmt.Errorf("mark_tag %s: %w", externalUserID, err)
	}
	if err := s.store.ChangeEdgeTags(ctx, userID, externalUserID, add, remove, time.Now()); err != nil {
		return nil, fmt.Errorf("save tags %s: %w", externalUserID, err)
	}
	gs, _, err := s.cardTags(ctx, userID, externalUserID)
	return gs, err
}

// cardTags reads the tags a card shows (the edge's, then the rules' the edge lacks), grouped by tag
// group in WeCom's order, each with its origin; it also returns their ids and names for the
// recommendations.
func (s *Service) cardTags(ctx context.Context, userID, externalUserID string) ([]service.TagGroup, map[string]service.Tag, error) {
	tags, err := s.store.CardTags(ctx, userID, externalUserID)
	if err != nil {
		return nil, nil, fmt.Errorf("tags of %s: %w", externalUserID, err)
	}
	byID := make(map[string]service.Tag, len(tags))
	ids := make([]string, len(tags))
	for i, t := range tags {
		byID[t.TagID], ids[i] = t, t.TagID
	}
	gs, err := s.tags.Group(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	for gi := range gs {
		named := make([]service.Tag, len(gs[gi].Tags))
		for ti, t := range gs[gi].Tags {
			o := byID[t.TagID]
			t.Origin, t.Rule, t.OnEdge = o.Origin, o.Rule, o.OnEdge
			named[ti] = t
			byID[t.TagID] = t
		}
		gs[gi].Tags = named
	}
	return gs, byID, nil
}

// checkTagEdit de-duplicates the edit and makes sure every tag is a known corp tag.
func (s *Service) checkTagEdit(ctx context.Context, e TagEdit) (add, remove []string, err error) {
	add, remove = dedupeIDs(e.Add), dedupeIDs(e.Remove)
	if len(add) == 0 && len(remove) == 0 {
		return nil, nil, service.Invalid("tags", "add or remove at least one tag")
	}
	if len(add)+len(remove) > maxTagEdit {
		return nil, nil, service.Invalid("tags", fmt.Sprintf("at most %d tags per edit", maxTagEdit))
	}
	inAdd := map[string]bool{}
	for _, id := range add {
		inAdd[id] = true
	}
	all := append([]string{}, add...)
	for _, id := range remove {
		if inAdd[id] {
			return nil, nil, service.Invalid("tags", "tag "+id+" is both added and removed")
		}
		all = append(all, id)
	}
	for _, id := range all {
		if err := checkWeComID("tag_id", id); err != nil {
			return nil, nil, err
		}
	}
	known, err := s.store.KnownTags(ctx, all)
	if err != nil {
		return nil, nil, fmt.Errorf("check tags: %w", err)
	}
	if len(known) != len(all) {
		return nil, nil, service.Invalid("tags", "unknown corp tag")
	}
	return add, remove, nil
}

func dedupeIDs(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// checkSingleChoice refuses an edit that leaves two tags of a single-choice tag group on the edge.
// Only groups the edit adds to are checked, so an edge WeCom already holds that way can still be
// edited elsewhere.
func (s *Service) checkSingleChoice(ctx context.Context, have, add, remove []string) error {
	single, err := s.store.SingleChoiceGroups(ctx)
	if err != nil {
		return fmt.Errorf("tag group settings: %w", err)
	}
	if len(single) == 0 || len(add) == 0 {
		return nil
	}
	groups, idx, err := s.tags.snapshot(ctx, add)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	removed := map[string]bool{}
	for _, id := range remove {
		removed[id] = true
	}
	count := map[int]int{}
	seen := map[string]bool{}
	for _, id := range append(append([]string{}, have...), add...) {
		p, ok := idx[id]
		if !ok || removed[id] || seen[id] {
			continue
		}
		seen[id] = true
		count[p[0]]++
	}
	for _, id := range add {
		p, ok := idx[id]
		if ok && single[groups[p[0]].GroupID] && count[p[0]] > 1 {
			return service.Invalid("tags", groups[p[0]].Name+" is single-choice: keep one of its tags")
		}
	}
	return nil
}

// CorpTagGroup is a corp tag group as the tag editor sees it: with the corp's single-choice rule.
type CorpTagGroup struct {
	service.TagGroup
	SingleChoice bool
}

// SetSingleChoice makes a tag group single-choice or not (admins; the handler checks): the tag editor
// then offers one tag of it and EditTags refuses two.
func (s *Service) SetSingleChoice(ctx context.Context, groupID string, single bool) error {
	gs, err := s.store.ListTags(ctx)
	if err != nil {
		return fmt.Errorf("list tags: %w", err)
	}
	for _, g := range gs {
		if g.GroupID == groupID {
			if err := s.store.SetSingleChoice(ctx, groupID, single); err != nil {
				return fmt.Errorf("tag group %s: %w", groupID, err)
			}
			return nil
		}
	}
	return fmt.Errorf("tag group %s: %w", groupID, service.ErrNotFound)
}
