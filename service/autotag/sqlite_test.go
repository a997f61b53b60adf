package autotag_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/wecom"
)

// The embedded SQLite default (make run) evaluates rules after orders and in the pass, and writes a
// rule's tag to WeCom.
func TestAutoTagsOnSQLite(t *testing.T) {
	e := newEnvOn(t, repotest.NewSQLite(t), autotag.Config{PageLines: 2}, wecom.QuotaConfig{Disabled: true})
	tag := e.ruleTag["高消费"]
	spend := e.rule(autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: tag, ToWeCom: true})
	lost := e.rule(autotag.RuleInput{Name: "流失", Kind: autotag.KindLifecycle, Stage: autotag.StageLost, TagID: e.ruleTag["流失"]})
	a := e.customer("甲")
	e.order(a, 10, line{"S1", 8, 500})
	e.order("wm-old", 300, line{"M1", 1, 300})
	e.order("wm-old2", 200, line{"M1", 1, 300}, line{"S1", 1, 500})
	e.flush()
	assert.Equal(t, []string{a}, e.tagged(spend))
	e.pass()
	assert.Equal(t, []string{"wm-old", "wm-old2"}, e.tagged(lost))
	assert.Equal(t, autotag.PushReport{Calls: 1, Written: 1}, e.push())
	assert.True(t, e.inWeCom(a, tag))
	assert.Equal(t, "rule", e.origin(a, tag))
	e.days(100)
	e.pass()
	assert.Empty(t, e.tagged(spend))
	e.push()
	assert.False(t, e.inWeCom(a, tag))
}
