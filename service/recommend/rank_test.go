package recommend_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
)

// Nothing the guide's store cannot sell is offered: sold out there, not carried there, or off sale;
// a product whose stock is not tracked is offered everywhere, without a stock note.
func TestOnlyWhatTheStoreCanSell(t *testing.T) {
	e := newEnv(t)
	off := product("M6", "口红F", "美妆", map[int64]int64{2: 9}, "t-mz")
	off.OnSale = false
	e.products(
		product("M1", "口红A", "美妆", map[int64]int64{2: 0, 3: 5}, "t-mz"),
		product("M2", "口红B", "美妆", map[int64]int64{3: 8}, "t-mz"),
		product("M3", "口红C", "美妆", map[int64]int64{2: 9}, "t-mz"),
		product("M4", "口红D", "美妆", nil, "t-mz"),
		product("M5", "口红E", "美妆", map[int64]int64{2: 2}, "t-mz"),
		off,
	)
	e.rebuild()
	assert.ElementsMatch(t, []rec{{"M3", "标签「美妆」 · 本店有货"}, {"M4", "标签「美妆」"}, {"M5", "标签「美妆」 · 本店仅剩 2 件"}},
		e.recommend("wm-a", 2, 10, []string{"t-mz"}))
	assert.ElementsMatch(t, []string{"M1", "M2", "M4"}, skus(e.recommend("wm-a", 3, 10, []string{"t-mz"})))
}

// A consumable bought about one cycle ago comes first, with the days since; its cycle is the median
// between other customers' purchases of it, or of its category's products. One bought recently, or a
// product bought once that is not a consumable, is not offered again.
func TestRepurchaseCycle(t *testing.T) {
	e := newEnv(t)
	e.products(
		product("S1", "修护面霜", "护肤", map[int64]int64{2: 20}),
		product("S2", "柔肤水", "护肤", map[int64]int64{2: 20}),
		product("H1", "布艺沙发", "家居", map[int64]int64{2: 3}),
		product("S3", "护肤礼盒", "护肤", map[int64]int64{2: 20}),
		product("X1", "帆布袋", "配件", map[int64]int64{2: 10}),
	)
	for i := range 5 {
		c := fmt.Sprintf("wm-c%d", i)
		e.buy(c, 2, 200+i, "S1")
		e.buy(c, 2, 140+i, "S1") // every 60 days
		e.buy(fmt.Sprintf("wm-h%d", i), 2, 100+i, "H1")
	}
	for i := range 10 { // a gift box many buy once: not a consumable, whatever 护肤's cycle
		e.buy(fmt.Sprintf("wm-g%d", i), 2, 30+i, "S3")
	}
	e.buy("wm-due", 2, 58, "S1", "H1")
	e.buy("wm-early", 2, 20, "S1")
	e.buy("wm-cat", 2, 55, "S2", "S3")
	e.buy("wm-late", 2, 100, "S1")
	rep := e.rebuild()
	assert.Equal(t, 2, rep.Cycles, "S1, and its category 护肤")

	got := e.recommend("wm-due", 2, 5, nil)
	require.NotEmpty(t, got)
	assert.Equal(t, rec{"S1", "上次购买已 58 天，约到复购期 · 本店有货"}, got[0])
	assert.NotContains(t, skus(got), "H1", "a sofa bought once is not offered again")
	assert.NotContains(t, skus(e.recommend("wm-early", 2, 5, nil)), "S1", "bought 20 days ago: not due")
	cat := e.recommend("wm-cat", 2, 5, nil)
	assert.Equal(t, rec{"S2", "上次购买已 55 天，约到复购期 · 本店有货"}, cat[0], "by the category's cycle")
	assert.NotContains(t, skus(cat), "S3", "the gift box is not due")
	assert.Equal(t, rec{"S1", "上次购买已 100 天，已过复购期 · 本店有货"}, e.recommend("wm-late", 2, 5, nil)[0])
}

