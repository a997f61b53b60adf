package autotag_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/autotag"
)

// A rule switched off keeps its definition, loses its tags on the cards at once and gives none at the
// next order or pass; switched on again, the next pass gives them back. An update that does not say
// leaves the switch as it was.
func TestRuleSwitchedOffAndOn(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	ctx := context.Background()
	tag := e.ruleTag["高消费"]
	in := autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: tag}
	r := e.rule(in)
	assert.True(t, r.Enabled, "a new rule is on")
	a := e.customer("甲")
	e.order(a, 10, line{"S1", 8, 500})
	e.flush()
	require.Equal(t, []string{a}, e.tagged(r))

	off := false
	in.Enabled = &off
	r, err := e.svc.UpdateRule(ctx, r.ID, in)
	require.NoError(t, err)
	assert.False(t, r.Enabled)
	assert.Empty(t, e.tagged(r), "switched off: its tags leave the cards")
	e.order(a, 1, line{"S1", 8, 500})
	e.flush()
	e.pass()
	assert.Empty(t, e.tagged(r), "and come back neither with an order nor in a pass")
	rules, err := e.svc.Rules(ctx)
	require.NoError(t, err)
	require.Len(t, rules, 1, "the rule is kept")
	assert.False(t, rules[0].Enabled)
	assert.Zero(t, rules[0].Customers)

	in.Enabled, in.Name = nil, "高消费客户"
	r, err = e.svc.UpdateRule(ctx, r.ID, in)
	require.NoError(t, err)
	assert.False(t, r.Enabled, "an update without enabled keeps the switch")

	on := true
	in.Enabled = &on
	r, err = e.svc.UpdateRule(ctx, r.ID, in)
	require.NoError(t, err)
	assert.True(t, r.Enabled)
	e.pass()
	assert.Equal(t, []string{a}, e.tagged(r), "switched on: the next pass gives the tag again")
}
