package sim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// getRaw calls the simulator directly and decodes the JSON answer.
func getRaw(t *testing.T, e *env, pathAndQuery string) map[string]any {
	t.Helper()
	resp, err := http.Get(e.srv.URL + pathAndQuery)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	require.Contains(t, m, "errcode")
	return m
}

func TestGetTokenErrors(t *testing.T) {
	e := newEnv(t)
	sec := e.sim.Config().Secret
	tests := []struct {
		name, query string
		want        float64
	}{
		{"bad corpid", "/cgi-bin/gettoken?corpid=nope&corpsecret=" + sec, 40013},
		{"bad secret", "/cgi-bin/gettoken?corpid=" + testCorpID + "&corpsecret=nope", 40001},
		{"ok with PowerWeChat's extra params", "/cgi-bin/gettoken?appid=&corpid=" + testCorpID +
			"&corpsecret=" + sec + "&neededText=&secret=", 0},
		{"missing token", "/cgi-bin/user/get?userid=x", 41001},
		{"unknown token", "/cgi-bin/user/get?userid=x&access_token=forged", 40014},
		{"unknown path", "/cgi-bin/nope?access_token=forged", 48001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, getRaw(t, e, tt.query)["errcode"])
		})
	}
}

func TestTokenLifetimeOnSimClock(t *testing.T) {
	e := newEnv(t)
	q := "/cgi-bin/gettoken?corpid=" + testCorpID + "&corpsecret=" + e.sim.Config().Secret
	first := getRaw(t, e, q)
	assert.Equal(t, float64(7200), first["expires_in"])
	tok := first["access_token"].(string)
	e.clock.Advance(time.Hour)
	again := getRaw(t, e, q)
	assert.Equal(t, tok, again["access_token"], "same token while valid")
	assert.Equal(t, float64(3600), again["expires_in"])
	e.clock.Advance(time.Hour)
	assert.Equal(t, float64(42001), getRaw(t, e, "/cgi-bin/user/get?userid=x&access_token="+tok)["errcode"])
	assert.NotEqual(t, tok, getRaw(t, e, q)["access_token"], "a new token after expiry")
}

func TestTokenExpirySelfHeals(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	res, err := e.app.User.Get(e.ctx, "zhangsan")
	require.NoError(t, err)
	require.Equal(t, 0, res.ErrCode)

	e.sim.ExpireTokensNow() // PowerWeChat's cached token now gets 42001
	res, err = e.app.User.Get(e.ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, 0, res.ErrCode)
	assert.Equal(t, "张三", res.Name)

	e.clock.Advance(3 * time.Hour) // natural expiry
	res, err = e.app.User.Get(e.ctx, "lisi")
	require.NoError(t, err)
	assert.Equal(t, "李四", res.Name)
}

func TestDirectory(t *testing.T) {
	e := newEnv(t)
	e.sim.AddDepartment(Department{ID: 2, Name: "上海南京西路店", ParentID: 1, Order: 10})
	e.sim.AddDepartment(Department{ID: 3, Name: "男装组", ParentID: 2})
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三", Departments: []int{2}, Mobile: "13800000000", Gender: "1"})

	u, err := e.app.User.Get(e.ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, "张三", u.Name)
	assert.Equal(t, []int{2}, u.Department)

	missing, err := e.app.User.Get(e.ctx, "nobody")
	require.NoError(t, err, "a business errcode is not a Go error")
	assert.Equal(t, 60111, missing.ErrCode)

	all, err := e.app.Department.List(e.ctx, 0) // PowerWeChat sends id=0 for "all"
	require.NoError(t, err)
	assert.Len(t, all.Departments, 3)
	sub, err := e.app.Department.List(e.ctx, 2)
	require.NoError(t, err)
	assert.Len(t, sub.Departments, 2)
	assert.Equal(t, float64(60123), getRaw(t, e, "/cgi-bin/department/list?id=99&access_token="+e.token(t))["errcode"])
}

// token fetches an access token directly.
func (e *env) token(t *testing.T) string {
	m := getRaw(t, e, "/cgi-bin/gettoken?corpid="+testCorpID+"&corpsecret="+e.sim.Config().Secret)
	return m["access_token"].(string)
}

func TestJSSDKTickets(t *testing.T) {
	e := newEnv(t)
	// Corp ticket: PowerWeChat POSTs to //cgi-bin/get_jsapi_ticket.
	sig, err := e.app.JSSDK.ConfigSignature(e.ctx, "https://h5.example.com/sidebar", "nonce1", 1700000000)
	require.NoError(t, err)
	assert.Len(t, (*sig)["signature"], 40)
	assert.Equal(t, float64(0), getRaw(t, e, "//cgi-bin/get_jsapi_ticket?access_token="+e.token(t))["errcode"])

	e.sim.SetTicketLimits(400, 2)
	for i := range 3 {
		res, err := e.app.JSSDK.GetTicket(e.ctx)
		require.NoError(t, err)
		if i < 2 {
			assert.Equal(t, 0, res.ErrCode)
			assert.NotEmpty(t, res.Ticket)
			assert.Equal(t, 7200, res.ExpiresIn)
		} else {
			assert.Equal(t, 45009, res.ErrCode, "past the hourly app-ticket limit")
		}
	}
	e.clock.Advance(time.Hour)
	res, err := e.app.JSSDK.GetTicket(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, res.ErrCode, "a new hour resets the limit")
}

func TestOAuthCodes(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	code := e.sim.IssueOAuthCode("zhangsan")
	res, err := e.app.Auth.GetUserInfo(e.ctx, code)
	require.NoError(t, err)
	assert.Equal(t, "zhangsan", res.UserID)

	reused, err := e.app.Auth.GetUserInfo(e.ctx, code)
	require.NoError(t, err)
	assert.Equal(t, 40029, reused.ErrCode, "codes are single-use")

	late := e.sim.IssueOAuthCode("lisi")
	e.clock.Advance(5*time.Minute + time.Second)
	expired, err := e.app.Auth.GetUserInfo(e.ctx, late)
	require.NoError(t, err)
	assert.Equal(t, 40029, expired.ErrCode, "codes expire after 5 minutes")
}

func TestIssuedTokensListsEveryTokenAndTicket(t *testing.T) {
	e := newEnv(t)
	assert.Empty(t, e.sim.IssuedTokens())
	first := e.token(t)
	ticket := getRaw(t, e, "/cgi-bin/ticket/get?type=agent_config&access_token="+first)["ticket"].(string)
	e.sim.ExpireTokensNow()
	second := e.token(t)
	require.NotEqual(t, first, second)
	assert.ElementsMatch(t, []string{first, second, ticket}, e.sim.IssuedTokens())
}
