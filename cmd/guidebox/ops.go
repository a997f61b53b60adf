package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
)

// runMigrate is `guidebox migrate [--force N]`: apply schema changes and exit; with --force, mark a
// schema repaired by hand after a failed migration clean at version N (0: none) and apply nothing.
func runMigrate(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return err
	}
	force, err := parseForce(rest) // refuses any other argument
	if err != nil {
		return err
	}
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return err
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	}()
	if force >= 0 {
		if err := repo.ForceVersion(ctx, db, force); err != nil {
			return err
		}
		fmt.Fprintf(std.out, "schema of %s marked clean at version %d; `guidebox migrate` applies what follows it\n", cfg.Database.Driver, force)
		return nil
	}
	n, err := repo.Migrate(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "applied %d migration(s) to %s\n", n, cfg.Database.Driver)
	return nil
}

// parseForce reads `--force N` or `--force=N`; -1 when absent. Anything else is refused, so that a
// mistyped flag never runs migrations.
func parseForce(args []string) (int, error) {
	const usage = "usage: guidebox migrate [--config file] [--force N]"
	switch {
	case len(args) == 0:
		return -1, nil
	case len(args) == 2 && args[0] == "--force":
		args = []string{"--force=" + args[1]}
	}
	v, ok := strings.CutPrefix(args[0], "--force=")
	if len(args) != 1 || !ok {
		return 0, fmt.Errorf("%s", usage)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("--force: %q is not a migration version (%s)", v, usage)
	}
	return n, nil
}

// runInbox is `guidebox inbox stats|parked|replay [id...]`.
func runInbox(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return fmt.Errorf("usage: guidebox inbox stats | parked | replay [id...]")
	}
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return err
	}
	store := graphdb.NewInboxStore(db)
	switch rest[0] {
	case "stats":
		st, err := store.Stats(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "pending %d\nparked  %d\n", st.Pending, st.Parked)
	case "parked":
		items, err := store.ListParked(ctx, 200)
		if err != nil {
			return err
		}
		for _, it := range items {
			fmt.Fprintf(std.out, "%d\t%s/%s\t%s\tattempts=%d\t%s\n", it.ID, it.Event, it.ChangeType, it.EventTime.Format("2006-01-02 15:04:05"), it.Attempts, it.LastError)
		}
	case "replay":
		var ids []int64
		for _, a := range rest[1:] {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil {
				return fmt.Errorf("replay: %q is not an inbox id", a)
			}
			ids = append(ids, id)
		}
		n, err := store.Replay(ctx, ids)
		if err != nil {
			return err
		}
		fmt.Fprintf(std.out, "replayed %d parked event(s)\n", n)
	default:
		return fmt.Errorf("unknown inbox command %q (stats, parked, replay)", rest[0])
	}
	return nil
}

// workerName identifies this process's inbox leases.
func workerName() string {
	h, _ := os.Hostname()
	return h + ":" + strconv.Itoa(os.Getpid())
}
