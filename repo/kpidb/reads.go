package kpidb

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

// Rollups implements kpi.Store: store rows (by the primary key's store and day) or the corp's.
func (s *Store) Rollups(ctx context.Context, q kpi.RollupQuery) ([]kpi.Rollup, error) {
	if q.Stores != nil && len(q.Stores) == 0 {
		return nil, nil
	}
	cols := "login_guides, share_guides, " + strings.Join(countCols, ", ")
	var sql string
	args := []any{s.corp, int(q.From), int(q.To)}
	if q.Stores == nil {
		sql = "SELECT 0, day, " + cols + " FROM kpi_corp_daily WHERE corp_id = ? AND day BETWEEN ? AND ? ORDER BY day"
	} else {
		sql = "SELECT store_id, day, " + cols + " FROM kpi_store_daily WHERE corp_id = ? AND day BETWEEN ? AND ? AND store_id IN ? ORDER BY store_id, day"
		args = append(args, q.Stores)
	}
	rows, err := s.conn(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("read rollups: %w", sqlstore.Translate(err))
	}
	defer rows.Close()
	var out []kpi.Rollup
	for rows.Next() {
		var r kpi.Rollup
		var day int
		if err := rows.Scan(append([]any{&r.StoreID, &day, &r.LoginGuides, &r.ShareGuides}, countPtrs(&r.Counts)...)...); err != nil {
			return nil, fmt.Errorf("scan rollups: %w", err)
		}
		r.Day = kpi.Day(day)
		out = append(out, r)
	}
	return out, rows.Err()
}

