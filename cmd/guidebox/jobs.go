package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/jobdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/jobs"
)

// The scheduled jobs' names (their rows in job_leases, and `guidebox jobs`).
const (
	jobReconcile         = "graph.reconcile"       // worker.reconcile_interval
	jobInboxRetention    = "graph.inbox_retention" // hourly while worker.retain_done > 0
	jobHandoverReconcile = "handover.reconcile"    // handover.reconcile_interval
	jobOrderLink         = "catalog.order_link"    // worker.order_link_interval
)

// scheduledJobs are serve's periodic jobs. Every replica schedules them; each run happens on one
// replica at a time (service/jobs). An interval of 0 turns a job off on this replica; an
// intake-only replica (worker.enabled: false) takes no inbox retention or handover sweep, as it
// takes no inbox rows or handover cases. gs and cases may be nil where the jobs are only listed.
func (a *app) scheduledJobs(gs *graph.Service, cases *handover.Service) []jobs.Job {
	w := a.cfg.Worker
	var retention, sweep, link time.Duration
	if w.Enabled {
		if w.RetainDone > 0 {
			retention = time.Hour
		}
		sweep = a.cfg.Handover.Reconcile
		link = w.OrderLink
	}
	return []jobs.Job{
		{Name: jobReconcile, Every: w.Reconcile, Run: func(ctx context.Context) error {
			ctx = service.WithLane(ctx, service.LaneBackground) // WeCom's budget: after everything else
			start, guides, fixed := time.Now(), 0, 0
			err := gs.ReconcileAll(ctx, start, func(r graph.ReconcileReport) { guides++; fixed += r.Added + r.Removed })
			a.log.InfoContext(ctx, "scheduled reconciliation", "guides", guides, "edges_repaired", fixed)
			return err
		}},
		{Name: jobInboxRetention, Every: retention, Run: func(ctx context.Context) error {
			n, err := graph.PurgeInbox(ctx, a.inbox, w.RetainDone, time.Now())
			if n > 0 {
				a.log.InfoContext(ctx, "inbox purged", "deleted", n, "older_than", w.RetainDone.String())
			}
			return err
		}},
		// Departures the callbacks missed are found at start-up, as the handover runner used to.
		{Name: jobHandoverReconcile, Every: sweep, FirstRunNow: true, Run: func(ctx context.Context) error {
			n, err := cases.Reconcile(service.WithLane(ctx, service.LaneBackground))
			if n > 0 {
				a.log.InfoContext(ctx, "handover sweep filed customers", "new_items", n)
			}
			return err
		}},
		// Orders known only by unionid are linked to customers who appeared since (the card matches
		// them at read time already; this writes the link for reports).
		{Name: jobOrderLink, Every: link, Run: func(ctx context.Context) error {
			n, err := a.catalog.LinkOrders(ctx)
			if n > 0 {
				a.log.InfoContext(ctx, "orders linked to customers", "linked", n)
			}
			return err
		}},
	}
}

// newScheduler runs js under leases in the app's database, as holder (workerName() in serve).
func (a *app) newScheduler(holder string, js []jobs.Job) (*jobs.Scheduler, error) {
	return jobs.New(jobs.Config{Holder: holder, Secrets: a.cfg.secrets()}, jobdb.New(a.db, a.cfg.WeCom.CorpID), a.log, js...)
}

// runJobs is `guidebox jobs`: the scheduled jobs with their period here, lease and last run.
func runJobs(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return err
	}
	return jobsCmd(ctx, cfg, rest, std.out)
}

// jobsCmd prints the jobs table to out.
func jobsCmd(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	if len(args) > 0 && args[0] != "list" {
		return fmt.Errorf("unknown jobs command %q (usage: guidebox jobs [list])", args[0])
	}
	// Only the database: listing runs no job, so it needs no WeCom (nor the demo's simulator).
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return err
	}
	if _, err := repo.Migrate(ctx, db); err != nil { // as every command that opens the database
		return err
	}
	if cfg.Sim.Embedded { // serve's embedded simulator names the demo corp
		cfg.WeCom.CorpID = orDefault(cfg.WeCom.CorpID, demoCorpID)
	}
	a := &app{cfg: cfg, log: newLogger(cfg.Log, os.Stderr), db: db}
	defer a.close()
	sched, err := a.newScheduler(workerName(), append(append(a.scheduledJobs(nil, nil), a.tasksJob(nil), a.kpiJob()), a.recommendJobs()...))
	if err != nil {
		return err
	}
	sts, err := sched.Statuses(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tEVERY\tSTATE\tHOLDER\tLAST RUN\tTOOK\tLAST OK\tNEXT\tLAST ERROR")
	for _, s := range sts {
		every := "off"
		if s.Every > 0 {
			every = s.Every.String()
		}
		took := "-"
		if s.LastRunAt != nil && s.LastDoneAt != nil && !s.LastDoneAt.Before(*s.LastRunAt) {
			took = s.LastDoneAt.Sub(*s.LastRunAt).Round(time.Millisecond).String()
		}
		holder := s.Holder
		if holder == "" {
			holder = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, every, s.Phase, holder, when(s.LastRunAt), took,
			when(s.LastOKAt), when(s.Next), s.LastError)
	}
	return tw.Flush()
}

// when formats an optional time for the jobs table (UTC, like the database).
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}
