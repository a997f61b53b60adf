package graphdb

import (
	"context"

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

// ReplaceTags replaces the corp's tag groups and tags with WeCom's full list.
func (s *Store) ReplaceTags(ctx context.Context, groups []service.TagGroup) error {
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
