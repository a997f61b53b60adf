package graphdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

type tagGroupRow struct {
	CorpID    string `gorm:"primaryKey"`
	GroupID   string `gorm:"primaryKey"`
	Name      string
	SortOrder int64
}

func (tagGroupRow) TableName() string { return "tag_groups" }

// snapshotRow is a corp_snapshots row: when a corp-wide list was last read from WeCom.
type snapshotRow struct {
	CorpID string `gorm:"primaryKey"`
	Kind   string `gorm:"primaryKey"`
	ReadAt *time.Time
}

func (snapshotRow) TableName() string { return "corp_snapshots" }

// Kinds of corp_snapshots rows.
const snapshotCorpTags = "corp_tags"

// ReplaceTags replaces the corp's tag groups and tags with WeCom's full list read at readAt,
// unless the stored list was read at or after it.
func (s *Store) ReplaceTags(ctx context.Context, groups []service.TagGroup, readAt time.Time) error {
	if newer, err := s.claimSnapshot(ctx, snapshotCorpTags, readAt); err != nil || !newer {
		return err
	}
	db := sqlstore.Conn(ctx, s.db)
	if err := db.Where("corp_id = ?", s.corp).Delete(&sqlstore.TagRow{}).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if err := db.Where("corp_id = ?", s.corp).Delete(&tagGroupRow{}).Error; err != nil {
		return sqlstore.Translate(err)
	}
	var gs []tagGroupRow
	var ts []sqlstore.TagRow
	for _, g := range groups {
		gs = append(gs, tagGroupRow{CorpID: s.corp, GroupID: g.GroupID, Name: g.Name, SortOrder: g.Order})
		for _, t := range g.Tags {
			ts = append(ts, sqlstore.TagRow{CorpID: s.corp, TagID: t.TagID, GroupID: g.GroupID, Name: t.Name, SortOrder: t.Order})
		}
	}
	if len(gs) > 0 {
		if err := db.CreateInBatches(&gs, 500).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	if len(ts) > 0 {
		return sqlstore.Translate(db.CreateInBatches(&ts, 500).Error)
	}
	return nil
}

// claimSnapshot locks the corp's version row of kind (inserted if new) and, when readAt is newer
// than the version stored, moves it to readAt; it reports whether the caller's snapshot is the newer
// and so to be written. The lock holds until the caller's transaction ends.
func (s *Store) claimSnapshot(ctx context.Context, kind string, readAt time.Time) (bool, error) {
	db := sqlstore.Conn(ctx, s.db)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&snapshotRow{CorpID: s.corp, Kind: kind}).Error; err != nil {
		return false, sqlstore.Translate(err)
	}
	q := db
	if sqlstore.IsMySQL(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var stored snapshotRow
	if err := q.Where("corp_id = ? AND kind = ?", s.corp, kind).Take(&stored).Error; err != nil {
		return false, sqlstore.Translate(err)
	}
	if stored.ReadAt != nil && !readAt.After(*stored.ReadAt) {
		return false, nil
	}
	err := db.Model(&snapshotRow{}).Where("corp_id = ? AND kind = ?", s.corp, kind).Update("read_at", timePtr(readAt)).Error
	return err == nil, sqlstore.Translate(err)
}

// ListTags returns every tag group with its tags, in WeCom's order (larger order first).
func (s *Store) ListTags(ctx context.Context) ([]service.TagGroup, error) {
	var gs []tagGroupRow
	var ts []sqlstore.TagRow
	db := sqlstore.Conn(ctx, s.db)
	if err := db.Where("corp_id = ?", s.corp).Order("sort_order DESC, group_id").Find(&gs).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	if err := db.Where("corp_id = ?", s.corp).Order("sort_order DESC, tag_id").Find(&ts).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	idx := map[string]int{}
	out := make([]service.TagGroup, len(gs))
	for i, g := range gs {
		out[i] = service.TagGroup{GroupID: g.GroupID, Name: g.Name, Order: g.SortOrder}
		idx[g.GroupID] = i
	}
	for _, t := range ts {
		if i, ok := idx[t.GroupID]; ok {
			out[i].Tags = append(out[i].Tags, service.Tag{TagID: t.TagID, GroupID: t.GroupID, Name: t.Name, Order: t.SortOrder})
		}
	}
	return out, nil
}
