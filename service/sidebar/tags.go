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
// It returns the edge's tags afterwards, grouped.
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
	if err := s.marker.MarkTag(ctx, userID, externalUserID, add, remove); err != nil {
		return nil, fmt.Errorf("mark_tag %s: %w", externalUserID, err)
	}
	if err := s.store.ChangeEdgeTags(ctx, userID, externalUserID, add, remove, time.Now()); err != nil {
		return nil, fmt.Errorf("save tags %s: %w", externalUserID, err)
	}
	return s.store.EdgeTags(ctx, userID, externalUserID)
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
