package tasks_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom/sim"
)

// TestTaskFromCreationToDeadline follows one task through WeCom: a 群发 per guide of the target
// store (a shared customer goes to their owner only), two guides send in the client, the third never
// does: reminded once near the deadline, missed after it, their 群发 stopped.
func TestTaskFromCreationToDeadline(t *testing.T) {
	e := newTEnv(t)
	e.addStore(10, "徐汇店")
	e.addStore(20, "静安店")
	e.guide(10, "anna", "安娜")
	e.guide(10, "bo", "柏")
	e.guide(10, "chen", "陈")
	e.guide(20, "dai", "戴")
	xa := e.customers("anna", 3)
	xb := e.customers("bo", 2)
	xc := e.customers("chen", 2)
	e.customers("dai", 2)
	e.follow("bo", xa[2], e.clock.Now().Add(-time.Hour)) // anna's customer also adds bo, later: still anna's

	task := e.create(tasks.Target{StoreIDs: []int64{10}})
	e.run(task.ID)

	msgs := e.msgsOf()
	require.Len(t, msgs, 3, "one 群发 per guide of 徐汇店, none for 静安店's guide")
	assert.ElementsMatch(t, xa, msgs["anna"][0].Customers)
	assert.ElementsMatch(t, xb, msgs["bo"][0].Customers, "the shared customer is anna's alone")
	assert.ElementsMatch(t, xc, msgs["chen"][0].Customers)
	assert.Equal(t, "您好，春季新品已到店，欢迎来试穿～", msgs["anna"][0].Text)
	assert.JSONEq(t, `{"msgtype":"link","link":{"title":"春季新品","desc":"全场新品9折","url":"https://shop.example.com/spring"}}`,
		string(msgs["anna"][0].Attachments[0]))
	as := e.assignments(task.ID)
	for _, g := range []string{"anna", "bo", "chen"} {
		assert.Equal(t, tasks.AssignWaiting, as[g].Status, "WeCom waits for %s to confirm", g)
	}
	assert.Equal(t, 3, as["anna"].Customers)

	e.clock.Advance(time.Hour)
	e.confirm("anna")
	e.confirm("bo")
	e.clock.Advance(30 * time.Minute)
	e.run(task.ID)
	as = e.assignments(task.ID)
	assert.Equal(t, tasks.AssignDone, as["anna"].Status)
	assert.Equal(t, 3, as["anna"].Sent)
	require.NotNil(t, as["anna"].CompletedAt)
	assert.Equal(t, t0.Add(time.Hour), as["anna"].CompletedAt.UTC(), "when anna sent it, per get_groupmsg_task")
	assert.Equal(t, tasks.AssignDone, as["bo"].Status)
	assert.Equal(t, tasks.AssignWaiting, as["chen"].Status)
	rs := e.recipients(task.ID)
	assert.Equal(t, tasks.RecipSent, rs[xa[0]])
	assert.Equal(t, tasks.RecipWaiting, rs[xc[0]])
	done := e.done.all()
	require.Len(t, done, 2, "the KPI port hears anna and bo complete")
	assert.ElementsMatch(t, []string{"anna", "bo"}, []string{done[0].UserID, done[1].UserID})

	polls := e.callCount("get_groupmsg_task")
	e.run(task.ID)
	assert.Equal(t, polls+1, e.callCount("get_groupmsg_task"), "only chen, who has not sent, is read again")
	assert.Len(t, e.done.all(), 2, "a completion is heard once")

	e.clock.Advance(48*time.Hour - 90*time.Minute - 2*time.Hour) // 2 h before the deadline
	e.run(task.ID)
	e.run(task.ID)
	msgs = e.msgsOf()
	assert.Equal(t, 1, msgs["chen"][0].Reminds, "chen, behind, is reminded once")
	assert.Zero(t, msgs["anna"][0].Reminds)
	as = e.assignments(task.ID)
	assert.Equal(t, 1, as["chen"].Reminders)
	view, err := e.svc.View(e.ctx, task.ID, tasks.AllStores)
	require.NoError(t, err)
	require.Len(t, view.Guides, 3)
	assert.Equal(t, "陈", view.Guides[0].Name, "the guide behind comes first")
	assert.True(t, view.Guides[0].Behind)
	assert.Equal(t, "徐汇店", view.Guides[0].StoreName)

	e.clock.Advance(2*time.Hour + time.Minute) // past the deadline
	e.run(task.ID)
	closed, err := e.store.GetTask(e.ctx, task.ID)
	require.NoError(t, err)
	assert.Equal(t, tasks.StatusClosed, closed.Status)
	assert.Equal(t, tasks.PhaseDone, closed.Phase)
	assert.Nil(t, closed.NextRunAt)
	as = e.assignments(task.ID)
	assert.Equal(t, tasks.AssignMissed, as["chen"].Status, "chen never sent: not done")
	assert.Equal(t, tasks.AssignDone, as["anna"].Status)
	assert.Equal(t, tasks.RecipUnsent, e.recipients(task.ID)[xc[1]])
	assert.True(t, e.msgsOf()["chen"][0].Cancelled, "the unsent 群发 is stopped: nothing goes out late")
	assert.ErrorIs(t, e.sim.ConfirmGroupMsg("chen", msgs["chen"][0].MsgID), sim.ErrGroupMsgStopped)

	view, err = e.svc.View(e.ctx, task.ID, tasks.AllStores)
	require.NoError(t, err)
	require.Len(t, view.Stores, 1)
	assert.Equal(t, tasks.StoreProgress{StoreID: 10, Name: "徐汇店", Totals: tasks.Totals{Guides: 3, Done: 2, Customers: 7, Sent: 5}}, view.Stores[0])
	mine, err := e.svc.GuideTasks(e.ctx, "chen")
	require.NoError(t, err)
	require.Len(t, mine, 1)
	assert.Equal(t, tasks.AssignMissed, mine[0].Assignment.Status)

	calls := e.callCount("add_msg_template") + e.callCount("get_groupmsg_task") + e.callCount("cancel_groupmsg_send")
	_, err = e.svc.RunTask(e.ctx, task.ID)
	require.NoError(t, err)
	assert.Equal(t, calls, e.callCount("add_msg_template")+e.callCount("get_groupmsg_task")+e.callCount("cancel_groupmsg_send"),
		"a closed task calls WeCom no more")
	assert.Equal(t, 3, e.callCount("add_msg_template"))
}

