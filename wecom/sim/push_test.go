package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/callback"
)

// lastDelivery flushes and returns the newest delivery record.
func (e *env) lastDelivery(t *testing.T) Delivery {
	e.flush(t)
	d := e.sim.Delivered()
	require.NotEmpty(t, d)
	return d[len(d)-1]
}

func TestPushDeliversSignedEncryptedXML(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	d := e.lastDelivery(t)
	assert.True(t, d.OK)
	assert.Equal(t, 1, d.Attempts)
	assert.Equal(t, "text/xml", e.recv.ctype.Load())
	msgs := e.recv.messages()
	require.Len(t, msgs, 3)
	add := msgs[2]
	assert.Equal(t, testCorpID, add.ToUserName)
	assert.Equal(t, "sys", add.FromUserName)
	assert.Equal(t, t0.Unix(), add.CreateTime, "event time is the sim clock")
	assert.Equal(t, "add_external_contact", add.ChangeType)
	assert.Equal(t, ext, add.ExternalUserID)
	assert.Equal(t, "qr_store1", add.State)
	assert.NotEmpty(t, add.WelcomeCode)
}

func TestPushRetriesOn500(t *testing.T) {
	e := newEnv(t)
	e.recv.fail.Store(2)
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三"})
	d := e.lastDelivery(t)
	assert.True(t, d.OK)
	assert.Equal(t, 3, d.Attempts)
	assert.Len(t, e.recv.messages(), 1)
}

func TestPushRetriesOnTimeout(t *testing.T) {
	e := newEnv(t) // PushTimeout 150 ms; the receiver hangs 300 ms once
	e.recv.hang.Store(1)
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三"})
	d := e.lastDelivery(t)
	assert.True(t, d.OK)
	assert.Equal(t, 2, d.Attempts)
}

func TestPushGivesUpAfterThreeRetries(t *testing.T) {
	e := newEnv(t)
	e.recv.fail.Store(100)
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三"})
	d := e.lastDelivery(t)
	assert.False(t, d.OK)
	assert.Equal(t, 4, d.Attempts, "one try and three retries")
	assert.Equal(t, 500, d.Status)
	assert.Equal(t, int32(4), e.recv.hits.Load())
}

func TestPushOrderedAndFlush(t *testing.T) {
	e := newEnv(t)
	for i := range 30 {
		e.sim.AddUser(User{UserID: fmt.Sprintf("u%02d", i), Name: "导购"})
	}
	e.flush(t)
	msgs := e.recv.messages()
	require.Len(t, msgs, 30)
	for i, m := range msgs {
		assert.Equal(t, fmt.Sprintf("u%02d", i), m.UserID)
	}
}

func TestPushSyncConcurrentAndPaused(t *testing.T) {
	e := newEnv(t)
	msg := &callback.Message{ToUserName: testCorpID, FromUserName: "sys", CreateTime: 1, MsgType: "event",
		Event: "change_external_contact", ChangeType: "del_follow_user", UserID: "a", ExternalUserID: "b"}
	d, err := e.sim.Push(e.ctx, msg)
	require.NoError(t, err)
	assert.True(t, d.OK)

	batch := make([]*callback.Message, 20)
	for i := range batch {
		batch[i] = msg
	}
	for _, d := range e.sim.PushConcurrent(e.ctx, batch, 4) {
		assert.True(t, d.OK)
	}
	assert.Len(t, e.recv.messages(), 21)

	e.sim.SetPushPaused(true)
	e.sim.AddUser(User{UserID: "x1"})
	e.sim.AddUser(User{UserID: "x2"})
	ctx, cancel := context.WithTimeout(e.ctx, 20*time.Millisecond)
	defer cancel()
	assert.Error(t, e.sim.Flush(ctx), "paused queue does not drain")
	q := e.sim.TakeQueued()
	require.Len(t, q, 2)
	_, err = e.sim.Push(e.ctx, q[1]) // deliver out of order
	require.NoError(t, err)
	e.sim.SetPushPaused(false)
	e.flush(t)
	assert.Equal(t, "x2", e.recv.messages()[21].UserID)

	noURL, err := New(Config{})
	require.NoError(t, err)
	_, err = noURL.Push(e.ctx, msg)
	assert.ErrorIs(t, err, ErrNotDelivered)
}
