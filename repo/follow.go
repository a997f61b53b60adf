package repo

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

type followRow struct {
	CorpID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey;column:userid"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	Remark         string
	Description    string
	AddWay         int
	State          string
	OperUserID     string `gorm:"column:oper_userid"`
	AddedAt        *time.Time
	Active         bool
	RemovedAt      *time.Time
	RemovedBy      string
	EventAt        time.Time
	SyncedAt       *time.Time
}

func (followRow) TableName() string { return "follows" }

type followTagRow struct {
	CorpID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey;column:userid"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	TagID          string `gorm:"primaryKey"`
}

func (followTagRow) TableName() string { return "follow_tags" }

func toFollow(r followRow) service.Follow {
	f := service.Follow{UserID: r.UserID, ExternalUserID: r.ExternalUserID, Remark: r.Remark, Description: r.Description,
		AddWay: r.AddWay, State: r.State, OperUserID: r.OperUserID, Active: r.Active, RemovedAt: r.RemovedAt,
		RemovedBy: r.RemovedBy, EventAt: r.EventAt}
	if r.AddedAt != nil {
		f.AddedAt = *r.AddedAt
	}
	return f
}

// GetFollow reads one edge, FOR UPDATE on MySQL when lock is set.
func (s *GraphStore) GetFollow(ctx context.Context, userID, extID string, lock bool) (service.Follow, error) {
	var row followRow
	q := conn(ctx, s.db)
	if lock && isMySQL(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).Take(&row).Error; err != nil {
		return service.Follow{}, translate(err)
	}
	return toFollow(row), nil
}

// SaveFollow upserts the edge's registers and, with d, its details and tags.
func (s *GraphStore) SaveFollow(ctx context.Context, f service.Follow, d *graph.FollowDetail) error {
	row := followRow{CorpID: s.corp, UserID: f.UserID, ExternalUserID: f.ExternalUserID, State: f.State, Active: f.Active,
		AddedAt: timePtr(f.AddedAt), RemovedAt: utcPtr(f.RemovedAt), RemovedBy: f.RemovedBy, EventAt: f.EventAt.UTC()}
	cols := []string{"state", "added_at", "active", "removed_at", "removed_by", "event_at"}
	if d != nil {
		now := s.now()
		row.Remark, row.Description, row.AddWay, row.OperUserID, row.SyncedAt = clip(d.Remark, 255), clip(d.Description, 1024), d.AddWay, d.OperUserID, &now
		if d.State != "" {
			row.State = d.State
		}
		cols = append(cols, "remark", "description", "add_way", "oper_userid", "synced_at")
	}
	db := conn(ctx, s.db)
	if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&row).Error; err != nil {
		return translate(err)
	}
	if d == nil {
		return nil
	}
	return s.setTags(ctx, f.UserID, f.ExternalUserID, d.TagIDs)
}

// setTags replaces an edge's tags, writing only when they changed (the common case is no change).
func (s *GraphStore) setTags(ctx context.Context, userID, extID string, tagIDs []string) error {
	db := conn(ctx, s.db)
	var have []string
	if err := db.Model(&followTagRow{}).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
		Order("tag_id").Pluck("tag_id", &have).Error; err != nil {
		return translate(err)
	}
	if sameSet(have, tagIDs) {
		return nil
	}
	if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
		Delete(&followTagRow{}).Error; err != nil {
		return translate(err)
	}
	if len(tagIDs) == 0 {
		return nil
	}
	rows := make([]followTagRow, 0, len(tagIDs))
	seen := map[string]bool{}
	for _, t := range tagIDs {
		if t != "" && !seen[t] {
			seen[t] = true
			rows = append(rows, followTagRow{CorpID: s.corp, UserID: userID, ExternalUserID: extID, TagID: t})
		}
	}
	return translate(db.Create(&rows).Error)
}

// Followers lists every edge to a customer, tombstones included, with tags.
func (s *GraphStore) Followers(ctx context.Context, extID string) ([]service.Follow, error) {
	var rows []followRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Order("userid").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	var tags []followTagRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Order("tag_id").Find(&tags).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]service.Follow, len(rows))
	for i, r := range rows {
		out[i] = toFollow(r)
		for _, t := range tags {
			if t.UserID == r.UserID {
				out[i].TagIDs = append(out[i].TagIDs, t.TagID)
			}
		}
	}
	return out, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ActiveCustomerIDs pages a guide's active customers (primary-key order).
func (s *GraphStore) ActiveCustomerIDs(ctx context.Context, userID, after string, limit int) ([]string, error) {
	var ids []string
	err := conn(ctx, s.db).Model(&followRow{}).Where("corp_id = ? AND userid = ? AND external_userid > ? AND active = ?", s.corp, userID, after, true).
		Order("external_userid").Limit(limit).Pluck("external_userid", &ids).Error
	return ids, translate(err)
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