// TestCustomerWhoReceivedTodayIsRefused: under the corp's 群发规则 of one a day, a customer who got
// the first task's 群发 today is refused the second's by WeCom, and the task reports it.
func TestCustomerWhoReceivedTodayIsRefused(t *testing.T) {
	e := newTEnv(t)
	e.sim.SetGroupMsgRule(sim.GroupMsgPerDay)
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	vip := e.customers("anna", 1, "tag-vip")
	rest := e.customers("anna", 2)

	first := e.create(tasks.Target{TagIDs: []string{"tag-vip"}})
	e.run(first.ID)
	require.Len(t, e.msgsOf()["anna"], 1)
	assert.Equal(t, vip, e.msgsOf()["anna"][0].Customers, "only the tagged customer")
	e.confirm("anna")

	e.clock.Advance(time.Hour)
	second := e.create(tasks.Target{StoreIDs: []int64{10}})
	e.run(second.ID)
	e.confirm("anna")
	e.run(second.ID)
	rs := e.recipients(second.ID)
	assert.Equal(t, tasks.RecipLimited, rs[vip[0]], "already received the corp's 群发 today")
	assert.Equal(t, tasks.RecipSent, rs[rest[0]])
	a := e.assignments(second.ID)["anna"]
	assert.Equal(t, tasks.AssignDone, a.Status, "anna did her part")
	assert.Equal(t, 2, a.Sent)
	assert.Equal(t, 1, a.Failed)
	view, err := e.svc.View(e.ctx, second.ID, tasks.AllStores)
	require.NoError(t, err)
	assert.Equal(t, tasks.Totals{Guides: 1, Done: 1, Customers: 3, Sent: 2, Failed: 1}, view.Totals)
}

// TestGuideSplitPerCall: a guide's customers are cut into WeCom's per-call size.
func TestGuideSplitPerCall(t *testing.T) {
	e := newTEnv(t, func(c *tasks.Config) { c.PerSend = 2; c.PageSize = 2 })
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	ids := e.customers("anna", 5)
	task := e.create(tasks.Target{ExternalUserIDs: ids})
	e.run(task.ID)
	msgs := e.msgsOf()["anna"]
	require.Len(t, msgs, 3, "5 customers, 2 a call")
	var all []string
	for _, m := range msgs {
		assert.LessOrEqual(t, len(m.Customers), 2)
		all = append(all, m.Customers...)
	}
	slices.Sort(all)
	slices.Sort(ids)
	assert.Equal(t, ids, all, "each customer once")
	e.confirm("anna")
	e.run(task.ID)
	a := e.assignments(task.ID)["anna"]
	assert.Equal(t, tasks.AssignDone, a.Status, "done once every 群发 of hers is sent")
	assert.Equal(t, 5, a.Sent)
}
