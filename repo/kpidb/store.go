// Package kpidb implements kpi.Store with gorm: it reads the activity log (activity_log) and the
// ownership history, and writes the KPI rollups (kpi_guide_daily, kpi_guide_monthly, kpi_store_daily, kpi_corp_daily),
// their distinct marks, the orders' credits and the watermark (kpi_state), in the transaction the
// kpi service opens. The additive upserts are the only SQL that differs between MySQL and SQLite.
package kpidb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/kpi"
)

// Store implements kpi.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ kpi.Store = (*Store)(nil)

// New returns the KPI store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

func (s *Store) conn(ctx context.Context) *gorm.DB { return sqlstore.Conn(ctx, s.db) }

// countCols are the additive columns every rollup table has, in kpi.Counts' order.
var countCols = []string{"opens", "product_shares", "material_sends", "tasks_done", "reached", "orders", "amount_fen",
	"converted", "refunds", "refund_fen", "added", "lost_by_customer", "lost_by_guide", "handover_in", "handover_out"}

func countVals(c kpi.Counts) []any {
	return []any{c.Opens, c.ProductShares, c.MaterialSends, c.TasksDone, c.Reached, c.Orders, c.AmountFen,
		c.Converted, c.Refunds, c.RefundFen, c.Added, c.LostByCustomer, c.LostByGuide, c.HandoverIn, c.HandoverOut}
}

func countPtrs(c *kpi.Counts) []any {
	return []any{&c.Opens, &c.ProductShares, &c.MaterialSends, &c.TasksDone, &c.Reached, &c.Orders, &c.AmountFen,
		&c.Converted, &c.Refunds, &c.RefundFen, &c.Added, &c.LostByCustomer, &c.LostByGuide, &c.HandoverIn, &c.HandoverOut}
}

type stateRow struct {
	CorpID       string `gorm:"primaryKey"`
	Watermark    int64
	ReplayFrom   int
	ReplayTo     int
	ReplayUpto   int64
	ReplayCursor int64
	UpdatedAt    time.Time
}

func (stateRow) TableName() string { return "kpi_state" }

// LockState implements kpi.Store: an UPDATE takes the row's write lock first (MySQL's row lock,
// SQLite's database lock alike), so concurrent steps and rebuilds queue on it; then it reads the row.
func (s *Store) LockState(ctx context.Context) (kpi.State, error) {
	touch := func() (int64, error) {
		res := s.conn(ctx).Model(&stateRow{}).Where("corp_id = ?", s.corp).Update("updated_at", time.Now().UTC())
		return res.RowsAffected, res.Error
	}
	n, err := touch()
	if err == nil && n == 0 {
		err = s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&stateRow{CorpID: s.corp, UpdatedAt: time.Now().UTC()}).Error
		if err == nil {
			_, err = touch()
		}
	}
	if err != nil {
		return kpi.State{}, fmt.Errorf("lock kpi state: %w", sqlstore.Translate(err))
	}
	var r stateRow
	if err := s.conn(ctx).Where("corp_id = ?", s.corp).Take(&r).Error; err != nil {
		return kpi.State{}, fmt.Errorf("read kpi state: %w", sqlstore.Translate(err))
	}
	return kpi.State{Watermark: r.Watermark, ReplayFrom: kpi.Day(r.ReplayFrom), ReplayTo: kpi.Day(r.ReplayTo),
		ReplayUpto: r.ReplayUpto, ReplayCursor: r.ReplayCursor}, nil
}

// SaveState implements kpi.Store.
func (s *Store) SaveState(ctx context.Context, st kpi.State) error {
	err := s.conn(ctx).Model(&stateRow{}).Where("corp_id = ?", s.corp).Updates(map[string]any{
		"watermark": st.Watermark, "replay_from": int(st.ReplayFrom), "replay_to": int(st.ReplayTo),
		"replay_upto": st.ReplayUpto, "replay_cursor": st.ReplayCursor, "updated_at": time.Now().UTC()}).Error
	return sqlstore.Translate(err)
}

// Reset implements kpi.Store. A ranged reset keeps the orders' credits (a full one recomputes them)
// but forgets the refunds it will fold again.
func (s *Store) Reset(ctx context.Context, from, to kpi.Day) error {
	c := s.conn(ctx)
	tables := []string{"kpi_guide_daily", "kpi_store_daily", "kpi_corp_daily", "kpi_marks"}
	if from == 0 {
		tables = append(tables, "kpi_order_credits", "kpi_guide_monthly")
	}
	for _, t := range tables {
		q := c.Table(t).Where("corp_id = ?", s.corp)
		if from != 0 {
			q = q.Where("day BETWEEN ? AND ?", int(from), int(to))
		}
		if err := q.Delete(nil).Error; err != nil {
			return fmt.Errorf("reset %s: %w", t, sqlstore.Translate(err))
		}
	}
	if from != 0 {
		if err := s.resetMonths(ctx, from, to); err != nil {
			return err
		}
		err := c.Table("kpi_order_credits").Where("corp_id = ? AND refund_day BETWEEN ? AND ?", s.corp, int(from), int(to)).
			Update("refund_day", 0).Error
		if err != nil {
			return fmt.Errorf("reset refunds: %w", sqlstore.Translate(err))
		}
	}
	return nil
}

// GuideStores implements kpi.Store.
func (s *Store) GuideStores(ctx context.Context, userIDs []string) (map[string]int64, error) {
	var rows []struct {
		UserID  string `gorm:"column:userid"`
		StoreID int64
	}
	err := s.conn(ctx).Table("guides").Select("userid, store_id").Where("corp_id = ? AND userid IN ?", s.corp, userIDs).Scan(&rows).Error
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.StoreID
	}
	return out, sqlstore.Translate(err)
}

// chunks splits n items into runs of at most size.
func chunks(n, size int, f func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += size {
		if err := f(lo, min(lo+size, n)); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is "(?,?,…)" repeated n times, comma-separated, for k values each.
func placeholders(n, k int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", k), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", n), ",")
}
