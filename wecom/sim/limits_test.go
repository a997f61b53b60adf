package sim

import (
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// caller calls the simulator from one source IP, as one server of a corp would.
type caller struct {
	t   *testing.T
	e   *env
	hc  *http.Client
	tok string
}

// from dials the simulator from ip (any 127.0.0.0/8 address reaches the loopback listener).
func (e *env) from(t *testing.T, ip string) *caller {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr := &http.Transport{DialContext: d.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &caller{t: t, e: e, hc: &http.Client{Transport: tr}, tok: e.token(t)}
}

// code calls path (a GET API) and returns the errcode.
func (c *caller) code(path string) int {
	c.t.Helper()
	resp, err := c.hc.Get(c.e.srv.URL + path + "&access_token=" + c.tok)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	var m struct {
		ErrCode int `json:"errcode"`
	}
	require.NoError(c.t, json.NewDecoder(resp.Body).Decode(&m))
	return m.ErrCode
}

// codes makes n calls and returns their errcodes.
func (c *caller) codes(path string, n int) []int {
	c.t.Helper()
	out := make([]int, n)
	for i := range out {
		out[i] = c.code(path)
	}
	return out
}

const userGet = "/cgi-bin/user/get?userid=zhangsan"

// TestHourWindowAndBlocks: past the per-minute limit an API is blocked for 60 s from the call that
// went over, even across the clock minute; past the per-hour limit for 60 minutes, even across the
// clock hour. Refused calls are not counted, and other APIs are not affected. All on the sim clock.
func TestHourWindowAndBlocks(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	e.sim.SetLimits("cgi-bin/user/get", Limits{PerMinute: 3, PerHour: 5})
	a := e.from(t, "127.0.0.1")

	e.clock.Advance(50 * time.Second) // 10:00:50
	assert.Equal(t, []int{0, 0, 0, 45009}, a.codes(userGet, 4), "the minute's limit")
	e.clock.Advance(15 * time.Second) // 10:01:05, a new clock minute
	assert.Equal(t, 45009, a.code(userGet), "blocked for 60 s from the call that went over, not until the next minute")
	assert.Equal(t, 0, a.code("/cgi-bin/department/list?id=1"), "another API is not blocked")
	e.clock.Advance(45 * time.Second) // 10:01:50
	assert.Equal(t, []int{0, 0, 45009}, a.codes(userGet, 3), "the block is over; refused calls did not count, the hour's limit is 5")

	e.clock.Advance(2 * time.Minute)
	assert.Equal(t, 45009, a.code(userGet), "the hour's block outlasts the minute")
	e.clock.Advance(57 * time.Minute) // 11:00:50: a new clock hour, but 59 minutes after the call that went over
	assert.Equal(t, 45009, a.code(userGet), "blocked for 60 minutes, not until the next hour")
	e.clock.Advance(time.Minute) // 11:01:50
	assert.Equal(t, 0, a.code(userGet))
	assert.Equal(t, Limits{PerMinute: 3, PerHour: 5, IPPerMinute: WeComIPPerMinute, IPPerHour: WeComIPPerHour},
		e.sim.Limits("/cgi-bin/user/get"))

	e.sim.SetLimits("cgi-bin/user/get", Limits{})
	assert.Equal(t, weComLimits, e.sim.Limits("/cgi-bin/user/get"), "the defaults are WeCom's")
}

// TestPerIPWindow: each caller IP has its own window (and block) per API, and every IP together
// counts against the corp's.
func TestPerIPWindow(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	a, b := e.from(t, "127.0.0.1"), e.from(t, "127.0.0.2")

	e.sim.SetLimits("cgi-bin/user/get", Limits{IPPerMinute: 2})
	assert.Equal(t, []int{0, 0, 45009}, a.codes(userGet, 3), "the first IP's limit")
	assert.Equal(t, []int{0, 0, 45009}, b.codes(userGet, 3), "the second IP has its own window")
	e.clock.Advance(time.Minute)

	e.sim.SetLimits("cgi-bin/user/get", Limits{PerMinute: 3, IPPerMinute: 10})
	assert.Equal(t, []int{0, 0}, a.codes(userGet, 2))
	assert.Equal(t, []int{0, 45009}, b.codes(userGet, 2), "both IPs count against the corp's limit")
	assert.Equal(t, 45009, a.code(userGet), "the corp's block holds for every IP")
	e.clock.Advance(time.Minute)
	assert.Equal(t, 0, a.code(userGet))
}

func TestUnlimited(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Limits = Limits{PerMinute: 2} })
	e.seedBasic(t)
	a := e.from(t, "127.0.0.1")
	assert.Equal(t, []int{0, 0, 45009}, a.codes(userGet, 3), "Config.Limits applies to every API")
	assert.Equal(t, "per corp 2/min 150000/h, per IP 20000/min 600000/h", e.sim.Config().Limits.String())
	e.sim.SetLimits(AllPaths, Unlimited)
	e.clock.Advance(time.Minute)
	assert.Equal(t, []int{0, 0, 0, 0}, a.codes(userGet, 4))
	assert.Equal(t, "per corp unlimited/min unlimited/h, per IP unlimited/min unlimited/h", e.sim.Limits(userGet).String())
}

// TestCallsCountsAnswersAndRefusals: Calls counts every answered call by path, the 45009s apart.
func TestCallsCountsAnswersAndRefusals(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	c := e.from(t, "127.0.0.1")
	e.sim.ResetCalls()
	e.sim.SetRateLimit(userGet, 2)
	assert.Equal(t, []int{0, 0, 45009, 45009}, c.codes(userGet, 4))
	assert.Equal(t, CallCount{Calls: 4, OK: 2, RateLimited: 2}, e.sim.Calls()["/cgi-bin/user/get"])
	_, seen := e.sim.Calls()["/cgi-bin/gettoken"]
	assert.False(t, seen, "the token was fetched before the reset")
	e.sim.ResetCalls()
	assert.Empty(t, e.sim.Calls())
}
