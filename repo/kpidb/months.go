package kpidb

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/kpi"
)

// monthCols are kpi_guide_monthly's columns after its key, in kpi.GuideMonth's order.
var monthCols = append([]string{"days", "login_days", "share_days"}, countCols...)

// AddGuideMonths implements kpi.Store: additive upserts of the guides' month rows.
func (s *Store) AddGuideMonths(ctx context.Context, ms []kpi.GuideMonth) error {
	cols := append([]string{"corp_id", "store_id", "month", "userid"}, monthCols...)
	return s.upsert(ctx, "kpi_guide_monthly", cols, []string{"corp_id", "store_id", "month", "userid"}, true, len(ms), func(i int) []any {
		m := ms[i]
		return append([]any{s.corp, m.StoreID, m.Month, m.UserID, m.Days, m.LoginDays, m.ShareDays}, countVals(m.Counts)...)
	})
}

// resetMonths makes the month rows of [from, to]'s months sum the day rows left in them again.
func (s *Store) resetMonths(ctx context.Context, from, to kpi.Day) error {
	c := s.conn(ctx)
	if err := c.Exec("DELETE FROM kpi_guide_monthly WHERE corp_id = ? AND month BETWEEN ? AND ?", s.corp, from.Month(), to.Month()).Error; err != nil {
		return fmt.Errorf("reset guide months: %w", sqlstore.Translate(err))
	}
	month := "day / 100"
	if sqlstore.IsMySQL(s.db) {
		month = "day DIV 100"
	}
	sums := []string{"COUNT(*)", "SUM(" + loggedExpr + ")", "SUM(" + sharedExpr + ")"}
	for _, col := range countCols {
		sums = append(sums, "SUM("+col+")")
	}
	err := c.Exec("INSERT INTO kpi_guide_monthly (corp_id, store_id, month, userid, "+strings.Join(monthCols, ", ")+") "+
		"SELECT corp_id, store_id, "+month+", userid, "+strings.Join(sums, ", ")+" FROM kpi_guide_daily "+
		"WHERE corp_id = ? AND day BETWEEN ? AND ? GROUP BY corp_id, store_id, "+month+", userid",
		s.corp, from.Month()*100+1, to.Month()*100+31).Error
	if err != nil {
		return fmt.Errorf("recompute guide months: %w", sqlstore.Translate(err))
	}
	return nil
}

// The day row's flags, as kpi.Counts' Logged and Shared.
const (
	loggedExpr = "CASE WHEN opens > 0 THEN 1 ELSE 0 END"
	sharedExpr = "CASE WHEN product_shares + material_sends + tasks_done > 0 THEN 1 ELSE 0 END"
)

// span is a run of days added to (sign 1) or taken from (sign -1) a period's months.
type span struct {
	from, to kpi.Day
	sign     int
}

// monthPlan splits [from, to] into whole months, read from the month rows, and spans of days: a
// partial month is either its days inside the period or the whole month minus its days outside,
// whichever reads fewer days.
func monthPlan(from, to kpi.Day) (months []int, spans []span) {
	for m := from.Month(); m <= to.Month(); m = nextMonth(m) {
		first := kpi.Day(m*100 + 1)
		last := kpi.DayOf(first.Time(time.UTC).AddDate(0, 1, -1), time.UTC)
		lo, hi := max(from, first), min(to, last)
		inside := daysBetween(lo, hi)
		outside := daysBetween(first, last) - inside
		switch {
		case outside == 0:
			months = append(months, m)
		case outside < inside:
			months = append(months, m)
			if lo > first {
				spans = append(spans, span{first, lo.AddDays(-1), -1})
			}
			if hi < last {
				spans = append(spans, span{hi.AddDays(1), last, -1})
			}
		default:
			spans = append(spans, span{lo, hi, 1})
		}
	}
	return months, spans
}

func nextMonth(m int) int {
	if m%100 == 12 {
		return (m/100+1)*100 + 1
	}
	return m + 1
}

// daysBetween counts the days of [from, to].
func daysBetween(from, to kpi.Day) int {
	return int(to.Time(time.UTC).Sub(from.Time(time.UTC)).Hours()/24) + 1
}

// GuideTotals implements kpi.Store: the period's whole months from kpi_guide_monthly and its other
// days from kpi_guide_daily (one primary-key range per span: the store's rows are in day order), summed
// per guide here (MariaDB's UNION and GROUP BY of the same rows took half again as long). A guide is
// listed when they have a day row in the period.
func (s *Store) GuideTotals(ctx context.Context, storeID int64, from, to kpi.Day) (map[string]kpi.Rollup, error) {
	months, spans := monthPlan(from, to)
	sums := map[string]*guideSum{}
	add := func(id string) *guideSum {
		g := sums[id]
		if g == nil {
			g = &guideSum{}
			sums[id] = g
		}
		return g
	}
	var id string
	var days, login, share int64
	var c kpi.Counts
	if len(months) > 0 {
		err := s.scan(ctx, append([]any{&id, &days, &login, &share}, countPtrs(&c)...), func() {
			g := add(id)
			g.days += days
			g.LoginGuides += login
			g.ShareGuides += share
			g.Counts.Add(c)
		}, "SELECT userid, "+strings.Join(monthCols, ", ")+" FROM kpi_guide_monthly WHERE corp_id = ? AND store_id = ? AND month IN ?",
			s.corp, storeID, months)
		if err != nil {
			return nil, fmt.Errorf("sum guide months: %w", err)
		}
	}
	for _, sp := range spans {
		sign := int64(sp.sign)
		err := s.scan(ctx, append([]any{&id}, countPtrs(&c)...), func() {
			g := add(id)
			g.days += sign
			if c.Logged() {
				g.LoginGuides += sign
			}
			if c.Shared() {
				g.ShareGuides += sign
			}
			if sign < 0 {
				c = c.Negated()
			}
			g.Counts.Add(c)
		}, "SELECT userid, "+strings.Join(countCols, ", ")+" FROM kpi_guide_daily WHERE corp_id = ? AND store_id = ? AND day BETWEEN ? AND ?",
			s.corp, storeID, int(sp.from), int(sp.to))
		if err != nil {
			return nil, fmt.Errorf("sum guide days: %w", err)
		}
	}
	out := make(map[string]kpi.Rollup, len(sums))
	for id, g := range sums {
		if g.days > 0 {
			g.StoreID = storeID
			out[id] = g.Rollup
		}
	}
	return out, nil
}

// guideSum is a guide's rollup with the day rows behind it.
type guideSum struct {
	kpi.Rollup
	days int64
}

// scan runs a query and calls row after scanning each row into dest.
func (s *Store) scan(ctx context.Context, dest []any, row func(), sql string, args ...any) error {
	rows, err := s.conn(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return sqlstore.Translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		row()
	}
	return rows.Err()
}
