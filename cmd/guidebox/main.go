// Command guidebox is the WeCom back office for retail shopping guides: the service (serve),
// the WeCom simulator (sim), schema migrations (migrate), inbox and handover tools.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // workbench.timezone resolves on hosts without a zoneinfo database
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "guidebox:", err)
		os.Exit(1)
	}
}

const usage = `guidebox — WeCom back office for retail shopping guides

usage: guidebox <command> [--config file] [args]

commands:
  serve     run the service (callbacks, workers, sidebar, admin)
  sim       run the WeCom simulator on its own address
  migrate   apply schema changes and exit; --force N marks a schema repaired by hand clean at N
  inbox     inspect or replay parked callbacks: inbox stats | inbox parked | inbox replay [id...]
  handover  hand over customers and groups: handover list|plan|run|status (see docs/handover.md)
  reconcile repair drift against WeCom: reconcile [userid...] (no ids: every active guide)
  version   print the version`

func run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Println(usage)
		return nil
	}
	cmd := args[0]
	rest := args[1:]
	switch cmd {
	case "version":
		fmt.Println("guidebox", version)
		return nil
	case "serve":
		return runServe(ctx, rest)
	case "sim":
		return runSim(ctx, rest)
	case "migrate":
		return runMigrate(ctx, rest)
	case "inbox":
		return runInbox(ctx, rest, os.Stdout)
	case "reconcile":
		return runReconcile(ctx, rest)
	case "handover":
		cfg, rest, err := loadConfig(rest)
		if err != nil {
			return err
		}
		return runHandoverCmd(ctx, cfg, rest)
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}
