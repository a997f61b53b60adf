package wecom_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
)

func TestGroupChats(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	chatID, err := e.sim.CreateGroup("zhangsan", "王姐的美妆群", []string{"wmwang"})
	require.NoError(t, err)
	require.NoError(t, e.sim.SetGroupNotice(chatID, "周末有活动"))

	page, err := e.client.GroupChatList(ctx, wecom.GroupChatAll, []string{"zhangsan"}, "", 100)
	require.NoError(t, err)
	assert.Equal(t, []wecom.GroupChatRef{{ChatID: chatID, Status: 0}}, page.Chats)
	assert.Empty(t, page.NextCursor)

	g, err := e.client.GroupChatGet(ctx, chatID)
	require.NoError(t, err)
	assert.Equal(t, "王姐的美妆群", g.Name)
	assert.Equal(t, "zhangsan", g.Owner)
	assert.Equal(t, "周末有活动", g.Notice)
	assert.NotZero(t, g.CreateTime)
	require.Len(t, g.Members, 2)
	assert.Equal(t, "zhangsan", g.Members[0].UserID)
	assert.Equal(t, 1, g.Members[0].Type)
	assert.Equal(t, "wmwang", g.Members[1].UserID)
	assert.Equal(t, 2, g.Members[1].Type)
	assert.Equal(t, "王小美", g.Members[1].Name)
	v1 := g.MemberVersion
	require.NotEmpty(t, v1)

	require.NoError(t, e.sim.JoinGroup(chatID, []string{"lisi"}, 2, "zhangsan"))
	g, err = e.client.GroupChatGet(ctx, chatID)
	require.NoError(t, err)
	assert.NotEqual(t, v1, g.MemberVersion)
	require.Len(t, g.Members, 3)
	assert.Equal(t, "zhangsan", g.Members[2].Invitor)
	assert.Equal(t, 2, g.Members[2].JoinScene)

	_, err = e.client.GroupChatGet(ctx, "wrnope")
	assert.Equal(t, 40050, apiCode(t, err))
}

func TestGroupChatTransfers(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	chatID, err := e.sim.CreateGroup("zhangsan", "群1", []string{"wmwang"})
	require.NoError(t, err)

	failed, err := e.client.GroupChatTransfer(ctx, []string{chatID}, "lisi")
	require.NoError(t, err)
	require.Len(t, failed, 1)
	assert.Equal(t, chatID, failed[0].ChatID)
	assert.Equal(t, 90500, failed[0].ErrCode, "resigned transfer needs a resigned owner")

	failed, err = e.client.GroupChatOnjobTransfer(ctx, []string{chatID, "wrnope"}, "lisi")
	require.NoError(t, err)
	require.Len(t, failed, 1)
	assert.Equal(t, "wrnope", failed[0].ChatID)
	g, err := e.client.GroupChatGet(ctx, chatID)
	require.NoError(t, err)
	assert.Equal(t, "lisi", g.Owner)

	require.NoError(t, e.sim.ResignUser("lisi"))
	page, err := e.client.GroupChatList(ctx, wecom.GroupChatResigned, []string{"lisi"}, "", 10)
	require.NoError(t, err)
	require.Len(t, page.Chats, 1)
	failed, err = e.client.GroupChatTransfer(ctx, []string{chatID}, "zhangsan")
	require.NoError(t, err)
	assert.Empty(t, failed)
}