// StoreSums implements kpi.Store: one row per store, summed by the database.
func (s *Store) StoreSums(ctx context.Context, stores []int64, from, to kpi.Day) (map[int64]kpi.Rollup, error) {
	out := map[int64]kpi.Rollup{}
	if stores != nil && len(stores) == 0 {
		return out, nil
	}
	sums := make([]string, 0, len(countCols)+2)
	for _, c := range append([]string{"login_guides", "share_guides"}, countCols...) {
		sums = append(sums, "SUM("+c+")")
	}
	sql := "SELECT store_id, " + strings.Join(sums, ", ") + " FROM kpi_store_daily WHERE corp_id = ? AND day BETWEEN ? AND ?"
	args := []any{s.corp, int(from), int(to)}
	if stores != nil {
		sql += " AND store_id IN ?"
		args = append(args, stores)
	}
	rows, err := s.conn(ctx).Raw(sql+" GROUP BY store_id", args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("sum store days: %w", sqlstore.Translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var r kpi.Rollup
		if err := rows.Scan(append([]any{&r.StoreID, &r.LoginGuides, &r.ShareGuides}, countPtrs(&r.Counts)...)...); err != nil {
			return nil, fmt.Errorf("scan store sums: %w", err)
		}
		out[r.StoreID] = r
	}
	return out, rows.Err()
}

// GuideDaysOf implements kpi.Store.
func (s *Store) GuideDaysOf(ctx context.Context, userID string, from, to kpi.Day) ([]kpi.GuideDay, error) {
	rows, err := s.conn(ctx).Raw("SELECT day, store_id, "+strings.Join(countCols, ", ")+
		" FROM kpi_guide_daily WHERE corp_id = ? AND userid = ? AND day BETWEEN ? AND ? ORDER BY day",
		s.corp, userID, int(from), int(to)).Rows()
	if err != nil {
		return nil, fmt.Errorf("read guide days: %w", sqlstore.Translate(err))
	}
	defer rows.Close()
	var out []kpi.GuideDay
	for rows.Next() {
		g := kpi.GuideDay{UserID: userID}
		var day int
		if err := rows.Scan(append([]any{&day, &g.StoreID}, countPtrs(&g.Counts)...)...); err != nil {
			return nil, fmt.Errorf("scan guide days: %w", err)
		}
		g.Day = kpi.Day(day)
		out = append(out, g)
	}
	return out, rows.Err()
}

type guideRow struct {
	UserID     string `gorm:"column:userid"`
	Name       string
	StoreID    int64
	StoreName  string
	Status     string
	ResignedAt sqlstore.Time
}

func (r guideRow) info() kpi.GuideInfo {
	return kpi.GuideInfo{UserID: r.UserID, Name: r.Name, StoreID: r.StoreID, StoreName: r.StoreName,
		Resigned: r.Status == service.GuideResigned, ResignedAt: r.ResignedAt.T}
}

const guideCols = "g.userid, g.name, g.store_id, COALESCE(st.name, '') AS store_name, g.status, g.resigned_at"

// Guides implements kpi.Store: the store's guides by idx_guides_store, sorted here (ORDER BY userid made
// MariaDB walk the primary key over every guide of the corp to skip a sort of a few hundred rows).
func (s *Store) Guides(ctx context.Context, storeID int64, since time.Time) ([]kpi.GuideInfo, error) {
	var rows []guideRow
	err := s.conn(ctx).Table("guides g").Select(guideCols).
		Joins("LEFT JOIN stores st ON st.corp_id = g.corp_id AND st.id = g.store_id").
		Where("g.corp_id = ? AND g.store_id = ? AND (g.status <> ? OR g.resigned_at >= ?)", s.corp, storeID, service.GuideResigned, since.UTC()).
		Scan(&rows).Error
	out := make([]kpi.GuideInfo, len(rows))
	for i, r := range rows {
		out[i] = r.info()
	}
	slices.SortFunc(out, func(a, b kpi.GuideInfo) int { return strings.Compare(a.UserID, b.UserID) })
	return out, sqlstore.Translate(err)
}

// Guide implements kpi.Store.
func (s *Store) Guide(ctx context.Context, userID string) (kpi.GuideInfo, error) {
	var rows []guideRow
	err := s.conn(ctx).Table("guides g").Select(guideCols).
		Joins("LEFT JOIN stores st ON st.corp_id = g.corp_id AND st.id = g.store_id").
		Where("g.corp_id = ? AND g.userid = ?", s.corp, userID).Scan(&rows).Error
	if err != nil {
		return kpi.GuideInfo{}, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return kpi.GuideInfo{}, fmt.Errorf("guide %s: %w", userID, service.ErrNotFound)
	}
	return rows[0].info(), nil
}

// GuideCounts implements kpi.Store: active guides per store by idx_guides_store, and the few who
// resigned since.
func (s *Store) GuideCounts(ctx context.Context, stores []int64, since time.Time) (map[int64]int64, []kpi.Resignation, error) {
	if stores != nil && len(stores) == 0 {
		return map[int64]int64{}, nil, nil
	}
	q := s.conn(ctx).Table("guides").Where("corp_id = ? AND status <> ?", s.corp, service.GuideResigned)
	if stores != nil {
		q = q.Where("store_id IN ?", stores)
	}
	var counts []struct {
		StoreID int64
		N       int64
	}
	if err := q.Select("store_id, COUNT(*) AS n").Group("store_id").Scan(&counts).Error; err != nil {
		return nil, nil, fmt.Errorf("count guides: %w", sqlstore.Translate(err))
	}
	active := make(map[int64]int64, len(counts))
	for _, c := range counts {
		active[c.StoreID] = c.N
	}
	r := s.conn(ctx).Table("guides").Where("corp_id = ? AND status = ? AND resigned_at >= ?", s.corp, service.GuideResigned, since.UTC())
	if stores != nil {
		r = r.Where("store_id IN ?", stores)
	}
	var gone []struct {
		StoreID    int64
		ResignedAt sqlstore.Time
	}
	if err := r.Select("store_id, resigned_at").Scan(&gone).Error; err != nil {
		return nil, nil, fmt.Errorf("resigned guides: %w", sqlstore.Translate(err))
	}
	out := make([]kpi.Resignation, 0, len(gone))
	for _, g := range gone {
		if g.ResignedAt.T != nil {
			out = append(out, kpi.Resignation{StoreID: g.StoreID, At: *g.ResignedAt.T})
		}
	}
	return active, out, nil
}

// StoreNames implements kpi.Store.
func (s *Store) StoreNames(ctx context.Context, stores []int64) (map[int64]string, error) {
	q := s.conn(ctx).Table("stores").Select("id, name").Where("corp_id = ?", s.corp)
	if stores != nil {
		if len(stores) == 0 {
			return map[int64]string{}, nil
		}
		q = q.Where("id IN ?", stores)
	}
	var rows []struct {
		ID   int64
		Name string
	}
	err := q.Scan(&rows).Error
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, sqlstore.Translate(err)
}

// Customers implements kpi.Store: the guide's edges (present and past) by external_userid, with the
// period's credits and the days the guide reached them.
func (s *Store) Customers(ctx context.Context, q kpi.CustomerQuery) ([]kpi.CustomerRow, error) {
	var rows []struct {
		ExternalUserID string `gorm:"column:external_userid"`
		Name           string
		Avatar         string
		Remark         string
		AddedAt        sqlstore.Time
		Active         bool
		ReachedDays    int64
		Orders         int64
		AmountFen      int64
		RefundFen      int64
	}
	err := s.conn(ctx).Table("follows f").
		Select(`f.external_userid, COALESCE(c.name, '') AS name, COALESCE(c.avatar, '') AS avatar, f.remark, f.added_at, f.active,
			(SELECT COUNT(*) FROM kpi_marks m WHERE m.corp_id = f.corp_id AND m.userid = f.userid AND m.external_userid = f.external_userid
				AND m.kind = 'r' AND m.day BETWEEN ? AND ?) AS reached_days,
			(SELECT COUNT(*) FROM kpi_order_credits o WHERE o.corp_id = f.corp_id AND o.userid = f.userid AND o.external_userid = f.external_userid
				AND o.paid_day BETWEEN ? AND ?) AS orders,
			(SELECT COALESCE(SUM(o.amount_fen), 0) FROM kpi_order_credits o WHERE o.corp_id = f.corp_id AND o.userid = f.userid
				AND o.external_userid = f.external_userid AND o.paid_day BETWEEN ? AND ?) AS amount_fen,
			(SELECT COALESCE(SUM(o.amount_fen), 0) FROM kpi_order_credits o WHERE o.corp_id = f.corp_id AND o.userid = f.userid
				AND o.external_userid = f.external_userid AND o.refund_day BETWEEN ? AND ?) AS refund_fen`,
			int(q.From), int(q.To), int(q.From), int(q.To), int(q.From), int(q.To), int(q.From), int(q.To)).
		Joins("LEFT JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid").
		Where("f.corp_id = ? AND f.userid = ? AND f.external_userid > ?", s.corp, q.UserID, q.After).
		Order("f.external_userid").Limit(q.Limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("guide customers: %w", sqlstore.Translate(err))
	}
	out := make([]kpi.CustomerRow, len(rows))
	for i, r := range rows {
		out[i] = kpi.CustomerRow{ExternalUserID: r.ExternalUserID, Name: r.Name, Avatar: r.Avatar, Remark: r.Remark, AddedAt: r.AddedAt.T,
			Active: r.Active, ReachedDays: r.ReachedDays, Orders: r.Orders, AmountFen: r.AmountFen, RefundFen: r.RefundFen}
	}
	return out, nil
}
