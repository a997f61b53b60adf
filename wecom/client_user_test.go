package wecom_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
)

func TestGetUser(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	u, err := e.client.GetUser(ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, "zhangsan", u.UserID)
	assert.Equal(t, "张三", u.Name)
	assert.Equal(t, []int{2}, u.Departments)
	assert.Equal(t, 2, u.MainDepartment)
	assert.Equal(t, "13800000000", u.Mobile)
	assert.Equal(t, "1", u.Gender)
	assert.Equal(t, 1, u.Status)

	require.NoError(t, e.sim.ResignUser("lisi"))
	_, err = e.client.GetUser(ctx, "lisi")
	assert.Equal(t, wecom.CodeUserNotFound, apiCode(t, err), "resigned members are gone from user/get")
}

func TestListDepartments(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	deps, err := e.client.ListDepartments(ctx)
	require.NoError(t, err)
	byID := map[int]wecom.Department{}
	for _, d := range deps {
		byID[d.ID] = d
	}
	require.Contains(t, byID, 1)
	require.Contains(t, byID, 2)
	assert.Equal(t, "徐汇店", byID[2].Name)
	assert.Equal(t, 1, byID[2].ParentID)
}

func TestGetUserInfo(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	code := e.sim.IssueOAuthCode("zhangsan")
	info, err := e.client.GetUserInfo(ctx, code)
	require.NoError(t, err)
	assert.Equal(t, "zhangsan", info.UserID)
	assert.Empty(t, info.OpenID)

	_, err = e.client.GetUserInfo(ctx, code)
	assert.Equal(t, wecom.CodeInvalidCode, apiCode(t, err), "codes are single-use")
	_, err = e.client.GetUserInfo(ctx, "bogus")
	assert.Equal(t, wecom.CodeInvalidCode, apiCode(t, err))
	assert.Equal(t, 3, e.rec.count("cgi-bin/auth/getuserinfo"))
}
