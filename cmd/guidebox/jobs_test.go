package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/jobdb"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/jobs"
)

// TestScheduledJobsKeepTheirKeys: the jobs take their periods from the keys that configured the
// old loops; 0 turns a job off, and an intake-only replica takes no retention or handover sweep.
func TestScheduledJobsKeepTheirKeys(t *testing.T) {
	base, err := LoadConfig("")
	require.NoError(t, err)
	tests := []struct {
		name string
		tune func(*Config)
		want map[string]time.Duration
	}{
		{"defaults", func(*Config) {}, map[string]time.Duration{jobReconcile: 24 * time.Hour, jobInboxRetention: time.Hour, jobHandoverReconcile: 6 * time.Hour,
			jobOrderLink: 10 * time.Minute}},
		{"intervals 0", func(c *Config) {
			c.Worker.Reconcile, c.Worker.RetainDone, c.Handover.Reconcile, c.Worker.OrderLink = 0, 0, 0, 0
		},
			map[string]time.Duration{jobReconcile: 0, jobInboxRetention: 0, jobHandoverReconcile: 0, jobOrderLink: 0}},
		{"intake only", func(c *Config) { c.Worker.Enabled = false },
			map[string]time.Duration{jobReconcile: 24 * time.Hour, jobInboxRetention: 0, jobHandoverReconcile: 0, jobOrderLink: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.tune(&cfg)
			got := map[string]time.Duration{}
			for _, j := range (&app{cfg: cfg}).scheduledJobs(nil, nil) {
				got[j.Name] = j.Every
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestHandoverSweepIsAScheduledJob: two replicas of the real wiring tick at once on one database;
// the get_unassigned_list sweep runs on one of them, files the departed guide's customers, and
// `guidebox jobs` shows who ran it and what is next.
func TestHandoverSweepIsAScheduledJob(t *testing.T) {
	w := newHandoverWorld(t)
	ctx := context.Background()
	require.NoError(t, w.env.Sim.ResignUser("gone")) // the service never hears of it
	var replicas []*jobs.Scheduler
	for _, holder := range []string{"replica-1", "replica-2"} {
		a, err := openApp(ctx, w.cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		require.NoError(t, err)
		t.Cleanup(a.close)
		cases, err := newHandoverService(a, w.cfg.Handover)
		require.NoError(t, err)
		s, err := a.newScheduler(holder, a.scheduledJobs(a.newGraphService(cases), cases))
		require.NoError(t, err)
		replicas = append(replicas, s)
	}
	var wg sync.WaitGroup
	for _, s := range replicas {
		wg.Go(func() { s.Tick(ctx) })
	}
	wg.Wait()
	for _, s := range replicas {
		s.Wait()
	}

	svc, err := newHandoverService(w.app, w.cfg.Handover)
	require.NoError(t, err)
	cases, err := svc.ListCases(ctx, handover.CaseFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, cases, 1, "the sweep found the departure")
	assert.Equal(t, "unassigned", cases[0].Source)

	var out bytes.Buffer
	require.NoError(t, jobsCmd(ctx, w.cfg, nil, &out))
	assert.Regexp(t, `(?m)^JOB\s+EVERY\s+STATE\s+HOLDER\s+LAST RUN\s+TOOK\s+LAST OK\s+NEXT\s+LAST ERROR$`, out.String())
	assert.Regexp(t, `(?m)^handover\.reconcile\s+6h0m0s\s+ok\s+replica-[12]\s+\d{4}-`, out.String())
	assert.Regexp(t, `(?m)^graph\.reconcile\s+24h0m0s\s+never run\s+-\s+-\s+-\s+-\s+\d{4}-`, out.String(), "first run a period after it was scheduled")
	assert.Regexp(t, `(?m)^graph\.inbox_retention\s+1h0m0s\s+never run\s`, out.String())
	assert.NotContains(t, out.String(), w.env.Secret)

	err = jobsCmd(ctx, w.cfg, []string{"bogus"}, &out)
	assert.ErrorContains(t, err, `unknown jobs command "bogus"`)
}

// TestJobsCommandNeedsOnlyTheDatabase: `guidebox jobs --config configs/demo.yaml` lists the demo's
// jobs (under the embedded simulator's corp) without WeCom credentials.
func TestJobsCommandNeedsOnlyTheDatabase(t *testing.T) {
	cfg, err := LoadConfig("../../configs/demo.yaml")
	require.NoError(t, err)
	cfg.Database.DSN = filepath.Join(t.TempDir(), "guidebox.db")
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	require.NoError(t, err)
	_, err = repo.Migrate(context.Background(), db)
	require.NoError(t, err)
	ok, err := jobdb.New(db, demoCorpID).Acquire(context.Background(), jobs.Claim{Name: jobHandoverReconcile, Holder: "demo-replica",
		Now: time.Now(), Every: time.Hour, Lease: time.Minute, FirstRunNow: true})
	require.NoError(t, err)
	require.True(t, ok)
	var out bytes.Buffer
	require.NoError(t, jobsCmd(context.Background(), cfg, []string{"list"}, &out))
	assert.Regexp(t, `(?m)^graph\.reconcile\s+off\s+off\s`, out.String(), "demo.yaml turns it off")
	assert.Regexp(t, `(?m)^handover\.reconcile\s+6h0m0s\s+running\s+demo-replica\s`, out.String())
}
