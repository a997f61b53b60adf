package autotag_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
)

// Each bad rule is refused naming the field; a tag named but not in the corp is created in WeCom
// (add_corp_tag) and read into the graph, so the rule lists it by name.
func TestRuleInputAndTagCreation(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	ctx := context.Background()
	tag := e.ruleTag["高消费"]
	bad := []struct {
		in    autotag.RuleInput
		field string
	}{
		{autotag.RuleInput{Kind: autotag.KindDormant, TagID: tag}, "name"},
		{autotag.RuleInput{Name: "x", Kind: "vip", TagID: tag}, "kind"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindCategory, Days: 30, TagID: tag}, "category"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindCategory, Category: "护肤", TagID: tag}, "days"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindSpend, TagID: tag}, "min_fen"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindLifecycle, Stage: "活跃", TagID: tag}, "stage"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindLifecycle, Stage: "沉睡", Days: 90, LostDays: 60, TagID: tag}, "lost_days"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindDormant, Stage: "沉睡", TagID: tag}, "stage"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindDormant, Days: -1, TagID: tag}, "days"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindDormant, TagID: "et-nope"}, "tag_id"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindDormant}, "tag_id"},
		{autotag.RuleInput{Name: "x", Kind: autotag.KindDormant, TagName: "一个超过三十个字的标签名称一个超过三十个字的标签名称一二三四五"}, "tag_name"},
	}
	for _, b := range bad {
		_, err := e.svc.CreateRule(ctx, b.in)
		var ve *service.ValidationError
		require.ErrorAs(t, err, &ve, "%+v", b.in)
		assert.Equal(t, b.field, ve.Field, "%+v", b.in)
	}

	r := e.rule(autotag.RuleInput{Name: "会员日买过", Kind: autotag.KindCategory, Category: "美妆", Days: 7, TagName: "会员日顾客"})
	assert.NotEmpty(t, r.TagID)
	assert.Equal(t, r.TagID, e.wc.Sim.TagID(autotag.DefaultTagGroup, "会员日顾客"), "created in WeCom's 自动标签 group")
	again := e.rule(autotag.RuleInput{Name: "会员日买过 2", Kind: autotag.KindCategory, Category: "美妆", Days: 7, TagName: "会员日顾客"})
	assert.Equal(t, r.TagID, again.TagID, "found by name the second time")
	rules, err := e.svc.Rules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, 2)
	assert.Equal(t, "会员日顾客", rules[0].TagName, "the graph read the new tag")

	_, err = e.svc.CreateRule(ctx, autotag.RuleInput{Name: "会员日买过", Kind: autotag.KindDormant, TagID: tag})
	assert.ErrorIs(t, err, service.ErrConflict, "names are unique")
	_, err = e.svc.UpdateRule(ctx, 999, autotag.RuleInput{Name: "y", Kind: autotag.KindDormant, TagID: tag})
	assert.ErrorIs(t, err, service.ErrNotFound)
	assert.ErrorIs(t, e.svc.DeleteRule(ctx, 999), service.ErrNotFound)
}

// A refund takes the tag away at once; a deleted rule's tags leave the cards; a rule that starts
// writing to WeCom marks its customers from scratch.
func TestRefundsDeletesAndUpdates(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	ctx := context.Background()
	tag := e.ruleTag["高消费"]
	r := e.rule(autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: tag})
	a := e.customer("甲")
	id := e.order(a, 10, line{"S1", 8, 500})
	e.flush()
	assert.Equal(t, []string{a}, e.tagged(r))
	e.refund(a, id, 10, line{"S1", 8, 500})
	e.flush()
	assert.Empty(t, e.tagged(r), "refunded: under the threshold")
	e.order(a, 5, line{"S1", 8, 500})
	e.flush()
	assert.Equal(t, []string{a}, e.tagged(r))
	assert.Equal(t, markState{}, e.mark(a, tag), "the rule keeps its tag in guidebox")

	_, err := e.svc.UpdateRule(ctx, r.ID, autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: tag, ToWeCom: true})
	require.NoError(t, err)
	e.pass()
	assert.Equal(t, markState{Op: "add", State: "pending"}, e.mark(a, tag), "marked now")

	require.NoError(t, e.svc.DeleteRule(ctx, r.ID))
	assert.Empty(t, e.tagged(r))
	assert.Equal(t, markState{}, e.mark(a, tag), "its pending marks go too")
}

// The pass reads customers a page at a time, whole: a page may hold one customer with more lines
// than a page; the customers between pages and after the last lose tags they no longer have.
func TestPassPagesThroughEveryCustomer(t *testing.T) {
	e := newEnv(t, autotag.Config{PageLines: 3})
	r := e.rule(autotag.RuleInput{Name: "近30天护肤", Kind: autotag.KindCategory, Category: "护肤", Days: 30, TagID: e.ruleTag["护肤达人"]})
	var want []string
	for i := range 12 {
		ext := fmt.Sprintf("wm-%02d", i)
		for k := 0; k <= i%3; k++ {
			e.order(ext, 5+k, line{"S1", 1, 500})
		}
		want = append(want, ext)
	}
	e.order("wm-05", 1, line{"M1", 1, 300}, line{"M1", 2, 300}, line{"S2", 1, 200}, line{"M1", 1, 300})
	e.flush()
	require.NoError(t, e.db.Exec("DELETE FROM customer_auto_tags").Error)
	require.NoError(t, e.db.Exec("INSERT INTO customer_auto_tags (corp_id, external_userid, rule_id, tag_id, since) VALUES (?, 'wm-zz', ?, ?, NOW())",
		"wwtestcorp00000001", r.ID, r.TagID).Error)
	rep := e.pass()
	assert.Equal(t, 12, rep.Customers)
	assert.Equal(t, 12, rep.Added)
	assert.Equal(t, 1, rep.Removed, "wm-zz has no orders")
	assert.Equal(t, want, e.tagged(r))
}
