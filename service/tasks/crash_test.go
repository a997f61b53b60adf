package tasks_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/tasks"
)

var errCrash = errors.New("crash")

// crashEnv has two guides with customers and a task to both.
func crashEnv(t *testing.T, hooks tasks.Hooks) (*tEnv, tasks.Task) {
	e := newTEnv(t, func(c *tasks.Config) { c.Hooks = hooks; c.Lease = time.Minute })
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	e.guide(10, "bo", "柏")
	e.customers("anna", 2)
	e.customers("bo", 2)
	return e, e.create(tasks.Target{StoreIDs: []int64{10}})
}

// restart is a new process after the crashed one's lease has run out.
func (e *tEnv) restart() {
	e.clock.Advance(2 * time.Minute)
	cfg := e.cfg
	cfg.Owner, cfg.Hooks = "runner-2", tasks.Hooks{}
	e.svc = e.newService(cfg)
}

// A crash after the send is recorded and before WeCom is called: the next runner finds no such 群发
// in WeCom (get_groupmsg_list_v2) and sends it, once.
func TestCrashBeforeTheCallSendsOnce(t *testing.T) {
	crashed := false
	e, task := crashEnv(t, tasks.Hooks{AfterSendRecorded: func(sd tasks.Send) error {
		if sd.UserID == "bo" && !crashed {
			crashed = true
			return errCrash
		}
		return nil
	}})
	_, err := e.svc.RunTask(e.ctx, task.ID)
	require.ErrorIs(t, err, errCrash)
	assert.Len(t, e.msgsOf()["anna"], 1)
	assert.Empty(t, e.msgsOf()["bo"], "bo's call was never made")

	e.restart()
	e.run(task.ID)
	msgs := e.msgsOf()
	assert.Len(t, msgs["anna"], 1, "anna's 群发 is not made again")
	assert.Len(t, msgs["bo"], 1, "bo's is made now, once")
	assert.Equal(t, 1, e.callCount("get_groupmsg_list_v2"), "the recorded send was looked up first")
	as := e.assignments(task.ID)
	assert.Equal(t, tasks.AssignWaiting, as["anna"].Status)
	assert.Equal(t, tasks.AssignWaiting, as["bo"].Status)
}

// A crash after WeCom created the 群发 and before its msgid was stored: the next runner finds it in
// WeCom and adopts it instead of creating a second one.
func TestCrashAfterTheCallSendsOnce(t *testing.T) {
	crashed := false
	e, task := crashEnv(t, tasks.Hooks{AfterSendCreated: func(sd tasks.Send, _ string) error {
		if sd.UserID == "bo" && !crashed {
			crashed = true
			return errCrash
		}
		return nil
	}})
	_, err := e.svc.RunTask(e.ctx, task.ID)
	require.ErrorIs(t, err, errCrash)
	require.Len(t, e.msgsOf()["bo"], 1, "WeCom created bo's 群发")

	e.restart()
	e.run(task.ID)
	msgs := e.msgsOf()
	require.Len(t, msgs["bo"], 1, "not created twice")
	assert.Len(t, msgs["anna"], 1)
	sends, err := e.store.Sends(e.ctx, tasks.SendFilter{TaskID: task.ID, UserID: "bo"})
	require.NoError(t, err)
	require.Len(t, sends, 1)
	assert.Equal(t, tasks.SendCreated, sends[0].State)
	assert.Equal(t, msgs["bo"][0].MsgID, sends[0].MsgID, "the send adopted WeCom's msgid")

	e.confirm("bo")
	e.run(task.ID)
	assert.Equal(t, tasks.AssignDone, e.assignments(task.ID)["bo"].Status)
	assert.Equal(t, 2, e.assignments(task.ID)["bo"].Sent)
}

// A runner that lost its lease (it stalled past it and another took the task) stops before calling
// WeCom again.
func TestStalledRunnerStopsAtItsLease(t *testing.T) {
	var e *tEnv
	stalled := false
	e, task := crashEnv(t, tasks.Hooks{AfterSendRecorded: func(sd tasks.Send) error {
		if !stalled {
			stalled = true
			e.clock.Advance(2 * time.Minute) // stalls past its lease; another runner takes the task
			ok, err := e.store.ClaimTask(e.ctx, sd.TaskID, "runner-2", e.clock.Now(), time.Minute)
			require.NoError(t, err)
			require.True(t, ok)
		}
		return nil
	}})
	_, err := e.svc.RunTask(e.ctx, task.ID)
	require.ErrorIs(t, err, tasks.ErrLeaseLost)
	assert.Empty(t, e.sim.GroupMsgs(), "no call after the lease was lost")
}
