package wecom

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testSecret = "corp-secret-0123456789abcdefghij"
	testToken  = "AT_never_in_text_0123456789"
)

func quietClient(t *testing.T) *Client {
	t.Helper()
	c, err := NewClient(Config{CorpID: "ww1", Secret: testSecret, Token: "callback-token-xyz",
		AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", BaseURL: "http://127.0.0.1:1/"})
	require.NoError(t, err)
	return c
}

// TestPowerWeChatLogsNothing: PowerWeChat's logger drops every level (its
// debug request logs quote the URL with the token), and neither its HTTP
// debug dump nor WeCom's debug=1 mode is on.
func TestPowerWeChatLogsNothing(t *testing.T) {
	c := quietClient(t)
	assert.IsType(t, quietLog{}, c.app.Logger.Driver)
	cfg := c.app.GetConfig()
	assert.False(t, cfg.GetBool("http_debug", true))
	assert.False(t, cfg.GetBool("debug", true))
}

// TestRedactShapes covers texts the simulator cannot produce: a URL quoted
// without wrapping (%v), credentials in a non-URL text, WeCom echoing a
// credential in errmsg.
func TestRedactShapes(t *testing.T) {
	c := quietClient(t)
	u := "http://127.0.0.1:1/cgi-bin/user/get?access_token=" + testToken + "&userid=zhangsan"
	tests := []struct {
		name string
		in   error
		want string
	}{
		{"url error", &url.Error{Op: "Get", URL: u, Err: errors.New("EOF")},
			"wecom cgi-bin/user/get: GET request: EOF"},
		{"url quoted, not wrapped", fmt.Errorf("request failed: %v", &url.Error{Op: "Get", URL: u, Err: errors.New("EOF")}),
			`wecom cgi-bin/user/get: request failed: Get "http://127.0.0.1:1/cgi-bin/user/get": EOF`},
		{"token step", &tokenError{fmt.Errorf("request failed: %w", &url.Error{Op: "Get",
			URL: "http://h/cgi-bin/gettoken?corpid=ww1&corpsecret=" + testSecret, Err: errors.New("EOF")})},
			"wecom cgi-bin/user/get: wecom cgi-bin/gettoken: GET request: EOF"},
		{"parameters in plain text", errors.New("bad access_token=" + testToken + " secret=" + testSecret),
			"wecom cgi-bin/user/get: bad access_token=*** secret=***"},
		{"configured secret anywhere", errors.New("odd " + testSecret),
			"wecom cgi-bin/user/get: odd ***"},
		{"errmsg echoing a credential", &APIError{Code: 40014, Endpoint: "cgi-bin/user/get",
			Msg: "invalid access_token=" + testToken + ", more info at https://open.work.weixin.qq.com/devtool/query?e=40014"},
			"wecom cgi-bin/user/get: errcode 40014: invalid access_token=***, more info at https://open.work.weixin.qq.com/devtool/query?e=40014"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.redact("cgi-bin/user/get", tt.in)
			assert.Equal(t, tt.want, got.Error())
			assert.Equal(t, IsCode(tt.in, 40014), IsCode(got, 40014), "errcodes survive")
		})
	}
	assert.NoError(t, c.redact("cgi-bin/user/get", nil))
}

// TestBadBaseURLHidesItsPassword: a proxy URL's credentials stay out of the error.
func TestBadBaseURLHidesItsPassword(t *testing.T) {
	for _, u := range []string{"ftp://user:hunter2pass@proxy/", "http://user:hunter2pass@proxy/%zz"} {
		_, err := NewClient(Config{CorpID: "ww1", Secret: testSecret, BaseURL: u})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "hunter2pass")
	}
}
