package workbenchdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

type channelRow struct {
	CorpID    string `gorm:"primaryKey"`
	State     string `gorm:"primaryKey"`
	Name      string
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (channelRow) TableName() string { return "wb_channels" }

// Channels lists the corp's channel names by state code.
func (s *Store) Channels(ctx context.Context) ([]workbench.Channel, error) {
	var rows []channelRow
	if err := s.conn(ctx).Where("corp_id = ?", s.corp).Order("state").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Channel, len(rows))
	for i, r := range rows {
		out[i] = workbench.Channel{State: r.State, Name: r.Name}
	}
	return out, nil
}

// PutChannel names a state code.
func (s *Store) PutChannel(ctx context.Context, c workbench.Channel) error {
	r := channelRow{CorpID: s.corp, State: c.State, Name: c.Name, UpdatedAt: s.now()}
	return sqlstore.Translate(s.conn(ctx).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"name", "updated_at"})}).
		Create(&r).Error)
}

// DeleteChannel forgets a state code's name.
func (s *Store) DeleteChannel(ctx context.Context, state string) error {
	res := s.conn(ctx).Where("corp_id = ? AND state = ?", s.corp, state).Delete(&channelRow{})
	if res.Error != nil {
		return sqlstore.Translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return service.ErrNotFound
	}
	return nil
}
