package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRootSaysWhatItIs: a browser opening the simulator's address gets a page saying what it is and
// where guidebox is, without the secret; API paths still answer as WeCom does.
func TestRootSaysWhatItIs(t *testing.T) {
	s, err := New(Config{Secret: "top-secret-value", CallbackURL: "http://127.0.0.1:8080/wecom/callback"})
	require.NoError(t, err)
	require.NoError(t, s.Load(DemoCorp(1)))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	page := string(body)
	for _, want := range []string{"WeCom simulator", "企业微信模拟器", "/cgi-bin/", "wwsim0000000000001",
		"http://127.0.0.1:8080/wecom/callback", `href="http://127.0.0.1:8080/demo/"`, "20 members"} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "top-secret-value")
	assert.NotContains(t, page, "48001 api forbidden")

	var res struct {
		ErrCode int `json:"errcode"`
	}
	resp, err = http.Get(srv.URL + "/cgi-bin/nothing/here")
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&res))
	resp.Body.Close()
	assert.Equal(t, 48001, res.ErrCode, "an unknown API path still answers like WeCom")
}
