package workbench_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

// Corp replies are read by every guide and edited by admins only; a guide's own replies are that
// guide's alone: another guide gets ErrNotFound for them, whatever the operation.
func TestReplyVisibility(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -1, 0))
	e.follow("bob", "wmC2", "吴先生", e.clock().AddDate(0, -1, 0))

	corpG, err := e.svc.SaveGroup(e.ctx, admin, workbench.Group{Library: workbench.LibraryReply, Name: "开场白"}, true)
	require.NoError(t, err)
	corpItem, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: corpG.ID, Kind: workbench.KindText, Title: "问候",
		Content: "您好，我是您的专属导购，有任何需要随时找我～"}, true)
	require.NoError(t, err)
	_, err = e.svc.SaveGroup(e.ctx, amy, workbench.Group{Library: workbench.LibraryReply, Name: "x"}, true)
	assert.ErrorIs(t, err, service.ErrForbidden, "a guide cannot create corp groups")

	mine, err := e.svc.SaveGroup(e.ctx, amy, workbench.Group{Library: workbench.LibraryReply, Name: "我的话术"}, false)
	require.NoError(t, err)
	amyItem, err := e.svc.SaveItem(e.ctx, amy, workbench.Item{GroupID: mine.ID, Kind: workbench.KindText, Content: "周末到店有小礼物哦"}, false)
	require.NoError(t, err)

	lib, err := e.svc.Library(e.ctx, amy, workbench.LibraryReply, "")
	require.NoError(t, err)
	require.Len(t, lib, 2, "the corp's and amy's own")
	assert.Equal(t, "开场白", lib[0].Name)
	lib, err = e.svc.Library(e.ctx, bob, workbench.LibraryReply, "")
	require.NoError(t, err)
	require.Len(t, lib, 1, "bob sees the corp's only")
	lib, err = e.svc.Library(e.ctx, amy, workbench.LibraryReply, "礼物")
	require.NoError(t, err)
	require.Len(t, lib, 1, "search keeps the groups with a match")
	assert.Equal(t, amyItem.ID, lib[0].Items[0].ID)

	toBob := workbench.Target{ExternalUserID: "wmC2"}
	for name, err := range map[string]error{
		"message":        errOf(e.svc.Message(e.ctx, bob, amyItem.ID, toBob)),
		"record send":    errOf(e.svc.RecordSend(e.ctx, bob, amyItem.ID, toBob)),
		"edit":           errOf(e.svc.SaveItem(e.ctx, bob, workbench.Item{ID: amyItem.ID, Content: "改了"}, false)),
		"delete":         e.svc.DeleteItem(e.ctx, bob, amyItem.ID, false),
		"rename group":   errOf(e.svc.SaveGroup(e.ctx, bob, workbench.Group{ID: mine.ID, Name: "改了"}, false)),
		"add to group":   errOf(e.svc.SaveItem(e.ctx, bob, workbench.Item{GroupID: mine.ID, Kind: workbench.KindText, Content: "x"}, false)),
		"admin, as corp": errOf(e.svc.SaveItem(e.ctx, admin, workbench.Item{ID: amyItem.ID, Content: "改了"}, true)),
	} {
		t.Run("another guide's reply: "+name, func(t *testing.T) {
			if name == "add to group" {
				var ve *service.ValidationError
				assert.ErrorAs(t, err, &ve, "their group does not exist for bob")
				return
			}
			assert.ErrorIs(t, err, service.ErrNotFound)
		})
	}
	_, err = e.svc.SaveItem(e.ctx, amy, workbench.Item{ID: corpItem.ID, Content: "改了"}, false)
	assert.ErrorIs(t, err, service.ErrForbidden, "corp replies are edited by admins")
	assert.ErrorIs(t, e.svc.DeleteGroup(e.ctx, amy, corpG.ID, false), service.ErrForbidden)

	msg, err := e.svc.Message(e.ctx, bob, corpItem.ID, toBob)
	require.NoError(t, err)
	assert.Equal(t, workbench.Message{MsgType: "text", Content: "您好，我是您的专属导购，有任何需要随时找我～"}, msg)
	sd, err := e.svc.RecordSend(e.ctx, bob, corpItem.ID, toBob)
	require.NoError(t, err)
	assert.Equal(t, "bob", sd.UserID)
	assert.Equal(t, "wmC2", sd.ExternalUserID)
	assert.Equal(t, "问候", sd.Title)
	_, err = e.svc.RecordSend(e.ctx, bob, corpItem.ID, workbench.Target{ExternalUserID: "wmC1"})
	assert.ErrorIs(t, err, service.ErrForbidden, "only into chats with the guide's customers")

	_, err = e.svc.SaveItem(e.ctx, admin, workbench.Item{ID: corpItem.ID, Content: "新的问候"}, true)
	require.NoError(t, err)
	require.NoError(t, e.svc.DeleteItem(e.ctx, amy, amyItem.ID, false))
}

func errOf[T any](_ T, err error) error { return err }

func TestMaterialValidation(t *testing.T) {
	t.Parallel()
	e := newWBEnv(t, nil)
	g, err := e.svc.SaveGroup(e.ctx, admin, workbench.Group{Library: workbench.LibraryMaterial, Name: "新品"}, true)
	require.NoError(t, err)
	for name, tt := range map[string]struct {
		it    workbench.Item
		field string
	}{
		"text is not a material": {workbench.Item{Kind: workbench.KindText, Content: "x"}, "kind"},
		"link without url":       {workbench.Item{Kind: workbench.KindLink, Title: "新品"}, "url"},
		"link with a script url": {workbench.Item{Kind: workbench.KindLink, Title: "新品", URL: "javascript:alert(1)"}, "url"},
		"mini-program bad appid": {workbench.Item{Kind: workbench.KindMiniProgram, Title: "商城", AppID: "x", Page: "p", PicURL: "https://a/b.png"}, "appid"},
		"mini-program no cover":  {workbench.Item{Kind: workbench.KindMiniProgram, Title: "商城", AppID: "wx1234567890abcdef", Page: "pages/i"}, "pic_url"},
		"image without a name":   {workbench.Item{Kind: workbench.KindImage}, "title"},
		"unknown group":          {workbench.Item{GroupID: 999, Kind: workbench.KindImage, Title: "x"}, "group_id"},
	} {
		t.Run(name, func(t *testing.T) {
			it := tt.it
			if it.GroupID == 0 {
				it.GroupID = g.ID
			}
			_, err := e.svc.SaveItem(e.ctx, admin, it, true)
			var ve *service.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}
	img, err := e.svc.SaveItem(e.ctx, admin, workbench.Item{GroupID: g.ID, Kind: workbench.KindImage, Title: "秋冬新品海报"}, true)
	require.NoError(t, err)
	var ve *service.ValidationError
	assert.ErrorAs(t, e.svc.PutImage(e.ctx, admin, img.ID, []byte("GIF89a not a png or jpeg"), true), &ve)
	e.follow("amy", "wmC1", "周小姐", e.clock().AddDate(0, -1, 0))
	_, err = e.svc.Message(e.ctx, amy, img.ID, workbench.Target{ExternalUserID: "wmC1"})
	assert.ErrorIs(t, err, service.ErrConflict, "no picture uploaded yet")
}
