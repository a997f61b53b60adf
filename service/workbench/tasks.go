package workbench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/guidebox/guidebox/service"
)

// TaskMaterial is a corp material as a 企业群发 attachment (导购任务) takes it: a link card, or a
// picture by its WeCom media id.
type TaskMaterial struct {
	ID      string
	Kind    string // KindLink or KindImage
	Title   string
	URL     string
	Desc    string
	PicURL  string
	MediaID string
}

// TaskMaterials resolves corp materials for a task, in the order given: a link card as it is (its
// cover only when it is an absolute http(s) address), a picture uploaded to WeCom (reused while its
// media id is valid, 3 days). Unknown ids and guides' own materials are left out. A mini-program card
// is refused: 群发 wants its cover as a media id of its own.
func (s *Service) TaskMaterials(ctx context.Context, ids []string) ([]TaskMaterial, error) {
	out := make([]TaskMaterial, 0, len(ids))
	for _, raw := range ids {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		it, err := s.store.GetItem(ctx, id)
		if errors.Is(err, service.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("material %d: %w", id, err)
		}
		if it.Library != LibraryMaterial || it.OwnerUserID != "" {
			continue
		}
		m := TaskMaterial{ID: raw, Kind: it.Kind, Title: it.Title}
		switch it.Kind {
		case KindLink:
			m.URL, m.Desc = it.URL, it.Content
			if strings.HasPrefix(it.PicURL, "http://") || strings.HasPrefix(it.PicURL, "https://") {
				m.PicURL = it.PicURL
			}
		case KindImage:
			if m.MediaID, err = s.mediaID(ctx, it); err != nil {
				return nil, fmt.Errorf("material %d: %w", id, err)
			}
		default:
			return nil, service.Invalid("material_ids", fmt.Sprintf("小程序素材「%s」暂不能用于群发任务，请改用链接或图片素材", it.Title))
		}
		out = append(out, m)
	}
	return out, nil
}

// KnownStage reports whether a live stage of the pipeline has this name (read afresh: an admin may
// have just changed the pipeline).
func (s *Service) KnownStage(ctx context.Context, name string) (bool, error) {
	_, ok, err := s.stageByName(ctx, name)
	return ok, err
}

// InStage says which of the customers stand now in the stage named name.
func (s *Service) InStage(ctx context.Context, name string, extIDs []string) (map[string]bool, error) {
	id, ok, err := s.stageByName(ctx, name)
	if err != nil || !ok {
		return map[string]bool{}, err
	}
	return s.store.InStage(ctx, id, extIDs)
}

func (s *Service) stageByName(ctx context.Context, name string) (string, bool, error) {
	all, err := s.store.Stages(ctx)
	if err != nil {
		return "", false, fmt.Errorf("stages: %w", err)
	}
	for _, st := range all {
		if !st.Archived && st.Name == name {
			return st.StageID, true, nil
		}
	}
	return "", false, nil
}
