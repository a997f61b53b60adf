package kpi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

// Every kind the rollups count lands on the right guide, day and column, and on the store and corp
// rows; kinds they do not count (notes, tags, remarks) move only the watermark.
func TestEveryKindCounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.act("sidebar_open", "anna", "", at(0, 9), "", nil)
	e.act("sidebar_open", "anna", "", at(0, 15), "wmC1", nil)
	e.act("product_shared", "anna", "wmC1", at(0, 11), "sku1", nil)
	e.act("reply_sent", "anna", "wmC1", at(0, 12), "7", nil)                                 // same customer, same day: reached once
	e.act("material_sent", "anna", "wmC2", at(0, 12), "8", nil)                              // another customer
	e.act("product_shared", "anna", "", at(0, 13), "sku2", map[string]any{"chat_id": "wrG"}) // into a group: a share, nobody reached
	e.act("task_completed", "anna", "", at(0, 16), "3", nil)
	e.act("customer_added", "anna", "wmC3", at(0, 10), "qr1", nil)
	e.act("customer_deleted_guide", "anna", "wmC4", at(0, 10), "", nil)
	e.act("guide_deleted_customer", "anna", "wmC5", at(0, 10), "", nil)
	e.act("customer_transferred", "anna", "wmC6", at(0, 10), "bo", nil)
	e.act("customer_inherited", "anna", "wmC7", at(0, 10), "bo", nil)
	e.act("note_added", "anna", "wmC1", at(0, 10), "1", nil)
	e.act("tags_changed", "anna", "wmC1", at(0, 10), "", nil)
	e.paid("o1", "wmC1", at(2, 10), 12_900) // within 7 days of anna's reply: anna's, converted on day 0
	e.refunded("o1", "wmC1", at(3, 10), 12_900)
	e.act("sidebar_open", "bo", "", at(0, 23), "", nil) // 23:00 Shanghai on day 0 (15:00 UTC)
	e.act("sidebar_open", "bo", "", at(1, 1), "", nil)  // 01:00 Shanghai on day 1 (17:00 UTC of day 0)
	e.catchUp()

	a := e.guide("anna", d0, d0.AddDays(6))
	assert.Equal(t, kpi.Counts{Opens: 2, ProductShares: 2, MaterialSends: 2, TasksDone: 1, Reached: 2, Orders: 1, AmountFen: 12_900,
		Converted: 1, Refunds: 1, RefundFen: 12_900, Added: 1, LostByCustomer: 1, LostByGuide: 1, HandoverIn: 2}, a.Counts)
	assert.EqualValues(t, 1, a.LoginGuideDays)
	assert.EqualValues(t, 1, a.ShareGuideDays)
	assert.EqualValues(t, 7, a.ActiveGuideDays)
	b := e.guide("bo", d0, d0.AddDays(6))
	assert.Equal(t, kpi.Counts{Opens: 2, HandoverOut: 2}, b.Counts)
	assert.EqualValues(t, 2, b.LoginGuideDays, "days end at midnight in Shanghai")

	ctx := service.WithScope(e.ctx, admin)
	o, err := e.svc.Overview(ctx, kpi.Period{From: d0, To: d0})
	require.NoError(t, err)
	assert.EqualValues(t, 4, o.Totals.ActiveGuideDays, "four guides in service")
	assert.EqualValues(t, 2, o.Totals.LoginGuideDays)
	assert.InDelta(t, 0.5, o.Totals.LoginRate(), 1e-9)
	assert.InDelta(t, 0.25, o.Totals.ShareRate(), 1e-9)
	assert.InDelta(t, 0.5, o.Totals.ConversionRate(), 1e-9, "one of two customers anna reached bought")
	stores, err := e.svc.Stores(ctx, kpi.Period{From: d0, To: d0.AddDays(6)})
	require.NoError(t, err)
	require.Len(t, stores, 2)
	assert.Equal(t, "南京西路店", stores[0].Name)
	assert.EqualValues(t, 3, stores[0].LoginGuideDays)
	assert.EqualValues(t, 12_900, stores[0].AmountFen)
	assert.EqualValues(t, 0, stores[1].Opens)
	assert.EqualValues(t, 14, stores[1].ActiveGuideDays)

	var wm int64
	require.NoError(t, e.db.Raw("SELECT watermark FROM kpi_state WHERE corp_id = ?", corp).Scan(&wm).Error)
	var last int64
	require.NoError(t, e.db.Raw("SELECT MAX(id) FROM activity_log").Scan(&last).Error)
	assert.Equal(t, last, wm, "the uncounted kinds move the watermark too")

	e.catchUp() // nothing new: nothing changes
	assert.Equal(t, a.Counts, e.guide("anna", d0, d0.AddDays(6)).Counts)
}

