package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// Distinctive values a leak check can look for.
const (
	leakSecret     = "GBX-corp-secret-never-in-any-output-7f3a9c"
	leakSessionKey = "GBX-session-key-never-in-any-output-42"
)

// lockedBuffer is a log sink safe for concurrent writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSecretsStayOutOfLogsInboxAndCLI runs `guidebox serve` at log level debug against a WeCom that
// hands out a token and then fails every call: an event that needs externalcontact/get is retried
// and parked, and forged or undecryptable callbacks are rejected. The debug log, every column of
// inbox_events and `guidebox inbox parked` hold neither the configured secrets nor any token or
// ticket the simulator issued.
func TestSecretsStayOutOfLogsInboxAndCLI(t *testing.T) {
	tests := []struct {
		name        string
		maxAttempts int
		fault       func(*sim.Sim)
	}{
		{"connections dropped", 2, func(s *sim.Sim) { s.SetDrop(sim.AllPaths, 1<<20) }},
		{"no answer within the client timeout", 1, func(s *sim.Sim) { s.SetLatency(sim.AllPaths, time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { leakScenario(t, tt.maxAttempts, tt.fault) })
	}
}

func leakScenario(t *testing.T, maxAttempts int, fault func(*sim.Sim)) {
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	env := simtest.New(t, simtest.WithCallbackURL("http://"+addr+"/wecom/callback"), simtest.WithSecret(leakSecret))
	dsn := repotest.DSN(t)
	file := filepath.Join(t.TempDir(), "guidebox.yaml")
	require.NoError(t, os.WriteFile(file, fmt.Appendf(nil, `http: {addr: %q}
database: {driver: mysql, dsn: %q}
wecom: {corp_id: %q, agent_id: 1000002, secret: %q, token: %q, aes_key: %q, base_url: %q, callback_max_skew: 0}
worker: {max_attempts: %d}
sidebar: {session_key: %q}
log: {level: debug, format: json}
`, addr, dsn, simtest.CorpID, leakSecret, simtest.Token, simtest.AESKey, env.URL, maxAttempts, leakSessionKey), 0o600))
	cfg, err := LoadConfig(file)
	require.NoError(t, err)

	logs := &lockedBuffer{}
	srvCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(srvCtx, cfg, newLogger(cfg.Log, logs)) }()
	stopped := false
	stopServe := func() {
		if !stopped {
			stopped = true
			stop()
			require.NoError(t, <-done)
		}
	}
	t.Cleanup(stopServe)
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	}, time.Minute, 20*time.Millisecond, "serve answers /healthz (a bound for a loaded machine, not a speed check)")

	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(t, err)
	inbox := graphdb.NewInboxStore(db)
	s := env.Sim
	s.AddDepartment(sim.Department{ID: 2, Name: "杭州湖滨店", ParentID: 1})
	s.AddUser(sim.User{UserID: "g1", Name: "导购g1", Departments: []int{2}, MainDepartment: 2})
	// A first customer is enriched normally: WeCom hands out a token.
	_, _, err = s.CustomerAddsGuide("g1", sim.Customer{Name: "顾客一", Type: 1}, "qr-hubin")
	require.NoError(t, err)
	require.NoError(t, s.Flush(ctx))
	require.Eventually(t, func() bool {
		st, err := inbox.Stats(ctx)
		return err == nil && st.Pending == 0
	}, 30*time.Second, 20*time.Millisecond)
	require.NotEmpty(t, s.IssuedTokens())

	// Then WeCom fails every call; the next customer's enrichment fails until it is parked.
	fault(s)
	ext, _, err := s.CustomerAddsGuide("g1", sim.Customer{Name: "顾客二", Type: 1}, "qr-hubin")
	require.NoError(t, err)
	require.NoError(t, s.Flush(ctx))
	require.Eventually(t, func() bool {
		st, err := inbox.Stats(ctx)
		return err == nil && st.Parked == 1 && st.Pending == 0
	}, 60*time.Second, 50*time.Millisecond)

	var cli bytes.Buffer
	require.NoError(t, runInbox(ctx, []string{"--config", file, "parked"}, stdio{out: &cli, err: io.Discard}))
	assert.Contains(t, cli.String(), "change_external_contact/add_external_contact")
	assert.Contains(t, cli.String(), fmt.Sprintf("attempts=%d", maxAttempts))
	assert.Contains(t, cli.String(), "wecom cgi-bin/externalcontact/get: ", "the reason names the endpoint")

	postBadCallbacks(t, addr)

	rows := dumpTable(t, db, "inbox_events")
	assert.Contains(t, rows, ext, "the parked callback is there")
	stopServe()
	log := logs.String()
	assert.Contains(t, log, `"msg":"config"`)
	assert.Contains(t, log, `"msg":"event parked"`)
	assert.Equal(t, 3, strings.Count(log, `"msg":"callback rejected"`))
	if maxAttempts > 1 {
		assert.Contains(t, log, `"msg":"event retried"`)
	}

	forbidden := append([]string{leakSecret, leakSessionKey, simtest.AESKey, simtest.Token, "access_token=", "corpsecret="},
		s.IssuedTokens()...)
	for what, text := range map[string]string{"debug log": log, "inbox_events": rows, "inbox parked": cli.String()} {
		for _, f := range forbidden {
			assert.NotContains(t, text, f, "%s leaks", what)
		}
	}
}

// postBadCallbacks sends three callbacks the intake rejects, so their errors are logged: a forged
// signature, one sealed with the right token but another AES key, one sealed for another corp.
func postBadCallbacks(t *testing.T, addr string) {
	t.Helper()
	msg := []byte("<xml><ToUserName><![CDATA[" + simtest.CorpID + "]]></ToUserName><CreateTime>1793527200</CreateTime>" +
		"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event></xml>")
	post := func(body []byte, sig string) {
		u := "http://" + addr + "/wecom/callback?msg_signature=" + sig + "&timestamp=1793527200&nonce=n1"
		resp, err := http.Post(u, "text/xml", bytes.NewReader(body))
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	}
	post([]byte("<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>"), "forged")
	for _, c := range []struct{ key, corp string }{
		{"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", simtest.CorpID},
		{simtest.AESKey, "wwanothercorp000001"},
	} {
		cr, err := callback.New(simtest.Token, c.key, c.corp)
		require.NoError(t, err)
		body, sig, err := cr.Seal(msg, "1793527200", "n1")
		require.NoError(t, err)
		post(body, sig)
	}
}

// dumpTable renders every column of every row of table as text.
func dumpTable(t *testing.T, db *gorm.DB, table string) string {
	t.Helper()
	rows, err := db.Raw("SELECT * FROM " + table).Rows()
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		for i, v := range vals {
			if raw, ok := v.([]byte); ok {
				v = string(raw)
			}
			fmt.Fprintf(&b, "%s=%v\t", cols[i], v)
		}
		b.WriteString("\n")
	}
	require.NoError(t, rows.Err())
	return b.String()
}
