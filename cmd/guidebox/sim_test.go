package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/sim"
)

// startSimCommand runs `guidebox sim` with the sim section settings (YAML lines under "sim:", each
// indented by two spaces) until the test ends, and returns its address and an access token.
func startSimCommand(t *testing.T, settings string) (addr, token string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr = ln.Addr().String()
	require.NoError(t, ln.Close())
	file := filepath.Join(t.TempDir(), "sim.yaml")
	require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf("sim:\n  addr: %q\n%s", addr, settings)), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runSim(ctx, []string{"--config", file}, stdio{out: io.Discard, err: io.Discard}) }()
	t.Cleanup(func() { cancel(); <-done })

	var tok struct {
		ErrCode     int    `json:"errcode"`
		AccessToken string `json:"access_token"`
	}
	require.Eventually(t, func() bool {
		return getJSON("http://"+addr+"/cgi-bin/gettoken?corpid="+demoCorpID+"&corpsecret="+demoSecret, &tok) == nil
	}, 5*time.Second, 20*time.Millisecond)
	require.Zero(t, tok.ErrCode)
	return addr, tok.AccessToken
}

// TestSimCommandServesTheDemoCorp runs `guidebox sim` with sim.demo and talks WeCom to it.
func TestSimCommandServesTheDemoCorp(t *testing.T) {
	addr, token := startSimCommand(t, "  demo: true\n")
	var deps struct {
		ErrCode    int `json:"errcode"`
		Department []struct {
			Name string `json:"name"`
		} `json:"department"`
	}
	require.NoError(t, getJSON("http://"+addr+"/cgi-bin/department/list?access_token="+token, &deps))
	assert.Zero(t, deps.ErrCode)
	assert.Greater(t, len(deps.Department), 3, "the demo corp's stores")
	var bad struct {
		ErrCode int `json:"errcode"`
	}
	require.NoError(t, getJSON("http://"+addr+"/cgi-bin/gettoken?corpid="+demoCorpID+"&corpsecret=wrong", &bad))
	assert.Equal(t, 40001, bad.ErrCode)
}

// TestSimCommandLimits: sim.limits sets the simulator's call limits, so a benchmark states what it ran under.
func TestSimCommandLimits(t *testing.T) {
	addr, token := startSimCommand(t, "  limits:\n    per_minute: 2\n    ip_per_hour: -1\n")
	var codes []int
	for range 3 {
		var res struct {
			ErrCode int `json:"errcode"`
		}
		require.NoError(t, getJSON("http://"+addr+"/cgi-bin/department/list?access_token="+token, &res))
		codes = append(codes, res.ErrCode)
	}
	assert.Equal(t, []int{0, 0, 45009}, codes)
}

func getJSON(url string, out any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// TestDemoAdvanceMovesTheSimulatorClock: the demo's control jumps WeCom's clock (so a handover's
// 24 h takeover completes) and refuses bad input with a 400; demo product pictures are served.
func TestDemoAdvanceMovesTheSimulatorClock(t *testing.T) {
	clock := &demoClock{}
	s, err := sim.New(sim.Config{Clock: clock})
	require.NoError(t, err)
	r := &simRuntime{sim: s, clock: clock, demo: true}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	r.Mount(e)
	for _, bad := range []string{"abc", "0", "721", "-5"} {
		w := httptest.NewRecorder()
		e.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/demo/api/sim/advance?hours="+bad, nil))
		assert.Equal(t, http.StatusBadRequest, w.Code, bad)
	}
	w0 := httptest.NewRecorder()
	e.ServeHTTP(w0, httptest.NewRequest(http.MethodGet, "/demo/products/"+sim.DemoProducts()[0].ID+".svg", nil))
	assert.Equal(t, http.StatusOK, w0.Code)
	assert.Equal(t, "image/svg+xml", w0.Header().Get("Content-Type"))
	w0 = httptest.NewRecorder()
	e.ServeHTTP(w0, httptest.NewRequest(http.MethodGet, "/demo/products/nope.svg", nil))
	assert.Equal(t, http.StatusNotFound, w0.Code)
	before := s.Now()
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/demo/api/sim/advance?hours=24", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.WithinDuration(t, before.Add(24*time.Hour), s.Now(), time.Minute)
}