// Which guide an order is credited to.
func TestAttribution(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.owner("wmA", "cai", "added", at(-30, 10))
	e.owner("wmB", "cai", "added", at(-30, 10))
	e.owner("wmC", "cai", "added", at(-30, 10))
	e.owner("wmD", "dai", "added", at(-30, 10))

	// A: anna shared 8 days before the order (N = 7): too old, the owner cai gets it.
	e.act("product_shared", "anna", "wmA", at(0, 10), "p", nil)
	e.paid("oA", "wmA", at(8, 11), 100)
	// B: anna then bo sent within N days: the last sender, bo, gets it; a refund later goes to bo too,
	// even after anna sends again.
	e.act("product_shared", "anna", "wmB", at(1, 10), "p", nil)
	e.act("material_sent", "bo", "wmB", at(2, 10), "m", nil)
	e.paid("oB", "wmB", at(3, 10), 200)
	e.act("product_shared", "anna", "wmB", at(4, 10), "p", nil)
	e.refunded("oB", "wmB", at(5, 10), 200)
	// C: a send recorded after the order (a late row whose time is before the payment) takes no credit.
	e.paid("oC", "wmC", at(3, 12), 300)
	e.act("reply_sent", "anna", "wmC", at(3, 11), "r", nil)
	// D: dai shared, then resigned; the order within N days stays dai's, and dai keeps the history.
	e.act("product_shared", "dai", "wmD", at(1, 10), "p", nil)
	e.paid("oD", "wmD", at(2, 10), 400)
	e.exec("UPDATE guides SET status = 'resigned', resigned_at = ? WHERE corp_id = ? AND userid = 'dai'", at(3, 10), corp)
	// E: no send and no owner: nobody's.
	e.paid("oE", "wmE", at(3, 10), 500)
	e.catchUp()

	credits := map[string]string{}
	var rows []struct {
		OrderID string
		UserID  string `gorm:"column:userid"`
		Via     string
	}
	require.NoError(t, e.db.Raw("SELECT order_id, userid, via FROM kpi_order_credits ORDER BY order_id").Scan(&rows).Error)
	for _, r := range rows {
		credits[r.OrderID] = r.UserID + "/" + r.Via
	}
	assert.Equal(t, map[string]string{"oA": "cai/owner", "oB": "bo/send", "oC": "cai/owner", "oD": "dai/send", "oE": "/"}, credits)

	period := func(days int) (kpi.Day, kpi.Day) { return d0, d0.AddDays(days) }
	from, to := period(9)
	assert.EqualValues(t, 400, e.guide("cai", from, to).AmountFen)
	bo := e.guide("bo", from, to)
	assert.EqualValues(t, 200, bo.AmountFen)
	assert.EqualValues(t, 200, bo.RefundFen)
	assert.EqualValues(t, 1, bo.Converted)
	anna := e.guide("anna", from, to)
	assert.EqualValues(t, 0, anna.Orders)
	assert.EqualValues(t, 0, anna.RefundFen)
	assert.EqualValues(t, 0, anna.Converted)
	assert.EqualValues(t, 4, anna.Reached, "wmA, wmB on two days, wmC: four customer-days")

	// dai resigned on day 3: in the store's list for the period, with the order, in service 4 days.
	ctx := service.WithScope(e.ctx, admin)
	gs, err := e.svc.Guides(ctx, kpi.Period{From: from, To: to, StoreID: 2})
	require.NoError(t, err)
	require.Len(t, gs, 2)
	assert.Equal(t, "dai", gs[1].UserID)
	assert.True(t, gs[1].Resigned)
	assert.EqualValues(t, 400, gs[1].AmountFen)
	assert.EqualValues(t, 4, gs[1].ActiveGuideDays)
}
