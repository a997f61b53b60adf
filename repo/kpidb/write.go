package kpidb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/kpi"
)

// batchRows bounds the rows of one multi-row statement.
const batchRows = 400

// GuideDays implements kpi.Store. It asks for the keys' guides on the keys' days (index ranges on the
// primary key; MariaDB scans for a row-value IN) and keeps the keys asked for.
func (s *Store) GuideDays(ctx context.Context, keys []kpi.GuideKey) (map[kpi.GuideKey]kpi.GuideDay, error) {
	out := make(map[kpi.GuideKey]kpi.GuideDay, len(keys))
	want := make(map[kpi.GuideKey]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	cols := "userid, day, store_id, " + strings.Join(countCols, ", ")
	err := byGuideDays(len(keys), func(i int) (string, kpi.Day) { return keys[i].UserID, keys[i].Day }, func(users []string, days []int) error {
		rows, err := s.conn(ctx).Raw("SELECT "+cols+" FROM kpi_guide_daily WHERE corp_id = ? AND userid IN ? AND day IN ?",
			s.corp, users, days).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var g kpi.GuideDay
			var day int
			if err := rows.Scan(append([]any{&g.UserID, &day, &g.StoreID}, countPtrs(&g.Counts)...)...); err != nil {
				return err
			}
			g.Day = kpi.Day(day)
			if k := (kpi.GuideKey{UserID: g.UserID, Day: g.Day}); want[k] {
				out[k] = g
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read guide days: %w", sqlstore.Translate(err))
	}
	return out, nil
}

// byGuideDays calls f with the distinct guides and days of n keys, batchRows guides at a time.
func byGuideDays(n int, key func(i int) (string, kpi.Day), f func(users []string, days []int) error) error {
	days := map[int]bool{}
	seen := map[string]bool{}
	var users []string
	for i := 0; i < n; i++ {
		u, d := key(i)
		days[int(d)] = true
		if !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	ds := make([]int, 0, len(days))
	for d := range days {
		ds = append(ds, d)
	}
	return chunks(len(users), batchRows, func(lo, hi int) error { return f(users[lo:hi], ds) })
}

// PutGuideDays implements kpi.Store: insert or replace every column.
func (s *Store) PutGuideDays(ctx context.Context, rows []kpi.GuideDay) error {
	cols := append([]string{"corp_id", "userid", "day", "store_id"}, countCols...)
	return s.upsert(ctx, "kpi_guide_daily", cols, []string{"corp_id", "userid", "day"}, false, len(rows), func(i int) []any {
		r := rows[i]
		return append([]any{s.corp, r.UserID, int(r.Day), r.StoreID}, countVals(r.Counts)...)
	})
}

// AddRollups implements kpi.Store: additive upserts of the store and corp rows.
func (s *Store) AddRollups(ctx context.Context, stores, corp []kpi.Rollup) error {
	extra := []string{"login_guides", "share_guides"}
	cols := append(append([]string{"corp_id", "store_id", "day"}, extra...), countCols...)
	err := s.upsert(ctx, "kpi_store_daily", cols, []string{"corp_id", "store_id", "day"}, true, len(stores), func(i int) []any {
		r := stores[i]
		return append([]any{s.corp, r.StoreID, int(r.Day), r.LoginGuides, r.ShareGuides}, countVals(r.Counts)...)
	})
	if err != nil {
		return err
	}
	cols = append(append([]string{"corp_id", "day"}, extra...), countCols...)
	return s.upsert(ctx, "kpi_corp_daily", cols, []string{"corp_id", "day"}, true, len(corp), func(i int) []any {
		r := corp[i]
		return append([]any{s.corp, int(r.Day), r.LoginGuides, r.ShareGuides}, countVals(r.Counts)...)
	})
}

// upsert inserts n rows of cols; on a key conflict it adds the values (add) or replaces them.
func (s *Store) upsert(ctx context.Context, table string, cols, key []string, add bool, n int, row func(i int) []any) error {
	isKey := map[string]bool{}
	for _, k := range key {
		isKey[k] = true
	}
	mysql := sqlstore.IsMySQL(s.db)
	var sets []string
	for _, c := range cols {
		if isKey[c] {
			continue
		}
		v := "excluded." + c
		if mysql {
			v = "VALUES(" + c + ")"
		}
		if add {
			v = c + " + " + v
		}
		sets = append(sets, c+" = "+v)
	}
	tail := " ON CONFLICT (" + strings.Join(key, ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ")
	if mysql {
		tail = " ON DUPLICATE KEY UPDATE " + strings.Join(sets, ", ")
	}
	return chunks(n, batchRows, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*len(cols))
		for i := lo; i < hi; i++ {
			args = append(args, row(i)...)
		}
		sql := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " + placeholders(hi-lo, len(cols)) + tail
		if err := s.conn(ctx).Exec(sql, args...).Error; err != nil {
			return fmt.Errorf("upsert %s: %w", table, sqlstore.Translate(err))
		}
		return nil
	})
}

// AddMarks implements kpi.Store: it reads which marks exist, then inserts the others (the state lock
// keeps other writers out meanwhile).
func (s *Store) AddMarks(ctx context.Context, ms []kpi.Mark) ([]bool, error) {
	exists := map[kpi.Mark]bool{}
	err := byGuideDays(len(ms), func(i int) (string, kpi.Day) { return ms[i].UserID, ms[i].Day }, func(users []string, days []int) error {
		rows, err := s.conn(ctx).Raw("SELECT userid, day, kind, external_userid FROM kpi_marks WHERE corp_id = ? AND userid IN ? AND day IN ?",
			s.corp, users, days).Rows()
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m kpi.Mark
			var day int
			var kind string
			if err := rows.Scan(&m.UserID, &day, &kind, &m.ExternalUserID); err != nil {
				return err
			}
			m.Day, m.Kind = kpi.Day(day), kind[0]
			exists[m] = true
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read marks: %w", sqlstore.Translate(err))
	}
	isNew := make([]bool, len(ms))
	var fresh []kpi.Mark
	for i, m := range ms {
		if !exists[m] {
			isNew[i] = true
			fresh = append(fresh, m)
		}
	}
	slices.SortFunc(fresh, func(a, b kpi.Mark) int { // in the primary key's order
		return cmp.Or(strings.Compare(a.UserID, b.UserID), cmp.Compare(a.Day, b.Day), cmp.Compare(a.Kind, b.Kind),
			strings.Compare(a.ExternalUserID, b.ExternalUserID))
	})
	cols := []string{"corp_id", "userid", "day", "kind", "external_userid"}
	err = chunks(len(fresh), batchRows, func(lo, hi int) error {
		args := make([]any, 0, (hi-lo)*len(cols))
		for _, m := range fresh[lo:hi] {
			args = append(args, s.corp, m.UserID, int(m.Day), string(m.Kind), m.ExternalUserID)
		}
		return s.conn(ctx).Exec("INSERT INTO kpi_marks ("+strings.Join(cols, ", ")+") VALUES "+placeholders(hi-lo, len(cols)), args...).Error
	})
	if err != nil {
		return nil, fmt.Errorf("add marks: %w", sqlstore.Translate(err))
	}
	return isNew, nil
}

type creditRow struct {
	CorpID         string `gorm:"primaryKey"`
	OrderID        string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"column:external_userid"`
	UserID         string `gorm:"column:userid"`
	PaidDay        int
	AmountFen      int64
	Via            string
	ReachDay       int
	RefundDay      int
}

func (creditRow) TableName() string { return "kpi_order_credits" }

// Credits implements kpi.Store.
func (s *Store) Credits(ctx context.Context, orderIDs []string) (map[string]kpi.Credit, error) {
	out := map[string]kpi.Credit{}
	err := chunks(len(orderIDs), batchRows, func(lo, hi int) error {
		var rows []creditRow
		if err := s.conn(ctx).Where("corp_id = ? AND order_id IN ?", s.corp, orderIDs[lo:hi]).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out[r.OrderID] = kpi.Credit{OrderID: r.OrderID, ExternalUserID: r.ExternalUserID, UserID: r.UserID, PaidDay: kpi.Day(r.PaidDay),
				AmountFen: r.AmountFen, Via: r.Via, ReachDay: kpi.Day(r.ReachDay), RefundDay: kpi.Day(r.RefundDay)}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read credits: %w", sqlstore.Translate(err))
	}
	return out, nil
}

// SaveCredits implements kpi.Store.
func (s *Store) SaveCredits(ctx context.Context, cs []kpi.Credit) error {
	cols := []string{"corp_id", "order_id", "external_userid", "userid", "paid_day", "amount_fen", "via", "reach_day", "refund_day"}
	return s.upsert(ctx, "kpi_order_credits", cols, []string{"corp_id", "order_id"}, false, len(cs), func(i int) []any {
		c := cs[i]
		return []any{s.corp, c.OrderID, c.ExternalUserID, c.UserID, int(c.PaidDay), c.AmountFen, c.Via, int(c.ReachDay), int(c.RefundDay)}
	})
}
