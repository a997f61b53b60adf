package handoverdb

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

// Guide reads one guide.
func (s *Store) Guide(ctx context.Context, userID string) (service.Guide, error) {
	return graphdb.New(s.db, s.corp).GetGuide(ctx, userID)
}

// ActiveGuides lists a store's active guides (storeID 0: every store) by userid.
func (s *Store) ActiveGuides(ctx context.Context, storeID int64) ([]service.Guide, error) {
	return sqlstore.ListGuides(ctx, s.db, s.corp, storeID, service.GuideActive)
}

// Loads counts each guide's active customers.
func (s *Store) Loads(ctx context.Context, userIDs []string) (map[string]int, error) {
	out := make(map[string]int, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID string `gorm:"column:userid"`
		N      int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).Select("userid, COUNT(*) AS n").
		Where("corp_id = ? AND userid IN ? AND active = ?", s.corp, userIDs, true).Group("userid").Scan(&rows).Error
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, sqlstore.Translate(err)
}

// OtherFollowers maps customers to the active guides (other than except) who follow them.
func (s *Store) OtherFollowers(ctx context.Context, exts []string, except string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(exts) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID         string `gorm:"column:userid"`
		ExternalUserID string `gorm:"column:external_userid"`
	}
	err := sqlstore.Conn(ctx, s.db).Table("follows f").Select("f.userid, f.external_userid").
		Joins("JOIN guides g ON g.corp_id = f.corp_id AND g.userid = f.userid").
		Where("f.corp_id = ? AND f.external_userid IN ? AND f.active = ? AND f.userid <> ? AND g.status = ?", s.corp, exts, true, except, service.GuideActive).
		Order("f.external_userid, f.userid").Scan(&rows).Error
	for _, r := range rows {
		out[r.ExternalUserID] = append(out[r.ExternalUserID], r.UserID)
	}
	return out, sqlstore.Translate(err)
}

// GuideCustomers pages a guide's active customers by external_userid.
func (s *Store) GuideCustomers(ctx context.Context, userID, after string, limit int) ([]string, error) {
	var out []string
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).Where("corp_id = ? AND userid = ? AND active = ? AND external_userid > ?", s.corp, userID, true, after).
		Order("external_userid").Limit(limit).Pluck("external_userid", &out).Error
	return out, sqlstore.Translate(err)
}

// GuideGroups lists the live groups a guide owns.
func (s *Store) GuideGroups(ctx context.Context, userID string) ([]string, error) {
	var out []string
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.GroupRow{}).Where("corp_id = ? AND owner_userid = ? AND dismissed_at IS NULL", s.corp, userID).
		Order("chat_id").Pluck("chat_id", &out).Error
	return out, sqlstore.Translate(err)
}

// OnjobTransfers counts each customer's in-service transfers WeCom accepted since t.
func (s *Store) OnjobTransfers(ctx context.Context, exts []string, since time.Time) (map[string]int, error) {
	out := map[string]int{}
	if len(exts) == 0 {
		return out, nil
	}
	var rows []struct {
		TargetID string
		N        int
	}
	err := sqlstore.Conn(ctx, s.db).Table("handover_items i").Select("i.target_id, COUNT(*) AS n").
		Joins("JOIN handover_cases c ON c.id = i.case_id").
		Where("i.corp_id = ? AND i.kind = ? AND c.kind = ? AND i.target_id IN ? AND i.errcode = 0 AND i.submitted_at >= ? AND i.state IN ?",
			s.corp, handover.ItemCustomer, handover.KindOnjob, exts, since.UTC(),
			[]string{handover.ItemWaiting, handover.ItemDone, handover.ItemRefused, handover.ItemLimit}).
		Group("i.target_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.TargetID] = r.N
	}
	return out, sqlstore.Translate(err)
}

// GroupsReceived counts groups handed to owner since t, across cases.
func (s *Store) GroupsReceived(ctx context.Context, owner string, since time.Time) (int, error) {
	var n int64
	err := sqlstore.Conn(ctx, s.db).Model(&itemRow{}).Where("corp_id = ? AND takeover_userid = ? AND kind = ? AND state = ? AND submitted_at >= ?",
		s.corp, owner, handover.ItemGroup, handover.ItemDone, since.UTC()).Count(&n).Error
	return int(n), sqlstore.Translate(err)
}

// EdgeDetails reads the edges userID→customers with their tags.
func (s *Store) EdgeDetails(ctx context.Context, userID string, exts []string) (map[string]service.Follow, error) {
	out := map[string]service.Follow{}
	if len(exts) == 0 {
		return out, nil
	}
	var rows []sqlstore.FollowRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND userid = ? AND external_userid IN ?", s.corp, userID, exts).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	var tags []sqlstore.FollowTagRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND userid = ? AND external_userid IN ?", s.corp, userID, exts).
		Order("tag_id").Find(&tags).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, r := range rows {
		out[r.ExternalUserID] = sqlstore.ToFollow(r)
	}
	for _, t := range tags {
		f := out[t.ExternalUserID]
		f.TagIDs = append(f.TagIDs, t.TagID)
		out[t.ExternalUserID] = f
	}
	return out, nil
}
