package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/kpidb"
	"github.com/guidebox/guidebox/service/jobs"
	"github.com/guidebox/guidebox/service/kpi"
)

// KPIConfig is the kpi section (kpi.*): the guides' performance rollups (导购三率).
type KPIConfig struct {
	// AttributionDays: an order is credited to the last guide who sent the customer something within
	// this many days before the payment, else to the customer's owner.
	AttributionDays int `mapstructure:"attribution_days"`
	// Timezone is the corp's IANA time zone: the rollups' days begin at its midnight.
	Timezone string `mapstructure:"timezone"`
	// Interval is how often the rollups fold the new activity (one replica at a time); 0 turns it off.
	Interval time.Duration `mapstructure:"interval"`
	// Batch is how many activity rows one transaction folds.
	Batch int `mapstructure:"batch"`
}

var kpiDefaults = map[string]any{"kpi.attribution_days": 7, "kpi.timezone": "Asia/Shanghai", "kpi.interval": "1m", "kpi.batch": 50000}

// jobKPI folds the activity log into the rollups (kpi.interval).
const jobKPI = "kpi.rollup"

func (c Config) checkKPI(v *checker) {
	v.atLeast("kpi.attribution_days", int64(c.KPI.AttributionDays), 1)
	v.atLeast("kpi.batch", int64(c.KPI.Batch), 1)
	v.duration("kpi.interval", c.KPI.Interval, time.Second, true)
	if _, err := time.LoadLocation(c.KPI.Timezone); err != nil || c.KPI.Timezone == "" {
		v.bad("kpi.timezone", "must be an IANA time zone such as Asia/Shanghai, not %q", c.KPI.Timezone)
	}
}

// kpiService is the rollups' service, built once.
func (a *app) kpiService() *kpi.Service {
	if a.kpi == nil {
		loc, err := time.LoadLocation(a.cfg.KPI.Timezone)
		if err != nil { // validated at start-up
			loc = nil
		}
		a.kpi = kpi.New(kpi.Config{AttributionDays: a.cfg.KPI.AttributionDays, Location: loc, Batch: a.cfg.KPI.Batch},
			kpidb.New(a.db, a.cfg.WeCom.CorpID), repo.NewTxManager(a.db), a.log)
	}
	return a.kpi
}

// kpiJob folds what the activity log gained since the last run (and a pending rebuild). An
// intake-only replica (worker.enabled: false) takes no part.
func (a *app) kpiJob() jobs.Job {
	every := a.cfg.KPI.Interval
	if !a.cfg.Worker.Enabled {
		every = 0
	}
	return jobs.Job{Name: jobKPI, Every: every, FirstRunNow: true, Run: func(ctx context.Context) error {
		start := time.Now()
		n, err := a.kpiService().CatchUp(ctx)
		if n > 0 {
			a.log.InfoContext(ctx, "kpi rollups folded", "rows", n, "took", time.Since(start).Round(time.Millisecond).String())
		}
		return err
	}}
}

const kpiUsage = `guidebox kpi status                          the rollups' watermark against the newest activity
guidebox kpi rebuild [--from DAY --to DAY]   recompute the rollups from the activity log (every day, or
                                             the days from..to, as 2026-03-01), then fold until current`

// runKPI is `guidebox kpi`.
func runKPI(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return err
	}
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return err
	}
	if _, err := repo.Migrate(ctx, db); err != nil {
		return err
	}
	if cfg.Sim.Embedded {
		cfg.WeCom.CorpID = orDefault(cfg.WeCom.CorpID, demoCorpID)
	}
	a := &app{cfg: cfg, log: newLogger(cfg.Log, os.Stderr), db: db}
	defer a.close()
	return kpiCmd(ctx, a.kpiService(), rest, std.out)
}

// kpiCmd runs one kpi subcommand against svc.
func kpiCmd(ctx context.Context, svc *kpi.Service, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage:\n%s", kpiUsage)
	}
	switch args[0] {
	case "status":
		st, maxID, err := svc.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "watermark %d of %d activity rows", st.Watermark, maxID)
		if st.ReplayUpto > 0 {
			fmt.Fprintf(out, "; rebuilding %s..%s (%d of %d)", st.ReplayFrom, st.ReplayTo, st.ReplayCursor, st.ReplayUpto)
		}
		fmt.Fprintln(out)
		return nil
	case "rebuild":
		from, to, err := rebuildRange(args[1:])
		if err != nil {
			return err
		}
		start := time.Now()
		if err := svc.Rebuild(ctx, from, to); err != nil {
			return err
		}
		n, err := svc.CatchUp(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "rebuilt: %d activity rows folded in %s\n", n, time.Since(start).Round(time.Millisecond))
		return nil
	}
	return fmt.Errorf("unknown kpi command %q\nusage:\n%s", args[0], kpiUsage)
}

// rebuildRange reads --from DAY --to DAY (both or neither).
func rebuildRange(args []string) (kpi.Day, kpi.Day, error) {
	var from, to kpi.Day
	for i := 0; i < len(args); i++ {
		var dst *kpi.Day
		switch args[i] {
		case "--from":
			dst = &from
		case "--to":
			dst = &to
		default:
			return 0, 0, fmt.Errorf("kpi rebuild: unexpected argument %q\nusage:\n%s", args[i], kpiUsage)
		}
		if i+1 >= len(args) {
			return 0, 0, fmt.Errorf("kpi rebuild: %s needs a day such as 2026-03-01", args[i])
		}
		d, err := kpi.ParseDay(args[i+1])
		if err != nil {
			return 0, 0, fmt.Errorf("kpi rebuild: %s %q is not a day such as 2026-03-01", args[i], args[i+1])
		}
		*dst = d
		i++
	}
	if (from == 0) != (to == 0) || from > to {
		return 0, 0, fmt.Errorf("kpi rebuild: give both --from and --to (from ≤ to), or neither")
	}
	return from, to, nil
}
