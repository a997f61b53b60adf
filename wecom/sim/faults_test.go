package sim

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	mtreq "github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/messageTemplate/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRateLimit45009(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	e.sim.SetRateLimit("cgi-bin/user/get", 2)
	var codes []int
	for range 3 {
		res, err := e.app.User.Get(e.ctx, "zhangsan")
		require.NoError(t, err)
		codes = append(codes, res.ErrCode)
	}
	assert.Equal(t, []int{0, 0, 45009}, codes)
	other, err := e.app.User.Get(e.ctx, "lisi")
	require.NoError(t, err)
	assert.Equal(t, 45009, other.ErrCode, "the limit is per API, not per argument")
	e.clock.Advance(time.Minute)
	res, err := e.app.User.Get(e.ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, 0, res.ErrCode, "the next minute")
}

func TestFail5xxAndDrop(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	_, err := e.app.User.Get(e.ctx, "zhangsan") // fetch the token first
	require.NoError(t, err)

	e.sim.SetFail5xx("/cgi-bin/user/get", 1)
	_, err = e.app.User.Get(e.ctx, "zhangsan")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "500")
	res, err := e.app.User.Get(e.ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, "张三", res.Name)

	// POST: Go's Transport never replays it, so one drop is one error.
	e.sim.SetDrop(AllPaths, 1)
	_, err = e.app.ExternalContactTag.GetCorpTagList(e.ctx, nil, nil)
	require.Error(t, err, "dropped connection")
	tags, err := e.app.ExternalContactTag.GetCorpTagList(e.ctx, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, tags.ErrCode)

	// GET on a reused connection: Go replays it once, so two drops are needed.
	e.sim.SetDrop("/cgi-bin/user/get", 2)
	_, err = e.app.User.Get(e.ctx, "zhangsan")
	require.Error(t, err, "dropped connection")
}

// TestLatency: an injected delay holds the answer back, so a caller with a shorter deadline gets
// none; once removed, answers flow again. No elapsed-time bounds: the delay (an hour) is far
// beyond the caller's deadline, and without it the answer comes well within the generous one.
func TestLatency(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	url := e.srv.URL + "/cgi-bin/user/get?userid=zhangsan&access_token=" + e.token(t)
	get := func(d time.Duration) (*http.Response, error) {
		ctx, cancel := context.WithTimeout(e.ctx, d)
		t.Cleanup(cancel)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		require.NoError(t, err)
		return http.DefaultClient.Do(req)
	}

	e.sim.SetLatency("/cgi-bin/user/get", time.Hour)
	_, err := get(50 * time.Millisecond)
	require.ErrorIs(t, err, context.DeadlineExceeded, "no answer while the delay runs")

	e.sim.SetLatency("/cgi-bin/user/get", 0)
	resp, err := get(30 * time.Second)
	require.NoError(t, err, "the delay is removed")
	defer resp.Body.Close()
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	assert.EqualValues(t, 0, m["errcode"])
}

func TestSendWelcomeMsg(t *testing.T) {
	e := newEnv(t)
	e.sim.AddUser(User{UserID: "zhangsan", Name: "张三"})
	ext, code, err := e.sim.CustomerAddsGuide("zhangsan", Customer{Name: "王小美"}, "s1")
	require.NoError(t, err)
	send := func(code string) int {
		res, err := e.app.ExternalContactMessageTemplate.SendWelcomeMsg(e.ctx, &mtreq.RequestSendWelcomeMsg{
			WelcomeCode: code, Text: &mtreq.TextOfMessage{Content: "欢迎光临"}})
		require.NoError(t, err)
		return res.ErrCode
	}
	assert.Equal(t, 0, send(code))
	assert.Equal(t, 41051, send(code), "single use")
	sent := e.sim.WelcomeMessages()
	require.Len(t, sent, 1)
	assert.Equal(t, ext, sent[0].ExternalUserID)
	assert.Equal(t, "欢迎光临", sent[0].Text)

	_, late, err := e.sim.CustomerAddsGuide("zhangsan", Customer{Name: "李先生"}, "")
	require.NoError(t, err)
	e.clock.Advance(21 * time.Second)
	assert.Equal(t, 41051, send(late), "20 s window")
	assert.Equal(t, 40058, send("nonsense"))
}
