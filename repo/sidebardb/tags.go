package sidebardb

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// KnownTags returns the corp tags among ids.
func (s *Store) KnownTags(ctx context.Context, ids []string) ([]service.Tag, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []sqlstore.TagRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND tag_id IN ?", s.corp, ids).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Tag, len(rows))
	for i, r := range rows {
		out[i] = service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder}
	}
	return out, nil
}

// ListTags returns every corp tag group with its tags (the graph store's query).
func (s *Store) ListTags(ctx context.Context) ([]service.TagGroup, error) {
	return graphdb.New(s.db, s.corp).ListTags(ctx)
}

// GetGroup reads a group chat and its members (the graph store's query).
func (s *Store) GetGroup(ctx context.Context, chatID string) (service.Group, error) {
	return graphdb.New(s.db, s.corp).GetGroup(ctx, chatID)
}

// ChangeEdgeTags adds and removes tags on one edge, in one transaction; the tags added are the
// guide's (service.TagFromGuide), a tag the edge has already keeps its origin. It locks the customer first,
// as the graph does before applying a WeCom read, so the two never interleave, and stamps the tags
// with at (the edit WeCom accepted) unless a newer read stamped them already.
func (s *Store) ChangeEdgeTags(ctx context.Context, userID, extID string, add, remove []string, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	return repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		if err := s.lockCustomer(db, extID); err != nil {
			return err
		}
		if err := db.Model(&sqlstore.FollowRow{}).
			Where("corp_id = ? AND userid = ? AND external_userid = ? AND (tags_at IS NULL OR tags_at < ?)", s.corp, userID, extID, at).
			Update("tags_at", at).Error; err != nil {
			return sqlstore.Translate(err)
		}
		var had []string
		if err := db.Model(&sqlstore.FollowTagRow{}).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
			Pluck("tag_id", &had).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if len(remove) > 0 {
			if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ? AND tag_id IN ?", s.corp, userID, extID, remove).
				Delete(&sqlstore.FollowTagRow{}).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		if len(add) > 0 {
			rows := make([]sqlstore.FollowTagRow, len(add))
			for i, t := range add {
				rows[i] = sqlstore.FollowTagRow{CorpID: s.corp, UserID: userID, ExternalUserID: extID, TagID: t, Origin: service.TagFromGuide}
			}
			if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		added, removed := tagDiff(had, add, remove)
		if len(added)+len(removed) == 0 {
			return nil
		}
		return sqlstore.RecordActivities(ctx, s.db, s.corp, []service.Activity{{At: at, Kind: service.ActivityTagsChanged, UserID: userID,
			ExternalUserID: extID, ActorKind: service.ActorGuide, ActorID: userID, Detail: map[string]any{"added": added, "removed": removed}}})
	})
}

// tagDiff is what an edit changes on an edge that had the tags had: the tags added it lacked, the
// tags removed it had.
func tagDiff(had, add, remove []string) (added, removed []string) {
	set := map[string]bool{}
	for _, t := range had {
		set[t] = true
	}
	for _, t := range remove {
		if set[t] {
			removed = append(removed, t)
			delete(set, t)
		}
	}
	for _, t := range add {
		if !set[t] {
			added = append(added, t)
			set[t] = true
		}
	}
	return added, removed
}

// lockCustomer takes the customer's row lock in db's transaction, as the graph does before it applies
// a WeCom read, so an edit through guidebox and an apply never interleave (SQLite: one writer anyway).
func (s *Store) lockCustomer(db *gorm.DB, extID string) error {
	if sqlstore.IsMySQL(db) {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var held []string
	return sqlstore.Translate(db.Model(&sqlstore.CustomerRow{}).Where("corp_id = ? AND external_userid = ?", s.corp, extID).
		Pluck("external_userid", &held).Error)
}

// Guides names the given guides (unknown ones are left out).
func (s *Store) Guides(ctx context.Context, ids []string) (map[string]sidebar.GuideRef, error) {
	out := map[string]sidebar.GuideRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []sqlstore.GuideRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND userid IN ?", s.corp, ids).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, r := range rows {
		name, status, store := r.Name, r.Status, r.StoreID
		out[r.UserID] = sbGuideRef(r.UserID, &name, &status, &store)
	}
	return out, nil
}

type sbCustomerTagRow struct {
	ExternalUserID string `gorm:"column:external_userid"`
	TagID          string
	Name           string
	GroupID        string
	SortOrder      int64
}

// CustomerTags returns the distinct tags on the active edges of the given customers
// (idx_follows_customer, then the follow_tags and tags primary keys).
func (s *Store) CustomerTags(ctx context.Context, extIDs []string) (map[string][]service.Tag, error) {
	out := map[string][]service.Tag{}
	if len(extIDs) == 0 {
		return out, nil
	}
	var rows []sbCustomerTagRow
	err := sqlstore.Conn(ctx, s.db).Table("follows f").Distinct("f.external_userid", "t.tag_id", "t.name", "t.group_id", "t.sort_order").
		Joins("JOIN follow_tags ft ON ft.corp_id = f.corp_id AND ft.userid = f.userid AND ft.external_userid = f.external_userid").
		Joins("JOIN tags t ON t.corp_id = ft.corp_id AND t.tag_id = ft.tag_id").
		Where("f.corp_id = ? AND f.external_userid IN ? AND f.active = ?", s.corp, extIDs, true).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, r := range rows {
		out[r.ExternalUserID] = append(out[r.ExternalUserID], service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder})
	}
	return out, nil
}

// ActiveEdges reports which of the customers userID follows now (the follows primary key).
func (s *Store) ActiveEdges(ctx context.Context, userID string, extIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(extIDs) == 0 {
		return out, nil
	}
	var ids []string
	if err := sqlstore.Conn(ctx, s.db).Table("follows").Where("corp_id = ? AND userid = ? AND external_userid IN ? AND active = ?",
		s.corp, userID, extIDs, true).Pluck("external_userid", &ids).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
