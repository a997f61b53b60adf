package autotag_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// origin is where the tag on g1's edge to ext came from ("" if the edge lacks it).
func (e *env) origin(ext, tagID string) string {
	e.t.Helper()
	var origins []string
	require.NoError(e.t, e.db.Raw("SELECT origin FROM follow_tags WHERE corp_id = ? AND userid = 'g1' AND external_userid = ? AND tag_id = ?",
		simtest.CorpID, ext, tagID).Scan(&origins).Error)
	if len(origins) == 0 {
		return ""
	}
	return origins[0]
}

// inWeCom reports whether WeCom (the simulator) has the tag on g1's edge to ext.
func (e *env) inWeCom(ext, tagID string) bool {
	f, ok := e.wc.Sim.Follower("g1", ext)
	require.True(e.t, ok)
	for _, id := range f.TagIDs {
		if id == tagID {
			return true
		}
	}
	return false
}

func (e *env) push() autotag.PushReport {
	e.t.Helper()
	rep, err := e.svc.PushMarks(context.Background())
	require.NoError(e.t, err)
	return rep
}

type markState struct {
	Op      string
	State   string
	Errcode int
}

func (e *env) mark(ext, tagID string) markState {
	e.t.Helper()
	var ms []markState
	require.NoError(e.t, e.db.Raw("SELECT op, state, errcode FROM autotag_marks WHERE corp_id = ? AND userid = 'g1' AND external_userid = ? AND tag_id = ?",
		simtest.CorpID, ext, tagID).Scan(&ms).Error)
	if len(ms) == 0 {
		return markState{}
	}
	return ms[0]
}

// A rule that writes to WeCom marks its tag on the owner's edge once, records it as the rule's, and
// takes away only what it put there: a tag the guide set in WeCom stays, and nothing is called twice.
func TestRuleTagsAreWrittenToWeComOnce(t *testing.T) {
	e := newEnv(t, autotag.Config{})
	tag := e.ruleTag["高消费"]
	r := e.rule(autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: tag, ToWeCom: true})
	a, b := e.customer("甲"), e.customer("乙")
	require.NoError(t, e.wc.Sim.EditFollow("g1", b, "", "", []string{tag})) // the guide tagged 乙 in WeCom
	_, err := e.graph.ReconcileGuide(context.Background(), "g1", e.wc.Clock.Now())
	require.NoError(t, err)
	e.order(a, 10, line{"S1", 8, 500})
	e.order(b, 10, line{"S1", 8, 500})
	e.order("wm-not-in-graph", 10, line{"S1", 8, 500})
	e.flush() // the orders were evaluated as they came
	assert.Equal(t, markState{Op: "add", State: "pending"}, e.mark(a, tag))
	assert.Equal(t, markState{Op: "add", State: "pending"}, e.mark(b, tag))
	assert.Equal(t, autotag.PassReport{Customers: 3, Lines: 3}, e.pass(), "the pass finds nothing to change")
	assert.ElementsMatch(t, []string{a, b, "wm-not-in-graph"}, e.tagged(r), "on the cards all the same")

	pushed := e.push()
	assert.Equal(t, autotag.PushReport{Calls: 1, Written: 1, Skipped: 1}, pushed)
	assert.Equal(t, int64(1), e.marks.Load(), "乙 has the tag already: no call")
	assert.True(t, e.inWeCom(a, tag))
	assert.Equal(t, "rule", e.origin(a, tag))
	assert.Equal(t, "wecom", e.origin(b, tag))
	assert.Equal(t, markState{Op: "add", State: "done"}, e.mark(a, tag))
	e.pass()
	assert.Equal(t, autotag.PushReport{}, e.push(), "nothing new: no call")

	// WeCom's read of the edge (the edit callback, reconciliation) keeps the rule as the tag's origin.
	_, err = e.graph.ReconcileGuide(context.Background(), "g1", e.wc.Clock.Now().Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, "rule", e.origin(a, tag))

	e.days(100) // the spending leaves the 90-day window
	e.pass()
	assert.Empty(t, e.tagged(r))
	pushed = e.push()
	assert.Equal(t, 1, pushed.Calls, "the rule removes its own tag only")
	assert.False(t, e.inWeCom(a, tag))
	assert.Empty(t, e.origin(a, tag))
	assert.True(t, e.inWeCom(b, tag), "the guide's tag stays")
	assert.Equal(t, "wecom", e.origin(b, tag))
	assert.Equal(t, int64(2), e.marks.Load())
}

// WeCom's answer fails a mark for good with its errcode; a budget with no room leaves the marks for
// the next run without sending anything.
func TestMarksFailOnWeComErrorsAndWaitForTheBudget(t *testing.T) {
	e := newEnvQuota(t, autotag.Config{}, wecom.QuotaConfig{PerMinute: 1, PerHour: 100, MaxWait: time.Millisecond})
	tag := e.ruleTag["高消费"]
	e.rule(autotag.RuleInput{Name: "高消费", Kind: autotag.KindSpend, MinFen: 300000, TagID: tag, ToWeCom: true})
	gone, x, y := e.customer("丙"), e.customer("丁"), e.customer("戊")
	require.NoError(t, e.wc.Sim.CustomerDeletesGuide("g1", gone)) // the graph has not heard yet
	for _, c := range []string{gone, x, y} {
		e.order(c, 10, line{"S1", 8, 500})
	}
	e.pass()
	rep := e.push()
	assert.Equal(t, 1, rep.Calls, "one call fits the budget")
	assert.True(t, rep.Waiting)
	assert.Equal(t, int64(1), e.marks.Load(), "no call past the budget")
	states := map[string]int{}
	for _, c := range []string{gone, x, y} {
		m := e.mark(c, tag)
		states[m.State]++
		if m.State == "failed" {
			assert.Equal(t, gone, c)
			assert.Equal(t, 84061, m.Errcode, "WeCom: not the guide's customer")
		}
	}
	assert.Equal(t, 2, states["pending"], "one call was made: the others wait for the next run")

	e.wc.Clock.Advance(2 * time.Minute) // the budget refills
	rep = e.push()
	assert.Equal(t, 1, rep.Calls)
	assert.Equal(t, int64(2), e.marks.Load())
}
