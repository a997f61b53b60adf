package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSimCommandServesTheDemoCorp runs `guidebox sim` with sim.demo and talks WeCom to it.
func TestSimCommandServesTheDemoCorp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	file := filepath.Join(t.TempDir(), "sim.yaml")
	require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf("sim:\n  addr: %q\n  demo: true\n", addr)), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runSim(ctx, []string{"--config", file}) }()
	defer func() { cancel(); <-done }()

	var tok struct {
		ErrCode     int    `json:"errcode"`
		AccessToken string `json:"access_token"`
	}
	require.Eventually(t, func() bool {
		return getJSON("http://"+addr+"/cgi-bin/gettoken?corpid="+demoCorpID+"&corpsecret="+demoSecret, &tok) == nil
	}, 5*time.Second, 20*time.Millisecond)
	require.Zero(t, tok.ErrCode)
	var deps struct {
		ErrCode    int `json:"errcode"`
		Department []struct {
			Name string `json:"name"`
		} `json:"department"`
	}
	require.NoError(t, getJSON("http://"+addr+"/cgi-bin/department/list?access_token="+tok.AccessToken, &deps))
	assert.Zero(t, deps.ErrCode)
	assert.Greater(t, len(deps.Department), 3, "the demo corp's stores")
	var bad struct {
		ErrCode int `json:"errcode"`
	}
	require.NoError(t, getJSON("http://"+addr+"/cgi-bin/gettoken?corpid="+demoCorpID+"&corpsecret=wrong", &bad))
	assert.Equal(t, 40001, bad.ErrCode)
}

func getJSON(url string, out any) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}
