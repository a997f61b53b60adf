// Command guidebox is the WeCom back office for retail shopping guides: the service (serve),
// the WeCom simulator (sim), schema migrations (migrate), inbox, handover and scheduled-job tools.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
	_ "time/tzdata" // workbench.timezone resolves on hosts without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], stdio{out: os.Stdout, err: os.Stderr})
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "guidebox:", ee.err)
		}
		os.Exit(ee.code)
	case err != nil:
		fmt.Fprintln(os.Stderr, "guidebox:", err)
		os.Exit(1)
	}
}

// exitError ends the process with its code, printing err if any: the imports' 0/1/2 contract.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// stdio is where a command prints its output (out) and its log (err); tests capture both.
type stdio struct{ out, err io.Writer }

// command is one subcommand: its arguments and what it does, for the usage text.
type command struct {
	name, args, what string
	run              func(ctx context.Context, args []string, std stdio) error
}

var commands = []command{
	{"serve", "[--config file]", "run the service: callbacks, inbox workers, sidebar, admin, handover runner", runServe},
	{"sim", "[--config file]", "run the WeCom simulator on sim.addr (for a separate serve or load tests)", runSim},
	{"migrate", "[--config file] [--force N]", "apply schema changes and exit (serve also applies them at start); --force N marks a schema repaired by hand clean at N", runMigrate},
	{"inbox", "[--config file] stats | parked | replay [id...]", "the callback inbox: counts, parked events, replay them", runInbox},
	{"reconcile", "[--config file] [userid...]", "repair drift against WeCom (no ids: the directory and every active guide)", runReconcile},
	{"handover", "[--config file] list|plan|run|status ...", "hand over customers and groups of guides (see docs/handover.md)", runHandover},
	{"products", "[--config file] import FILE | export FILE", "the catalogue: import products from FILE (.csv or .xlsx) or export them (- for CSV on stdout); an import exits 0 when every row was stored, 1 when some were refused (the rest stored), 2 when the file cannot be read", runProducts},
	{"orders", "[--config file] import FILE", "import orders from FILE (.csv or .xlsx); exits 0, 1 or 2 as products import", runOrders},
	{"kpi", "[--config file] status | rebuild [--from DAY --to DAY]", "the guides' performance rollups (导购三率): their progress, or recompute them from the activity log", runKPI},
	{"jobs", "[--config file] [list]", "the scheduled jobs (reconciliation, inbox retention, handover sweep): period, holder, last run, last error", runJobs},
	{"version", "", "print the version, commit and build date", nil},
	{"help", "[command]", "print this help, or a command's", nil},
}

const configHelp = `The configuration is --config file (or GUIDEBOX_CONFIG) plus GUIDEBOX_<SECTION>_<KEY> environment
variables; configs/guidebox.example.yaml documents every key. It is validated before anything starts.`

// usage is the whole program's help.
func usage() string {
	s := "guidebox — WeCom back office for retail shopping guides\n\nusage: guidebox <command> [args]\n\ncommands:\n"
	for _, c := range commands {
		s += fmt.Sprintf("  %-10s %s\n", c.name, c.what)
	}
	return s + "\n'guidebox <command> --help' describes one command.\n\n" + configHelp
}

// commandUsage is one command's help.
func commandUsage(c command) string {
	s := fmt.Sprintf("usage: guidebox %s %s\n\n%s\n", c.name, c.args, c.what)
	if c.name == "handover" {
		s += "\n" + handoverUsage + "\n"
	}
	return s + "\n" + configHelp
}

func run(ctx context.Context, args []string, std stdio) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(std.out, usage())
		return nil
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == args[0] })
	if i < 0 {
		return fmt.Errorf("unknown command %q\n\n%s", args[0], usage())
	}
	cmd, rest := commands[i], args[1:]
	if slices.Contains(rest, "-h") || slices.Contains(rest, "--help") {
		fmt.Fprintln(std.out, commandUsage(cmd))
		return nil
	}
	switch cmd.name {
	case "help":
		if len(rest) == 0 {
			fmt.Fprintln(std.out, usage())
			return nil
		}
		return run(ctx, []string{rest[0], "--help"}, std)
	case "version":
		fmt.Fprint(std.out, versionText())
		return nil
	}
	return cmd.run(ctx, rest, std)
}

// noArgs refuses arguments a command does not take.
func noArgs(name string, rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("%s: unexpected argument %q (see guidebox %s --help)", name, rest[0], name)
	}
	return nil
}
