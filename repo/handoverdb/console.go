package handoverdb

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

// ItemCounts counts the items of several cases by case, kind and state.
func (s *Store) ItemCounts(ctx context.Context, caseIDs []int64) (map[int64]map[string]map[string]int, error) {
	out := map[int64]map[string]map[string]int{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		CaseID int64
		Kind   string
		State  string
		N      int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&itemRow{}).Select("case_id, kind, state, COUNT(*) AS n").
		Where("case_id IN ?", caseIDs).Group("case_id, kind, state").Scan(&rows).Error
	for _, r := range rows {
		if out[r.CaseID] == nil {
			out[r.CaseID] = map[string]map[string]int{}
		}
		if out[r.CaseID][r.Kind] == nil {
			out[r.CaseID][r.Kind] = map[string]int{}
		}
		out[r.CaseID][r.Kind][r.State] = r.N
	}
	return out, sqlstore.Translate(err)
}

// GuideNames names guides.
func (s *Store) GuideNames(ctx context.Context, userIDs []string) (map[string]service.GuideName, error) {
	return sqlstore.GuideNames(ctx, s.db, s.corp, userIDs)
}

// TargetNames names customers or groups.
func (s *Store) TargetNames(ctx context.Context, kind string, ids []string) (map[string]service.ContactName, error) {
	if kind == handover.ItemGroup {
		return sqlstore.GroupNames(ctx, s.db, s.corp, ids)
	}
	return sqlstore.CustomerNames(ctx, s.db, s.corp, ids)
}

// Departed lists departed guides (resigned in the graph, or with an active resigned case) who still
// hold customers or groups or have an active resigned case, newest departure first.
func (s *Store) Departed(ctx context.Context, f handover.DepartedFilter) ([]handover.DepartedRow, error) {
	inner := sqlstore.Conn(ctx, s.db).Table("guides g").
		Select(`g.userid, g.resigned_at,
			(SELECT COUNT(*) FROM follows f WHERE f.corp_id = g.corp_id AND f.userid = g.userid AND f.active = ?) AS customers,
			(SELECT COUNT(*) FROM group_chats c WHERE c.corp_id = g.corp_id AND c.owner_userid = g.userid AND c.dismissed_at IS NULL) AS grps,
			(SELECT MAX(h.id) FROM handover_cases h WHERE h.corp_id = g.corp_id AND h.kind = ? AND h.handover_userid = g.userid AND h.active = 1) AS case_id`,
			true, handover.KindResigned).
		Where("g.corp_id = ?", s.corp).
		Where("(g.status = ? OR g.userid IN (SELECT handover_userid FROM handover_cases WHERE corp_id = ? AND kind = ? AND active = 1))",
			service.GuideResigned, s.corp, handover.KindResigned)
	if f.StoreID != 0 {
		inner = inner.Where("g.store_id = ?", f.StoreID)
	}
	if f.Stores != nil {
		inner = inner.Where("g.store_id IN ?", append([]int64{-1}, f.Stores...))
	}
	var rows []struct {
		UserID     string        `gorm:"column:userid"`
		ResignedAt sqlstore.Time `gorm:"column:resigned_at"`
		Customers  int
		Grps       int
		CaseID     *int64
	}
	err := sqlstore.Conn(ctx, s.db).Table("(?) AS d", inner).
		Where("d.customers > 0 OR d.grps > 0 OR d.case_id IS NOT NULL").
		Order("d.resigned_at DESC").Order("d.userid").Limit(f.Limit).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]handover.DepartedRow, len(rows))
	for i, r := range rows {
		out[i] = handover.DepartedRow{UserID: r.UserID, ResignedAt: utc(r.ResignedAt.T), Customers: r.Customers, Groups: r.Grps}
		if r.CaseID != nil {
			out[i].CaseID = *r.CaseID
		}
	}
	return out, nil
}

func utc(t *time.Time) *time.Time { return sqlstore.UTCPtr(t) }
