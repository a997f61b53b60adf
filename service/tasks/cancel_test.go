package tasks_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom/sim"
)

// Cancelling stops the unsent 群发 in WeCom; what a guide already sent stays counted.
func TestCancelStopsWhatIsUnsent(t *testing.T) {
	e := newTEnv(t)
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	e.guide(10, "bo", "柏")
	e.customers("anna", 2)
	e.customers("bo", 2)
	task := e.create(tasks.Target{StoreIDs: []int64{10}})
	e.run(task.ID)
	e.confirm("anna")

	got, err := e.svc.Cancel(e.ctx, task.ID, "hq", tasks.AllStores)
	require.NoError(t, err)
	assert.Equal(t, tasks.StatusCancelled, got.Status)
	assert.Equal(t, tasks.PhaseDone, got.Phase)
	msgs := e.msgsOf()
	assert.True(t, msgs["bo"][0].Cancelled, "bo's unsent 群发 is stopped")
	assert.ErrorIs(t, e.sim.ConfirmGroupMsg("bo", msgs["bo"][0].MsgID), sim.ErrGroupMsgStopped)
	as := e.assignments(task.ID)
	assert.Equal(t, tasks.AssignDone, as["anna"].Status, "anna sent before the cancel")
	assert.Equal(t, 2, as["anna"].Sent)
	assert.Equal(t, tasks.AssignCancelled, as["bo"].Status)

	_, err = e.svc.Cancel(e.ctx, task.ID, "hq", tasks.AllStores)
	assert.ErrorIs(t, err, service.ErrConflict)
	mine, err := e.svc.GuideTasks(e.ctx, "bo")
	require.NoError(t, err)
	assert.Empty(t, mine, "a cancelled task leaves the guide's list")
}

// WeCom refusing a guide's 群发 (41048: none of the customers is the guide's any more in WeCom)
// fails that guide's part with the reason; the others go on.
func TestWeComRefusalFailsOneGuide(t *testing.T) {
	e := newTEnv(t)
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	e.guide(10, "bo", "柏")
	e.customers("anna", 2)
	gone := e.customers("bo", 1)
	require.NoError(t, e.sim.CustomerDeletesGuide("bo", gone[0])) // WeCom knows; the graph has not heard yet
	task := e.create(tasks.Target{StoreIDs: []int64{10}})
	e.run(task.ID)
	as := e.assignments(task.ID)
	assert.Equal(t, tasks.AssignFailed, as["bo"].Status)
	assert.Contains(t, as["bo"].Reason, "41048")
	assert.Equal(t, 1, as["bo"].Failed)
	assert.Equal(t, tasks.RecipInvalid, e.recipients(task.ID)[gone[0]])
	assert.Equal(t, tasks.AssignWaiting, as["anna"].Status)

	e.clock.Advance(time.Hour)
	_, err := e.svc.Remind(e.ctx, task.ID, []string{"bo"}, "hq", tasks.AllStores)
	require.NoError(t, err)
	rep, err := e.svc.Remind(e.ctx, task.ID, nil, "hq", tasks.AllStores)
	require.NoError(t, err)
	assert.Equal(t, []string{"anna"}, rep.Reminded, "only guides who have not sent")
	for range 3 {
		_, err = e.svc.Remind(e.ctx, task.ID, nil, "hq", tasks.AllStores)
		require.NoError(t, err)
	}
	rep, err = e.svc.Remind(e.ctx, task.ID, []string{"anna", "nobody"}, "hq", tasks.AllStores)
	require.NoError(t, err)
	assert.Empty(t, rep.Reminded)
	require.Len(t, rep.Skipped, 2)
	assert.Contains(t, rep.Skipped[0].Reason, "最多提醒3次", "WeCom's 3 a day, counted before calling")
	assert.Equal(t, 3, e.msgsOf()["anna"][0].Reminds)
	assert.Equal(t, 3, e.callCount("remind_groupmsg_send"), "the fourth was never sent to WeCom")
}

// A cancel while another runner holds the task leaves it due: that runner's next step, or the
// sweep once the lease is free, stops its 群发.
func TestCancelWhileAnotherRunnerHoldsTheTask(t *testing.T) {
	e := newTEnv(t)
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	e.customers("anna", 1)
	task := e.create(tasks.Target{StoreIDs: []int64{10}})
	e.run(task.ID)
	ok, err := e.store.ClaimTask(e.ctx, task.ID, "runner-2", e.clock.Now(), time.Minute)
	require.NoError(t, err)
	require.True(t, ok)

	got, err := e.svc.Cancel(e.ctx, task.ID, "hq", tasks.AllStores)
	require.NoError(t, err)
	assert.Equal(t, tasks.StatusCancelled, got.Status)
	assert.Equal(t, tasks.PhaseTrack, got.Phase, "runner-2 holds it: not finished yet")
	assert.False(t, e.msgsOf()["anna"][0].Cancelled)

	require.NoError(t, e.store.ReleaseTask(e.ctx, task.ID, "runner-2"))
	n, err := e.svc.RunDue(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the cancelled task is due at once")
	assert.True(t, e.msgsOf()["anna"][0].Cancelled)
	assert.Equal(t, tasks.AssignCancelled, e.assignments(task.ID)["anna"].Status)
}
