package workbench_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// A task (导购任务) sends corp materials: a link card as it is, a picture by a WeCom media id uploaded
// once; guides' own and unknown materials are left out, a mini-program card is refused naming it.
func TestTaskMaterials(t *testing.T) {
	t.Parallel()
	env := simtest.New(t)
	e := newWBEnv(t, wecom.NewMaterials(env.Client))
	e.mu.Lock()
	e.now = env.Clock.Now() // one clock for WeCom and the service
	e.mu.Unlock()
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -1, 0))
	g, err := e.svc.SaveGroup(e.ctx, admin, workbench.Group{Library: workbench.LibraryMaterial, Name: "新品"}, true)
	require.NoError(t, err)
	link, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindLink, Title: "秋冬新品",
		URL: "https://shop.example.com/new", Content: "限时 8 折", PicURL: "/sidebar/cover.png"}, true)
	require.NoError(t, err)
	img, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindImage, Title: "海报"}, true)
	require.NoError(t, err)
	require.NoError(t, e.svc.PutImage(e.ctx, admin, img.ID, tinyPNG, true))
	mine, err := e.svc.SaveGroup(e.ctx, amy, workbench.Group{Library: workbench.LibraryMaterial, Name: "我的"}, false)
	require.NoError(t, err)
	own, err := e.svc.SaveItem(e.ctx, amy, workbench.Item{GroupID: mine.ID, Kind: workbench.KindLink, Title: "我的链接", URL: "https://a.example.com"}, false)
	require.NoError(t, err)
	id := func(n int64) string { return fmt.Sprint(n) }

	ms, err := e.svc.TaskMaterials(e.ctx, []string{id(img.ID), id(link.ID), id(own.ID), "999999", "x"})
	require.NoError(t, err)
	require.Len(t, ms, 2, "a guide's own and unknown materials are left out")
	assert.Equal(t, workbench.TaskMaterial{ID: id(link.ID), Kind: workbench.KindLink, Title: "秋冬新品", URL: "https://shop.example.com/new",
		Desc: "限时 8 折"}, ms[1], "a site-relative cover is not sent")
	assert.Equal(t, workbench.KindImage, ms[0].Kind)
	require.Len(t, env.Sim.MediaUploads(), 1)
	assert.Equal(t, env.Sim.MediaUploads()[0].MediaID, ms[0].MediaID, "the picture went to WeCom")
	again, err := e.svc.TaskMaterials(e.ctx, []string{id(img.ID)})
	require.NoError(t, err)
	assert.Equal(t, ms[0].MediaID, again[0].MediaID, "and is reused")

	mini, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindMiniProgram, Title: "会员中心",
		AppID: "wx1234567890abcdef", Page: "pages/index/index.html", PicURL: "https://a.example.com/c.png"}, true)
	require.NoError(t, err)
	_, err = e.svc.TaskMaterials(e.ctx, []string{id(mini.ID)})
	var ve *service.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "material_ids", ve.Field)
}

// A task's target by stage: the stage by its live name, and which customers stand in it now.
func TestTaskStages(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	e.stages()
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -1, 0))
	e.follow("amy", "wmC2", "林先生", e.clock().AddDate(0, -1, 0))
	_, err := e.svc.AddNote(e.ctx, amy, "wmC1", workbench.NoteInput{Body: "想买面霜", StageID: "intent"})
	require.NoError(t, err)
	_, err = e.svc.AddNote(e.ctx, amy, "wmC2", workbench.NoteInput{Body: "已下单", StageID: "deal"})
	require.NoError(t, err)

	ok, err := e.svc.KnownStage(e.ctx, "有意向")
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = e.svc.KnownStage(e.ctx, "intent")
	require.NoError(t, err)
	assert.False(t, ok, "by name, not id")
	in, err := e.svc.InStage(e.ctx, "有意向", []string{"wmC1", "wmC2", "wmC9"})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"wmC1": true}, in)

	_, err = e.svc.SetStages(e.ctx, admin, []workbench.Stage{{StageID: "deal", Name: "已成交"}})
	require.NoError(t, err)
	ok, err = e.svc.KnownStage(e.ctx, "有意向")
	require.NoError(t, err)
	assert.False(t, ok, "a stage taken out of the pipeline is no target")
}
