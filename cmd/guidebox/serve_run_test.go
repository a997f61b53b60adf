package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeMetricsListener runs `guidebox serve` (the offline demo's wiring on SQLite) twice: with
// http.metrics_addr, /metrics answers there and not on the main listener; without it, on the main one.
// The startup log names the sidebar, /admin and /metrics, and in the demo /demo/ and the demo admin.
func TestServeMetricsListener(t *testing.T) {
	t.Run("own listener", func(t *testing.T) {
		main, metrics := freeAddr(t), freeAddr(t)
		log := runServeDemo(t, main, metrics, true)
		assertGet(t, "http://"+metrics+"/metrics", http.StatusOK, "guidebox_callbacks_received_total")
		assertGet(t, "http://"+main+"/metrics", http.StatusNotFound, "")
		assertGet(t, "http://"+main+"/healthz", http.StatusOK, "")
		assertGet(t, "http://"+metrics+"/healthz", http.StatusNotFound, "")
		serving := log.line(t, "guidebox serving")
		for _, want := range []string{"sidebar=http://" + main + "/sidebar/", "admin=http://" + main + "/admin",
			"metrics=http://" + metrics + "/metrics", "demo=http://" + main + "/demo/"} {
			assert.Contains(t, serving, want)
		}
		ready := log.line(t, "demo ready")
		assert.Contains(t, ready, "demo=http://"+main+"/demo/")
		assert.Contains(t, ready, "admin=http://"+main+"/admin")
		assert.Contains(t, ready, `demo_admins="陈婷婷 (chentingting)"`)
	})
	t.Run("main listener", func(t *testing.T) {
		main := freeAddr(t)
		log := runServeDemo(t, main, "", false)
		assertGet(t, "http://"+main+"/metrics", http.StatusOK, "guidebox_callbacks_received_total")
		serving := log.line(t, "guidebox serving")
		assert.Contains(t, serving, "metrics=http://"+main+"/metrics")
		assert.NotContains(t, serving, "demo=", "no demo bridge, no demo URL")
	})
}

// runServeDemo starts serve with the embedded simulator on SQLite until the test ends and waits for
// its "guidebox serving" line.
func runServeDemo(t *testing.T, addr, metricsAddr string, demo bool) *syncLog {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "guidebox.yaml")
	cfg := fmt.Sprintf("http: {addr: %q, metrics_addr: %q}\ndatabase: {driver: sqlite, dsn: %q}\n"+
		"sim: {embedded: true, demo: %t, addr: %q}\nsidebar: {demo: %t, admins: [chentingting], session_key: %q}\n"+
		"wecom: {callback_max_skew: 0}\nworker: {reconcile_interval: 0}\nlog: {format: text}\n",
		addr, metricsAddr, filepath.Join(dir, "guidebox.db"), demo, freeAddr(t), demo, "test-session-key-0123456789")
	require.NoError(t, os.WriteFile(file, []byte(cfg), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	log := &syncLog{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--config", file}, stdio{out: io.Discard, err: log}) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	require.Eventually(t, func() bool { return log.has("guidebox serving") || log.has("level=ERROR") }, 30*time.Second, 20*time.Millisecond)
	require.False(t, log.has("level=ERROR"), log.String())
	if demo {
		require.Eventually(t, func() bool { return log.has("demo ready") || log.has("level=ERROR") }, 60*time.Second, 50*time.Millisecond)
	}
	return log
}

func assertGet(t *testing.T, url string, status int, body string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, status, resp.StatusCode, url)
	assert.Contains(t, string(b), body, url)
}

// syncLog is a log destination the test reads while serve writes.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *syncLog) has(s string) bool { return strings.Contains(l.String(), s) }

// line is the first log line containing msg.
func (l *syncLog) line(t *testing.T, msg string) string {
	t.Helper()
	for _, ln := range strings.Split(l.String(), "\n") {
		if strings.Contains(ln, msg) {
			return ln
		}
	}
	t.Fatalf("no log line %q in:\n%s", msg, l.String())
	return ""
}