// What customers who bought the same product also bought comes with that product's name.
func TestCoPurchase(t *testing.T) {
	e := newEnv(t)
	e.products(
		product("A", "丝绒口红", "美妆", map[int64]int64{2: 10}),
		product("B", "卸妆油", "美妆", map[int64]int64{2: 10}),
		product("C", "香薰蜡烛", "家居", map[int64]int64{2: 10}),
		product("D", "陶瓷杯", "家居", map[int64]int64{2: 10}),
	)
	for i := range 5 {
		e.buy(fmt.Sprintf("wm-ab%d", i), 2, 10+i, "A", "B")
	}
	for i := range 8 { // C and D sell more in the store
		e.buy(fmt.Sprintf("wm-cd%d", i), 2, 5+i, "C", "D")
	}
	e.buy("wm-x", 2, 30, "A")
	e.rebuild()
	got := e.recommend("wm-x", 2, 3, nil)
	require.NotEmpty(t, got)
	assert.Equal(t, rec{"B", "买过「丝绒口红」的顾客常买 · 本店有货"}, got[0])
	assert.NotContains(t, skus(got), "A")
}

// A customer tagged 美妆 and 家居 sees both, even when 美妆 sells far better: no more than two items of
// one category before every interest has one.
func TestDiverseAcrossInterests(t *testing.T) {
	e := newEnv(t)
	var ps []service.Product
	for i := 1; i <= 6; i++ {
		ps = append(ps, product(fmt.Sprintf("M%d", i), fmt.Sprintf("美妆%d", i), "美妆", map[int64]int64{2: 10}, "t-mz"))
	}
	ps = append(ps, product("H1", "香薰", "家居", map[int64]int64{2: 10}, "t-jj"), product("H2", "抱枕", "家居", map[int64]int64{2: 10}, "t-jj"))
	e.products(ps...)
	for i := range 20 { // 美妆 is the store's best seller
		e.buy(fmt.Sprintf("wm-b%d", i), 2, 3+i%40, "M1", "M2", "M3", "M4", "M5", "M6")
	}
	e.rebuild()
	got := e.recommend("wm-both", 2, 5, []string{"t-mz", "t-jj"})
	require.Len(t, got, 5)
	cats := ""
	for _, r := range got {
		cats += r.SKU[:1]
	}
	assert.Equal(t, "MMHMM", cats, "two 美妆, then 家居, then the best")
	assert.Equal(t, "标签「家居」 · 本店有货", got[2].Reason)
	only := e.recommend("wm-beauty", 2, 5, []string{"t-mz"})
	assert.Equal(t, []string{"M1", "M2", "M3", "M4", "M5"}, skus(only), "one interest: the best in order")
}

// What the customer just bought, or the guide sent in the last 7 days, is left out; a share from
// before that is shown with its time.
func TestJustBoughtAndJustSentAreLeftOut(t *testing.T) {
	e := newEnv(t)
	e.products(
		product("P1", "精华", "美妆", map[int64]int64{2: 10}, "t-mz"),
		product("P2", "面膜", "美妆", map[int64]int64{2: 10}, "t-mz"),
		product("P3", "眼霜", "美妆", map[int64]int64{2: 10}, "t-mz"),
		product("P4", "粉底", "美妆", map[int64]int64{2: 10}, "t-mz"),
	)
	for i := range 5 { // P1 is a consumable: due every 30 days
		e.buy(fmt.Sprintf("wm-c%d", i), 2, 100, "P1")
		e.buy(fmt.Sprintf("wm-c%d", i), 2, 70, "P1")
	}
	e.buy("wm-x", 2, 2, "P1")
	e.rebuild()
	sent := func(sku string, daysAgo int) service.Share {
		return service.Share{UserID: "g1", ExternalUserID: "wm-x", ProductID: sku, MsgType: "news", SharedAt: now.Add(-time.Duration(daysAgo) * 24 * time.Hour)}
	}
	rs, err := e.svc.Recommend(context.Background(), service.RecommendInput{UserID: "g1", StoreID: 2, ExternalUserID: "wm-x",
		TagIDs: []string{"t-mz"}, TagNames: map[string]string{"t-mz": "美妆"}, Shares: []service.Share{sent("P2", 3), sent("P3", 10)}, Limit: 10})
	require.NoError(t, err)
	var got []string
	for _, r := range rs {
		got = append(got, r.Product.SKU)
		if r.Product.SKU == "P3" {
			require.NotNil(t, r.LastSharedAt)
			assert.True(t, r.LastSharedAt.Equal(now.Add(-10*24*time.Hour)))
		}
	}
	assert.ElementsMatch(t, []string{"P3", "P4"}, got)
}

