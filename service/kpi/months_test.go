package kpi_test

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/repotest"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

// guideSums is what a store's guides list shows per guide: the day flags and the counts.
type guideSums struct {
	Days, Login, Share int64
	kpi.Counts
}

// daySums sums a store's day rows over [from, to] per guide, straight from kpi_guide_daily.
func (e *env) daySums(store int64, from, to kpi.Day) map[string]guideSums {
	e.t.Helper()
	var rows []struct {
		UserID string `gorm:"column:userid"`
		Opens, ProductShares, MaterialSends, TasksDone, Reached, Orders, AmountFen, Converted, Refunds, RefundFen,
		Added, LostByCustomer, LostByGuide, HandoverIn, HandoverOut int64
	}
	require.NoError(e.t, e.db.Table("kpi_guide_daily").Where("corp_id = ? AND store_id = ? AND day BETWEEN ? AND ?", corp, store, int(from), int(to)).
		Order("userid, day").Find(&rows).Error)
	out := map[string]guideSums{}
	for _, r := range rows {
		c := kpi.Counts{Opens: r.Opens, ProductShares: r.ProductShares, MaterialSends: r.MaterialSends, TasksDone: r.TasksDone,
			Reached: r.Reached, Orders: r.Orders, AmountFen: r.AmountFen, Converted: r.Converted, Refunds: r.Refunds, RefundFen: r.RefundFen,
			Added: r.Added, LostByCustomer: r.LostByCustomer, LostByGuide: r.LostByGuide, HandoverIn: r.HandoverIn, HandoverOut: r.HandoverOut}
		s := out[r.UserID]
		s.Days++
		if c.Logged() {
			s.Login++
		}
		if c.Shared() {
			s.Share++
		}
		s.Counts.Add(c)
		out[r.UserID] = s
	}
	return out
}

// listed is the store's guides list as the console gets it, for the guides with a row in the period.
func (e *env) listed(store int64, from, to kpi.Day, with map[string]guideSums) map[string]guideSums {
	e.t.Helper()
	gs, err := e.svc.Guides(service.WithScope(e.ctx, admin), kpi.Period{From: from, To: to, StoreID: store})
	require.NoError(e.t, err)
	out := map[string]guideSums{}
	for _, g := range gs {
		if _, ok := with[g.UserID]; ok {
			out[g.UserID] = guideSums{Days: with[g.UserID].Days, Login: g.LoginGuideDays, Share: g.ShareGuideDays, Counts: g.Counts}
		} else {
			assert.Zero(e.t, g.LoginGuideDays+g.ShareGuideDays+g.Opens+g.Added, "%s has no row in the period", g.UserID)
		}
	}
	return out
}

// The store → guide drill-down reads whole months from kpi_guide_monthly and the other days from the
// day rows (a partial month as its days, or as the month less the days outside): for any period it
// gives what summing the day rows gives, after increments, late rows and a ranged rebuild across a
// month's end. The month rows always sum their day rows.
func TestGuidesListFromMonthsEqualsDays(t *testing.T) {
	t.Parallel()
	for name, db := range map[string]func(testing.TB) *gorm.DB{"mysql": repotest.New, "sqlite": repotest.NewSQLite} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			guidesListFromMonths(t, newEnvOn(t, db(t)))
		})
	}
}

func guidesListFromMonths(t *testing.T, e *env) {
	r := rand.New(rand.NewSource(11))
	guides := []string{"anna", "bo", "cai"}
	kinds := []string{"sidebar_open", "sidebar_open", "product_shared", "material_sent", "task_completed", "customer_added",
		"customer_deleted_guide", "note_added"}
	for i := 0; i < 500; i++ { // 3 March to 31 May 2025, some rows late
		when := at(r.Intn(90), 8+r.Intn(14))
		g := guides[r.Intn(len(guides))]
		e.act(kinds[r.Intn(len(kinds))], g, fmt.Sprintf("wm%02d", r.Intn(20)), when, "", nil)
		if r.Intn(60) == 0 {
			e.catchUp()
		}
	}
	e.catchUp()
	e.exec("UPDATE guides SET store_id = 1 WHERE corp_id = ? AND userid = 'cai'", corp) // cai's later rows go to store 1
	for i := 0; i < 40; i++ {
		e.act("sidebar_open", "cai", "", at(60+r.Intn(30), 12), "", nil)
	}
	e.catchUp()
	require.NoError(t, e.svc.Rebuild(e.ctx, kpi.Day(20250320), kpi.Day(20250412)))
	e.catchUp()

	var drift int64
	require.NoError(t, e.db.Raw(`SELECT COUNT(*) FROM kpi_guide_monthly m LEFT JOIN (
			SELECT corp_id, store_id, (day - day % 100) / 100 AS month, userid, COUNT(*) AS days, SUM(opens) AS opens, SUM(amount_fen) AS amount_fen
			FROM kpi_guide_daily GROUP BY corp_id, store_id, (day - day % 100) / 100, userid) d
		ON d.corp_id = m.corp_id AND d.store_id = m.store_id AND d.month = m.month AND d.userid = m.userid
		WHERE d.days IS NULL OR d.days <> m.days OR d.opens <> m.opens OR d.amount_fen <> m.amount_fen`).Scan(&drift).Error)
	assert.Zero(t, drift, "month rows that do not sum their days")

	periods := [][2]kpi.Day{{20250303, 20250531}, {20250301, 20250331}, {20250302, 20250330}, {20250305, 20250428},
		{20250401, 20250401}, {20250315, 20250515}, {20250430, 20250501}, {20250402, 20250530}, {20250101, 20251231}}
	for i := 0; i < 30; i++ {
		from := kpi.Day(20250303).AddDays(r.Intn(89))
		periods = append(periods, [2]kpi.Day{from, from.AddDays(r.Intn(60))})
	}
	for _, p := range periods {
		for _, store := range []int64{1, 2} {
			want := e.daySums(store, p[0], p[1])
			assert.Equal(t, want, e.listed(store, p[0], p[1], want), "store %d, %s to %s", store, p[0], p[1])
		}
	}
	assert.NotEmpty(t, e.daySums(1, 20250303, 20250531)["cai"], "cai has rows in both stores")
	assert.NotEmpty(t, e.daySums(2, 20250303, 20250531)["cai"])
}
