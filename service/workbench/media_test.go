package workbench_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/simtest"
)

var tinyPNG = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)

// An image material goes to WeCom (the simulator's media/upload) once; its media id is reused until
// an hour before WeCom's 3 days run out, then the picture is uploaded again.
func TestImageMediaIsReusedWhileValid(t *testing.T) {
	t.Parallel()
	env := simtest.New(t)
	e := newWBEnv(t, wecom.NewMaterials(env.Client))
	e.mu.Lock()
	e.now = env.Clock.Now() // one clock for WeCom and the service
	e.mu.Unlock()
	advance := func(d time.Duration) {
		env.Clock.Advance(d)
		e.advance(d)
	}
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -1, 0))
	g, err := e.svc.SaveGroup(e.ctx, admin, workbench.Group{Library: workbench.LibraryMaterial, Name: "新品"}, true)
	require.NoError(t, err)
	it, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindImage, Title: "海报"}, true)
	require.NoError(t, err)
	require.NoError(t, e.svc.PutImage(e.ctx, admin, it.ID, tinyPNG, true))
	to := workbench.Target{ExternalUserID: "wmC1"}

	first, err := e.svc.Message(e.ctx, amy, it.ID, to)
	require.NoError(t, err)
	assert.Equal(t, "image", first.MsgType)
	require.Len(t, env.Sim.MediaUploads(), 1)
	assert.Equal(t, env.Sim.MediaUploads()[0].MediaID, first.MediaID)

	advance(70 * time.Hour)
	again, err := e.svc.Message(e.ctx, amy, it.ID, to)
	require.NoError(t, err)
	assert.Equal(t, first.MediaID, again.MediaID, "reused within 3 days")
	assert.Len(t, env.Sim.MediaUploads(), 1)

	advance(2 * time.Hour) // 72 h: WeCom forgets the id
	assert.False(t, env.Sim.MediaValid(first.MediaID))
	renewed, err := e.svc.Message(e.ctx, amy, it.ID, to)
	require.NoError(t, err)
	assert.NotEqual(t, first.MediaID, renewed.MediaID, "uploaded again")
	assert.True(t, env.Sim.MediaValid(renewed.MediaID))
	assert.Len(t, env.Sim.MediaUploads(), 2)

	require.NoError(t, e.svc.PutImage(e.ctx, admin, it.ID, append(tinyPNG, 1), true))
	replaced, err := e.svc.Message(e.ctx, amy, it.ID, to)
	require.NoError(t, err)
	assert.NotEqual(t, renewed.MediaID, replaced.MediaID, "a new picture is uploaded at once")
}
