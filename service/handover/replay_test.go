package handover_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestReplayedDeleteUserOpensNoSecondCase: a guide's delete_user comes again (WeCom's retry, an
// admin's inbox replay) after the case it opened is done: that departure was handled and no
// second case opens. A guide who came back and left again later gets a new case.
func TestReplayedDeleteUserOpensNoSecondCase(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone", "a")
	e.customers("gone", 3)
	left := e.clock.Now()
	id := e.resign("gone")
	_, err := e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "a"})
	require.NoError(t, err)
	_, err = e.svc.Execute(e.ctx, "admin1", id)
	require.NoError(t, err)
	e.run(id)
	e.clock.Advance(24*time.Hour + time.Minute)
	e.run(id)
	c, err := e.store.GetCase(e.ctx, id)
	require.NoError(t, err)
	require.Equal(t, handover.CaseDone, c.Status)

	again := applyResignation(t, e.ctx, e.tx, e.graph, e.svc, e.store, "gone", left) // the same delete_user, replayed
	assert.Equal(t, id, again, "the departure was handled: no second case")
	assert.Len(t, e.casesOf("gone"), 1)

	// the guide comes back, gets a customer, and leaves again
	e.clock.Advance(30 * 24 * time.Hour)
	e.sim.AddUser(sim.User{UserID: "gone", Name: "导购gone", Departments: []int{10}})
	require.NoError(t, e.graph.UpsertGuide(e.ctx, service.Guide{UserID: "gone", Name: "导购gone", StoreID: 10, Status: service.GuideActive}))
	e.customers("gone", 1)
	e.clock.Advance(time.Hour)
	id2 := e.resign("gone")
	assert.NotEqual(t, id, id2, "a later departure opens a new case")
	assert.Len(t, e.casesOf("gone"), 2)
}

// casesOf lists a guide's resigned cases, newest first.
func (e *hEnv) casesOf(guide string) []handover.Case {
	e.t.Helper()
	cs, err := e.store.ListCases(e.ctx, handover.CaseFilter{Kind: handover.KindResigned, Handover: guide, Limit: 10})
	require.NoError(e.t, err)
	return cs
}
