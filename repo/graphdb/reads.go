package graphdb

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/graph"
)

// EdgeReads returns, for every edge to the given customers, whether it is active and when its
// details and its customer's profile were last read from WeCom: one query (idx_follows_customer and
// the customers' primary key), so a batch's enrichment knows which reads it can skip.
func (s *Store) EdgeReads(ctx context.Context, extIDs []string) (map[graph.EdgeKey]graph.EdgeRead, error) {
	out := map[graph.EdgeKey]graph.EdgeRead{}
	if len(extIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID         string `gorm:"column:userid"`
		ExternalUserID string `gorm:"column:external_userid"`
		Active         bool
		DetailsAt      *time.Time
		ProfileAt      *time.Time
	}
	err := sqlstore.Conn(ctx, s.db).Table("follows f").
		Select("f.userid, f.external_userid, f.active, f.details_at, c.profile_at").
		Joins("LEFT JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid").
		Where("f.corp_id = ? AND f.external_userid IN ?", s.corp, extIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("edge reads: %w", sqlstore.Translate(err))
	}
	for _, r := range rows {
		out[graph.EdgeKey{UserID: r.UserID, ExternalUserID: r.ExternalUserID}] = graph.EdgeRead{Active: r.Active,
			DetailsAt: sqlstore.Deref(r.DetailsAt), ProfileAt: sqlstore.Deref(r.ProfileAt)}
	}
	return out, nil
}

// ActiveCounts counts the given guides' active customers (the follows primary key, one range per
// guide); a guide without any is left out.
func (s *Store) ActiveCounts(ctx context.Context, userIDs []string) (map[string]int, error) {
	out := map[string]int{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID string `gorm:"column:userid"`
		N      int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).Select("userid, COUNT(*) AS n").
		Where("corp_id = ? AND userid IN ? AND active = ?", s.corp, userIDs, true).Group("userid").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count active customers: %w", sqlstore.Translate(err))
	}
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, nil
}
