package graphdb

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// GetFollow reads one edge, FOR UPDATE on MySQL when lock is set.
func (s *Store) GetFollow(ctx context.Context, userID, extID string, lock bool) (service.Follow, error) {
	var row sqlstore.FollowRow
	q := sqlstore.Conn(ctx, s.db)
	if lock && sqlstore.IsMySQL(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).Take(&row).Error; err != nil {
		return service.Follow{}, sqlstore.Translate(err)
	}
	return sqlstore.ToFollow(row), nil
}

// SaveFollow upserts the edge's registers and, with d, its details and tags.
func (s *Store) SaveFollow(ctx context.Context, f service.Follow, d *graph.FollowDetail) error {
	row := sqlstore.FollowRow{CorpID: s.corp, UserID: f.UserID, ExternalUserID: f.ExternalUserID, State: f.State, Active: f.Active,
		AddedAt: timePtr(f.AddedAt), RemovedAt: sqlstore.UTCPtr(f.RemovedAt), RemovedBy: f.RemovedBy, EventAt: f.EventAt.UTC()}
	cols := []string{"state", "added_at", "active", "removed_at", "removed_by", "event_at"}
	if d != nil {
		now := s.now()
		row.Remark, row.Description, row.AddWay, row.OperUserID, row.SyncedAt = sqlstore.Clip(d.Remark, 255), sqlstore.Clip(d.Description, 1024), d.AddWay, d.OperUserID, &now
		if d.State != "" {
			row.State = d.State
		}
		cols = append(cols, "remark", "description", "add_way", "oper_userid", "synced_at")
	}
	db := sqlstore.Conn(ctx, s.db)
	if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&row).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if d == nil {
		return nil
	}
	return s.setTags(ctx, f.UserID, f.ExternalUserID, d.TagIDs)
}

// setTags makes an edge's tags WeCom's set, writing only when they changed (the common case is no
// change); tags that stay keep their origin.
func (s *Store) setTags(ctx context.Context, userID, extID string, tagIDs []string) error {
	db := sqlstore.Conn(ctx, s.db)
	var have []string
	if err := db.Model(&sqlstore.FollowTagRow{}).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
		Order("tag_id").Pluck("tag_id", &have).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if sameSet(have, tagIDs) {
		return nil
	}
	return sqlstore.SetEdgeTagsFromWeCom(ctx, s.db, s.corp, []sqlstore.EdgeTags{{UserID: userID, ExternalUserID: extID, TagIDs: tagIDs}})
}

// Followers lists every edge to a customer, tombstones included, with tags.
func (s *Store) Followers(ctx context.Context, extID string) ([]service.Follow, error) {
	var rows []sqlstore.FollowRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Order("userid").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	var tags []sqlstore.FollowTagRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Order("tag_id").Find(&tags).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Follow, len(rows))
	for i, r := range rows {
		out[i] = sqlstore.ToFollow(r)
		for _, t := range tags {
			if t.UserID == r.UserID {
				out[i].TagIDs = append(out[i].TagIDs, t.TagID)
			}
		}
	}
	return out, nil
}

// ActiveCustomerIDs pages a guide's active customers (primary-key order).
func (s *Store) ActiveCustomerIDs(ctx context.Context, userID, after string, limit int) ([]string, error) {
	var ids []string
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).Where("corp_id = ? AND userid = ? AND external_userid > ? AND active = ?", s.corp, userID, after, true).
		Order("external_userid").Limit(limit).Pluck("external_userid", &ids).Error
	return ids, sqlstore.Translate(err)
}

// sameSet reports whether a (sorted, unique) and b hold the same ids.
func sameSet(a, b []string) bool {
	seen := map[string]bool{}
	for _, t := range b {
		if t != "" {
			seen[t] = true
		}
	}
	if len(seen) != len(a) {
		return false
	}
	for _, t := range a {
		if !seen[t] {
			return false
		}
	}
	return true
}
