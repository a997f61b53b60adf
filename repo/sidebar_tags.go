package repo

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// KnownTags returns the corp tags among ids.
func (s *SidebarStore) KnownTags(ctx context.Context, ids []string) ([]service.Tag, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []tagRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND tag_id IN ?", s.corp, ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]service.Tag, len(rows))
	for i, r := range rows {
		out[i] = service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder}
	}
	return out, nil
}

// ListTags returns every corp tag group with its tags (the graph store's query).
func (s *SidebarStore) ListTags(ctx context.Context) ([]service.TagGroup, error) {
	return NewGraphStore(s.db, s.corp).ListTags(ctx)
}

// GetGroup reads a group chat and its members (the graph store's query).
func (s *SidebarStore) GetGroup(ctx context.Context, chatID string) (service.Group, error) {
	return NewGraphStore(s.db, s.corp).GetGroup(ctx, chatID)
}

// ChangeEdgeTags adds and removes tags on one edge, in one transaction.
func (s *SidebarStore) ChangeEdgeTags(ctx context.Context, userID, extID string, add, remove []string) error {
	return NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := conn(ctx, s.db)
		if len(remove) > 0 {
			if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ? AND tag_id IN ?", s.corp, userID, extID, remove).
				Delete(&followTagRow{}).Error; err != nil {
				return translate(err)
			}
		}
		if len(add) == 0 {
			return nil
		}
		rows := make([]followTagRow, len(add))
		for i, t := range add {
			rows[i] = followTagRow{CorpID: s.corp, UserID: userID, ExternalUserID: extID, TagID: t}
		}
		return translate(db.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error)
	})
}

// Guides names the given guides (unknown ones are left out).
func (s *SidebarStore) Guides(ctx context.Context, ids []string) (map[string]sidebar.GuideRef, error) {
	out := map[string]sidebar.GuideRef{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []guideRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND userid IN ?", s.corp, ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
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
func (s *SidebarStore) CustomerTags(ctx context.Context, extIDs []string) (map[string][]service.Tag, error) {
	out := map[string][]service.Tag{}
	if len(extIDs) == 0 {
		return out, nil
	}
	var rows []sbCustomerTagRow
	err := conn(ctx, s.db).Table("follows f").Distinct("f.external_userid", "t.tag_id", "t.name", "t.group_id", "t.sort_order").
		Joins("JOIN follow_tags ft ON ft.corp_id = f.corp_id AND ft.userid = f.userid AND ft.external_userid = f.external_userid").
		Joins("JOIN tags t ON t.corp_id = ft.corp_id AND t.tag_id = ft.tag_id").
		Where("f.corp_id = ? AND f.external_userid IN ? AND f.active = ?", s.corp, extIDs, true).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.ExternalUserID] = append(out[r.ExternalUserID], service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder})
	}
	return out, nil
}

// ActiveEdges reports which of the customers userID follows now (the follows primary key).
func (s *SidebarStore) ActiveEdges(ctx context.Context, userID string, extIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(extIDs) == 0 {
		return out, nil
	}
	var ids []string
	if err := conn(ctx, s.db).Table("follows").Where("corp_id = ? AND userid = ? AND external_userid IN ? AND active = ?",
		s.corp, userID, extIDs, true).Pluck("external_userid", &ids).Error; err != nil {
		return nil, translate(err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