// A customer with no orders gets products of their tags first, then what sells in the store; without
// tags either, the store's best sellers, then the catalogue.
func TestColdStart(t *testing.T) {
	e := newEnv(t)
	e.products(
		product("Y1", "孕妇连衣裙", "母婴", map[int64]int64{2: 5}, "t-yq"),
		product("Y2", "防辐射服", "母婴", nil, "t-yq"),
		product("B1", "保温杯", "家居", map[int64]int64{2: 30}),
		product("B2", "围巾", "服饰", map[int64]int64{2: 30}),
		product("Z1", "帆布袋", "配件", map[int64]int64{2: 30}),
	)
	for i := range 4 {
		e.buy(fmt.Sprintf("wm-o%d", i), 2, 10+i, "B1", "B2")
		e.buy(fmt.Sprintf("wm-p%d", i), 2, 10+i, "B1")
	}
	e.rebuild()
	got := e.recommend("wm-new", 2, 4, []string{"t-yq"})
	require.Len(t, got, 4)
	assert.ElementsMatch(t, []rec{{"Y1", "标签「孕期」 · 本店有货"}, {"Y2", "标签「孕期」"}}, got[:2])
	assert.Equal(t, []rec{{"B1", "本店热销 · 本店有货"}, {"B2", "本店热销 · 本店有货"}}, got[2:])
	bare := e.recommend("wm-new", 2, 3, nil)
	assert.Equal(t, []string{"B1", "B2"}, skus(bare)[:2])
	assert.Len(t, bare, 3, "then the catalogue")
}

// A rebuild stores a new generation and drops the old; the service loads the new one.
func TestRebuildReplacesTheIndex(t *testing.T) {
	e := newEnv(t)
	e.products(product("A", "丝绒口红", "美妆", nil), product("B", "卸妆油", "美妆", nil))
	e.buy("wm-1", 2, 5, "A", "B")
	e.buy("wm-x", 2, 30, "A")
	first := e.rebuild()
	assert.Equal(t, 3, first.Lines)
	assert.Zero(t, first.Neighbors, "one customer in common is not enough")
	assert.NotEqual(t, "买过「丝绒口红」的顾客常买", e.recommend("wm-x", 2, 1, nil)[0].Reason)
	e.buy("wm-2", 2, 1, "A", "B")
	second := e.rebuild()
	assert.Equal(t, first.Generation+1, second.Generation)
	var gens []int64
	require.NoError(t, e.db.Raw("SELECT DISTINCT generation FROM rec_index WHERE corp_id = ?", corp).Scan(&gens).Error)
	assert.Equal(t, []int64{second.Generation}, gens)
	assert.Equal(t, []rec{{"B", "买过「丝绒口红」的顾客常买"}}, e.recommend("wm-x", 2, 1, nil))
}

// An index built before any order (a new deployment) is replaced by the next build all the same.
func TestRebuildAfterAnEmptyIndex(t *testing.T) {
	e := newEnv(t)
	e.products(product("A", "丝绒口红", "美妆", nil), product("B", "卸妆油", "美妆", nil))
	empty := e.rebuild()
	assert.Zero(t, empty.Lines)
	for i := range 3 {
		e.buy(fmt.Sprintf("wm-%d", i), 2, 5, "A", "B")
	}
	e.buy("wm-x", 2, 30, "A")
	next := e.rebuild()
	assert.Greater(t, next.Generation, empty.Generation)
	assert.Equal(t, []rec{{"B", "买过「丝绒口红」的顾客常买"}}, e.recommend("wm-x", 2, 1, nil))
}
