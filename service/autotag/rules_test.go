package autotag_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/service/autotag"
)

func sorted(ids ...string) []string {
	sort.Strings(ids)
	return ids
}

// 近 30 天买过护肤: a purchase in the category within the window counts; an older one, another
// category or a refunded order does not.
func TestCategoryRule(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	r := e.rule(autotag.RuleInput{Name: "近30天护肤", Kind: autotag.KindCategory, Category: "护肤", Days: 30, TagID: e.ruleTag["护肤达人"]})
	e.order("wm-recent", 20, line{"S1", 1, 500})
	e.order("wm-old", 40, line{"S2", 1, 200})
	e.order("wm-other", 5, line{"M1", 1, 300})
	id := e.order("wm-refunded", 10, line{"S1", 1, 500})
	e.refund("wm-refunded", id, 10, line{"S1", 1, 500})
	e.order("wm-both", 45, line{"S1", 1, 500})
	e.order("wm-both", 3, line{"M1", 1, 300}, line{"S2", 2, 200})
	e.pass()
	assert.Equal(t, sorted("wm-recent", "wm-both"), e.tagged(r))

	e.days(11) // wm-recent's purchase is 31 days old now
	e.pass()
	assert.Equal(t, []string{"wm-both"}, e.tagged(r))
}

// 90 天消费满 3000 元: order lines within the window add up, refunds excluded, the threshold included.
func TestSpendRule(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	r := e.rule(autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: e.ruleTag["高消费"]})
	e.order("wm-two-orders", 80, line{"S1", 2, 500}, line{"M1", 1, 300}) // 1300
	e.order("wm-two-orders", 10, line{"S1", 4, 500}, line{"M1", 1, 300}) // 2300: 3600 in all
	e.order("wm-long-ago", 100, line{"S1", 10, 500})                     // 5000, outside 90 days
	e.order("wm-exactly", 1, line{"S1", 6, 500})                         // 3000
	big := e.order("wm-refund", 30, line{"S1", 8, 500})                  // 4000, refunded
	e.refund("wm-refund", big, 30, line{"S1", 8, 500})
	e.order("wm-refund", 20, line{"M1", 1, 300})
	e.pass()
	assert.Equal(t, sorted("wm-two-orders", "wm-exactly"), e.tagged(r))
}

// 半年未购: customers who bought before and nothing in 180 days.
func TestDormantRule(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	r := e.rule(autotag.RuleInput{Name: "半年未购", Kind: autotag.KindDormant, Days: 180, TagID: e.ruleTag["半年未购"]})
	e.order("wm-gone", 200, line{"S1", 1, 500})
	e.order("wm-back", 300, line{"S1", 1, 500})
	e.order("wm-back", 100, line{"M1", 1, 300})
	e.order("wm-active", 2, line{"S2", 1, 200})
	e.pass()
	assert.Equal(t, []string{"wm-gone"}, e.tagged(r))
	e.days(90) // wm-back's last purchase is 190 days old
	e.pass()
	assert.Equal(t, sorted("wm-gone", "wm-back"), e.tagged(r))
}

// Lifecycle: one order is 新客, two or more 复购, nothing for 90 days 沉睡, for 180 days 流失; the
// stages move with time alone, and each customer is in one stage.
func TestLifecycleRules(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	stage := map[string]autotag.Rule{}
	for _, s := range []string{autotag.StageNew, autotag.StageRepeat, autotag.StageDormant, autotag.StageLost} {
		stage[s] = e.rule(autotag.RuleInput{Name: "生命周期-" + s, Kind: autotag.KindLifecycle, Stage: s, TagID: e.ruleTag[s]})
	}
	e.order("wm-new", 10, line{"S1", 1, 500})
	e.order("wm-repeat", 50, line{"S1", 1, 500})
	e.order("wm-repeat", 10, line{"S2", 1, 200})
	e.order("wm-dormant", 150, line{"S1", 1, 500})
	e.order("wm-dormant", 120, line{"S1", 1, 500})
	e.order("wm-lost", 200, line{"M1", 1, 300})
	e.pass()
	assert.Equal(t, []string{"wm-new"}, e.tagged(stage[autotag.StageNew]))
	assert.Equal(t, []string{"wm-repeat"}, e.tagged(stage[autotag.StageRepeat]))
	assert.Equal(t, []string{"wm-dormant"}, e.tagged(stage[autotag.StageDormant]))
	assert.Equal(t, []string{"wm-lost"}, e.tagged(stage[autotag.StageLost]))

	e.days(85) // wm-new and wm-repeat fall asleep, wm-dormant is lost
	e.pass()
	assert.Empty(t, e.tagged(stage[autotag.StageNew]))
	assert.Empty(t, e.tagged(stage[autotag.StageRepeat]))
	assert.Equal(t, sorted("wm-new", "wm-repeat"), e.tagged(stage[autotag.StageDormant]))
	assert.Equal(t, sorted("wm-dormant", "wm-lost"), e.tagged(stage[autotag.StageLost]))

	e.order("wm-new", 0, line{"S1", 1, 500}) // back: a second order makes a 复购 customer, at once
	e.flush()
	assert.Equal(t, []string{"wm-new"}, e.tagged(stage[autotag.StageRepeat]))
	assert.Equal(t, []string{"wm-repeat"}, e.tagged(stage[autotag.StageDormant]))
}

// Mother-and-baby stage: the stage tag of the newest purchase of a product carrying one, within the
// rule's days; a customer has one stage.
func TestBabyStageRules(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	pregnant := e.rule(autotag.RuleInput{Name: "孕期", Kind: autotag.KindBabyStage, Days: 280, TagID: e.stage["孕期"]})
	infant := e.rule(autotag.RuleInput{Name: "0-1岁", Kind: autotag.KindBabyStage, Days: 365, TagID: e.stage["0-1岁"]})
	e.order("wm-born", 200, line{"B1", 1, 400})
	e.order("wm-born", 30, line{"B2", 2, 150}, line{"S1", 1, 500})
	e.order("wm-expecting", 60, line{"B1", 1, 400})
	e.order("wm-expecting", 5, line{"M1", 1, 300}) // not a stage product: the stage stays
	e.order("wm-long-ago", 300, line{"B1", 1, 400})
	e.order("wm-none", 3, line{"S1", 1, 500})
	e.pass()
	assert.Equal(t, []string{"wm-expecting"}, e.tagged(pregnant))
	assert.Equal(t, []string{"wm-born"}, e.tagged(infant))
}
