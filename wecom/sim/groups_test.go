package sim

import (
	"testing"
	"time"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/kernel/power"
	gcreq "github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/groupChat/request"
	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/transfer/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupLifecycleCallbacks(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	chat, err := e.sim.CreateGroup("zhangsan", "南京西路VIP群", []string{ext})
	require.NoError(t, err)
	v1, _ := e.sim.Group(chat)
	require.NoError(t, e.sim.JoinGroup(chat, []string{"lisi", ext}, 3, ""))
	require.NoError(t, e.sim.LeaveGroup(chat, []string{"lisi"}, true))
	require.NoError(t, e.sim.RenameGroup(chat, "VIP群"))
	require.NoError(t, e.sim.DismissGroup(chat))
	e.flush(t)

	var chats []string
	msgs := e.recv.messages()
	for _, m := range msgs {
		if m.Event == "change_external_chat" {
			chats = append(chats, m.ChangeType+"/"+m.UpdateDetail)
		}
	}
	assert.Equal(t, []string{"create/", "update/add_member", "update/del_member", "update/change_name", "dismiss/"}, chats)
	join := msgs[len(msgs)-4]
	assert.Equal(t, 3, join.JoinScene)
	assert.Equal(t, 1, join.MemChangeCnt)
	assert.Equal(t, []string{"lisi"}, join.MemChangeList, "members already in are skipped")
	assert.Equal(t, v1.MemberVersion, join.LastMemVer)
	leave := msgs[len(msgs)-3]
	assert.Equal(t, 1, leave.QuitScene)
	assert.Equal(t, join.CurMemVer, leave.LastMemVer)
	assert.NotEqual(t, leave.LastMemVer, leave.CurMemVer)
}

func TestGroupChatListAndGet(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	chat, err := e.sim.CreateGroup("zhangsan", "会员群", []string{ext, "lisi"})
	require.NoError(t, err)
	_, err = e.sim.CreateGroup("lisi", "李四的群", nil)
	require.NoError(t, err)

	list, err := e.app.ExternalContactGroupChat.List(e.ctx, &gcreq.RequestGroupChatList{Limit: 10}) // owner_filter null
	require.NoError(t, err)
	assert.Len(t, list.GroupChatList, 2)
	mine, err := e.app.ExternalContactGroupChat.List(e.ctx, &gcreq.RequestGroupChatList{Limit: 10,
		OwnerFilter: &power.HashMap{"userid_list": []string{"zhangsan"}}})
	require.NoError(t, err)
	require.Len(t, mine.GroupChatList, 1)
	assert.Equal(t, chat, mine.GroupChatList[0].ChatID)

	got, err := e.app.ExternalContactGroupChat.Get(e.ctx, chat, 1)
	require.NoError(t, err)
	require.Equal(t, 0, got.ErrCode)
	g := got.GroupChat
	assert.Equal(t, "会员群", g.Name)
	assert.Equal(t, "zhangsan", g.Owner)
	require.Len(t, g.MemberList, 3)
	assert.Equal(t, 2, g.MemberList[1].Type)
	assert.Equal(t, "王小美", g.MemberList[1].Name)
	assert.NotEmpty(t, g.MemberVersion)

	bad, err := e.app.ExternalContactGroupChat.List(e.ctx, &gcreq.RequestGroupChatList{Limit: 1001})
	require.NoError(t, err)
	assert.Equal(t, 40058, bad.ErrCode)
}

// groupTransfer posts groupchat/onjob_transfer (missing from PowerWeChat)
// or groupchat/transfer and returns chat_id → errcode of the failures.
func (e *env) groupTransfer(t *testing.T, onjob bool, owner string, chats ...string) map[string]int {
	t.Helper()
	var out struct {
		ErrCode int `json:"errcode"`
		Failed  []struct {
			ChatID  string `json:"chat_id"`
			ErrCode int    `json:"errcode"`
		} `json:"failed_chat_list"`
	}
	path := "cgi-bin/externalcontact/groupchat/transfer"
	if onjob {
		path = "cgi-bin/externalcontact/groupchat/onjob_transfer"
	}
	e.postJSON(t, path, request.RequestGroupChatTransfer{ChatIDList: chats, NewOwner: owner}, &out)
	require.Equal(t, 0, out.ErrCode)
	failed := map[string]int{}
	for _, f := range out.Failed {
		failed[f.ChatID] = f.ErrCode
	}
	return failed
}

func TestGroupTransfers(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	e.sim.AddUser(User{UserID: "wangwu", Name: "王五"})
	chat, err := e.sim.CreateGroup("zhangsan", "群", nil)
	require.NoError(t, err)

	assert.Equal(t, map[string]int{chat: 90500}, e.groupTransfer(t, false, "lisi", chat), "owner not resigned")
	assert.Empty(t, e.groupTransfer(t, true, "lisi", chat))
	assert.Empty(t, e.groupTransfer(t, true, "wangwu", chat))
	assert.Equal(t, map[string]int{chat: 40128}, e.groupTransfer(t, true, "lisi", chat), "2 onjob transfers per 90 days")
	g, _ := e.sim.Group(chat)
	assert.Equal(t, "wangwu", g.Owner)

	require.NoError(t, e.sim.ResignUser("wangwu"))
	assert.Equal(t, map[string]int{chat: 90502}, e.groupTransfer(t, true, "lisi", chat))
	res, err := e.app.ExternalContactTransfer.GroupChatTransfer(e.ctx, &request.RequestGroupChatTransfer{
		ChatIDList: []string{chat}, NewOwner: "zhangsan"})
	require.NoError(t, err)
	assert.Empty(t, res.Customer)
	g, _ = e.sim.Group(chat)
	assert.Equal(t, 3, g.Status, "inherited")
	assert.Equal(t, "zhangsan", g.Owner)

	e.flush(t)
	var owners int
	for _, m := range e.recv.messages() {
		if m.UpdateDetail == "change_owner" {
			owners++
		}
	}
	assert.Equal(t, 3, owners)
}

func TestGroupTransferDailyLimit(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	corp := &Corp{}
	for range 301 {
		corp.Groups = append(corp.Groups, Group{Name: "群", Owner: "zhangsan", CreateTime: t0})
	}
	require.NoError(t, e.sim.Load(corp))
	ids := e.sim.GroupIDs()
	for i := 0; i < 300; i += 100 {
		assert.Empty(t, e.groupTransfer(t, true, "lisi", ids[i:i+100]...))
	}
	assert.Equal(t, map[string]int{ids[300]: 45009}, e.groupTransfer(t, true, "lisi", ids[300]))
	e.clock.Advance(24 * time.Hour)
	assert.Empty(t, e.groupTransfer(t, true, "lisi", ids[300]), "a new day")
}
