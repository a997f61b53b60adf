package workbenchdb

import (
	"context"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
)

// InStage says which of the customers stand in the stage now (the primary key, by customer).
func (s *Store) InStage(ctx context.Context, stageID string, extIDs []string) (map[string]bool, error) {
	out := make(map[string]bool, len(extIDs))
	if len(extIDs) == 0 {
		return out, nil
	}
	var ids []string
	err := s.conn(ctx).Model(&customerStageRow{}).Where("corp_id = ? AND external_userid IN ? AND stage_id = ?", s.corp, extIDs, stageID).
		Pluck("external_userid", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, sqlstore.Translate(err)
}
