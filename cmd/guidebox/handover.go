package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom"
)

// HandoverConfig is the handover section of the config (handover.*).
type HandoverConfig struct {
	AutoStrategy    string        `mapstructure:"auto_strategy"`     // round_robin | least_loaded | "" (wait for an admin)
	CustomerLimit   int           `mapstructure:"customer_limit"`    // a taker's customer cap for least_loaded
	GroupDailyLimit int           `mapstructure:"group_daily_limit"` // WeCom: 300 groups per new owner per day
	InheritEdge     bool          `mapstructure:"inherit_edge"`      // copy remark, description and tags to the taker's edge
	InheritToWeCom  bool          `mapstructure:"inherit_to_wecom"`  // also write them to WeCom (2 calls per customer)
	PollInterval    time.Duration `mapstructure:"poll_interval"`
	Reconcile       time.Duration `mapstructure:"reconcile_interval"` // get_unassigned_list sweep, a scheduled job; 0 disables
	Lease           time.Duration `mapstructure:"lease"`
}

// handoverDefaults are the handover.* keys' defaults (for viper's SetDefault).
var handoverDefaults = map[string]any{
	"handover.auto_strategy": "", "handover.customer_limit": 50000, "handover.group_daily_limit": 300,
	"handover.inherit_edge": true, "handover.inherit_to_wecom": true, "handover.poll_interval": "10m",
	"handover.reconcile_interval": "6h", "handover.lease": "10m",
}

// newHandoverService wires the handover service over the app's database and WeCom client.
func newHandoverService(a *app, hc HandoverConfig) (*handover.Service, error) {
	cfg := handover.Config{Owner: workerName(), Lease: hc.Lease, PollInterval: hc.PollInterval,
		CustomerLimit: hc.CustomerLimit, GroupDailyLimit: hc.GroupDailyLimit, InheritEdge: hc.InheritEdge,
		InheritToWeCom: hc.InheritToWeCom, AutoStrategy: hc.AutoStrategy}
	return handover.New(cfg, handoverdb.New(a.db, a.cfg.WeCom.CorpID), wecom.NewTransfers(a.wc), a.tx, a.log)
}

const handoverUsage = `usage: guidebox handover <list|plan|run|status> [flags]
  list   [--status open|running|waiting|done|cancelled] [--kind resigned|onjob]
  plan   <case> [--strategy one|round_robin|least_loaded] [--takeover userid] [--keep]   (preview without --strategy)
  run    <case> [--wait]   execute and follow the case; --wait polls until every customer is final
  status <case>`

// runHandover is `guidebox handover`: list, plan, run and follow cases from a terminal or a script.
func runHandover(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, needAPI)
	if err != nil {
		return err
	}
	return handoverCmd(ctx, cfg, rest, std.out, newLogger(cfg.Log, std.err))
}

// handoverCmd runs one handover subcommand, printing to out (a progress bar when out is a terminal).
func handoverCmd(ctx context.Context, cfg Config, args []string, out io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		return fmt.Errorf("%s", handoverUsage)
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	svc, err := newHandoverService(a, cfg.Handover)
	if err != nil {
		return err
	}
	f, isFile := out.(*os.File)
	cli := handoverCLI{svc: svc, out: out, actor: "cli:" + os.Getenv("USER"), tty: isFile && isTerminal(f)}
	switch args[0] {
	case "list":
		return cli.list(ctx, args[1:])
	case "plan":
		return cli.plan(ctx, args[1:])
	case "run":
		return cli.run(ctx, args[1:])
	case "status":
		return cli.status(ctx, args[1:])
	}
	return fmt.Errorf("unknown handover command %q\n%s", args[0], handoverUsage)
}

// handoverCLI prints cases for people (tables, a progress bar on a terminal) and scripts.
type handoverCLI struct {
	svc   *handover.Service
	out   io.Writer
	actor string
	tty   bool
}

func (h handoverCLI) list(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	status := fs.String("status", "", "case status")
	kind := fs.String("kind", "", "resigned or onjob")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cases, err := h.svc.ListCases(ctx, handover.CaseFilter{Status: *status, Kind: *kind, Limit: 200})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(h.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tGUIDE\tSTATUS\tSTRATEGY\tOPENED")
	for _, c := range cases {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Kind, c.HandoverUserID, c.Status, c.Plan.Strategy, c.OpenedAt.Format(time.DateTime))
	}
	return tw.Flush()
}

func (h handoverCLI) plan(ctx context.Context, args []string) error {
	id, rest, err := caseArg(args)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	strategy := fs.String("strategy", "", "one, round_robin or least_loaded")
	takeover := fs.String("takeover", "", "the taker for strategy one")
	keep := fs.Bool("keep", false, "keep customers with a guide who already follows them")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	var v handover.CaseView
	if *strategy != "" {
		v, err = h.svc.SetPlan(ctx, h.actor, id, handover.Plan{Strategy: *strategy, TakeoverUserID: *takeover, KeepExisting: *keep})
	} else {
		v, err = h.svc.Preview(ctx, id)
	}
	if err != nil {
		return err
	}
	h.printView(v)
	return nil
}

func (h handoverCLI) status(ctx context.Context, args []string) error {
	id, _, err := caseArg(args)
	if err != nil {
		return err
	}
	v, err := h.svc.View(ctx, id)
	if err != nil {
		return err
	}
	h.printView(v)
	return nil
}

// printView prints a case, its counts by state and its takers.
func (h handoverCLI) printView(v handover.CaseView) {
	c := v.Case
	fmt.Fprintf(h.out, "case %d  %s  guide %s  %s  strategy %s\n", c.ID, c.Kind, c.HandoverUserID, c.Status, c.Plan.Strategy)
	for _, kind := range []string{handover.ItemCustomer, handover.ItemGroup} {
		var parts []string
		for _, st := range []string{handover.ItemPending, handover.ItemSubmitting, handover.ItemWaiting, handover.ItemDone,
			handover.ItemRefused, handover.ItemLimit, handover.ItemFailed, handover.ItemExcluded} {
			if n := v.Counts[kind][st]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", st, n))
			}
		}
		fmt.Fprintf(h.out, "  %-8s %s\n", kind+"s", strings.Join(parts, ", "))
	}
	tw := tabwriter.NewWriter(h.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  TAKER\tNAME\tLOAD\tCUSTOMERS\tGROUPS")
	for _, t := range v.Takers {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%d\n", t.UserID, t.Name, t.Load, t.Customers, t.Groups)
	}
	_ = tw.Flush()
}

// caseArg takes the case id from the first argument.
func caseArg(args []string) (int64, []string, error) {
	if len(args) == 0 {
		return 0, nil, fmt.Errorf("missing case id\n%s", handoverUsage)
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, nil, fmt.Errorf("case id %q: want a positive integer", args[0])
	}
	return id, args[1:], nil
}

// isTerminal reports whether f is a character device (a terminal, not a pipe or file).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
