package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHelpNeedsNoConfig: help for the program and for each command prints usage and succeeds even when
// the configuration is broken.
func TestHelpNeedsNoConfig(t *testing.T) {
	t.Setenv("GUIDEBOX_CONFIG", filepath.Join(t.TempDir(), "missing.yaml"))
	t.Setenv("GUIDEBOX_HTTP_ADDR", "nonsense")
	tests := []struct {
		args []string
		want string
	}{
		{nil, "usage: guidebox <command>"},
		{[]string{"help"}, "usage: guidebox <command>"},
		{[]string{"--help"}, "usage: guidebox <command>"},
		{[]string{"-h"}, "usage: guidebox <command>"},
		{[]string{"help", "serve"}, "usage: guidebox serve [--config file]"},
		{[]string{"serve", "--help"}, "usage: guidebox serve [--config file]"},
		{[]string{"serve", "--config", "x.yaml", "-h"}, "usage: guidebox serve"},
		{[]string{"sim", "-h"}, "usage: guidebox sim"},
		{[]string{"migrate", "--help"}, "usage: guidebox migrate"},
		{[]string{"inbox", "--help"}, "usage: guidebox inbox"},
		{[]string{"reconcile", "-h"}, "usage: guidebox reconcile"},
		{[]string{"handover", "--help"}, "plan   <case>"},
		{[]string{"version", "--help"}, "usage: guidebox version"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, log bytes.Buffer
			require.NoError(t, run(context.Background(), tt.args, stdio{out: &out, err: &log}))
			assert.Contains(t, out.String(), tt.want)
			assert.Empty(t, log.String())
		})
	}
	err := run(context.Background(), []string{"serve"}, stdio{out: &bytes.Buffer{}, err: &bytes.Buffer{}})
	require.Error(t, err, "without --help the broken configuration is refused")
	err = run(context.Background(), []string{"frobnicate"}, stdio{out: &bytes.Buffer{}, err: &bytes.Buffer{}})
	assert.ErrorContains(t, err, `unknown command "frobnicate"`)
}

// TestVersionPrintsVersionCommitAndDate: what make build's -ldflags set is printed; without them the
// output says so instead of inventing a version.
func TestVersionPrintsVersionCommitAndDate(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"version"}, stdio{out: &out, err: &out}))
	assert.Regexp(t, `(?m)^guidebox devel .*\ncommit  .+\nbuilt   .+\ngo      go1\.`, out.String())

	version, commit, date = "v1.2.3-4-gabcdef0", "abcdef0123456789", "2030-01-02T03:04:05Z"
	t.Cleanup(func() { version, commit, date = "", "", "" })
	out.Reset()
	require.NoError(t, run(context.Background(), []string{"version"}, stdio{out: &out, err: &out}))
	assert.Equal(t, "guidebox v1.2.3-4-gabcdef0\ncommit  abcdef0123456789\nbuilt   2030-01-02T03:04:05Z\n", out.String()[:strings.Index(out.String(), "go ")])
}

// TestBadConfigStartsNothing: serve with a bad key fails naming it before the embedded simulator
// listens, before the database is created or migrated, and before anything is logged.
func TestBadConfigStartsNothing(t *testing.T) {
	tests := []struct{ key, yaml string }{
		{"http.addr", `http: {addr: "nonsense"}`},
		{"http.addr", `http: {addr: "127.0.0.1:99999"}`},
		{"http.metrics_addr", `http: {metrics_addr: "metrics"}`},
		{"log.level", `log: {level: loud}`},
		{"log.format", `log: {format: xml}`},
		{"wecom.base_url", `wecom: {base_url: "qyapi"}`},
		{"worker.lease", `worker: {lease: 0s}`},
		{"handover.auto_strategy", `handover: {auto_strategy: random}`},
	}
	for _, tt := range tests {
		t.Run(tt.yaml, func(t *testing.T) {
			dir := t.TempDir()
			simAddr, db := freeAddr(t), filepath.Join(dir, "guidebox.db")
			file := filepath.Join(dir, "guidebox.yaml")
			cfg := fmt.Sprintf("database: {driver: sqlite, dsn: %q}\nsim: {embedded: true, demo: true, addr: %q}\n"+
				"sidebar: {demo: true}\n%s\n", db, simAddr, tt.yaml)
			require.NoError(t, os.WriteFile(file, []byte(cfg), 0o600))
			// ctx has ended already: a serve that got past validation stops at once instead of serving on.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var out, log bytes.Buffer
			err := run(ctx, []string{"serve", "--config", file}, stdio{out: &out, err: &log})
			require.Error(t, err)
			assert.Equal(t, []string{tt.key}, badKeys(err))
			assert.Contains(t, err.Error(), "config "+tt.key+": ")
			assert.Empty(t, log.String(), "nothing started, nothing logged")
			assert.NoFileExists(t, db, "no database opened or migrated")
			ln, err := net.Listen("tcp", simAddr)
			require.NoError(t, err, "the simulator's port was never taken")
			require.NoError(t, ln.Close())
		})
	}
}

// freeAddr is a loopback address with a port nothing listens on (just released by the kernel).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// discard is stdio for tests that read only the returned error.
var discard = stdio{out: io.Discard, err: io.Discard}
