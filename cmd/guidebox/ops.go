package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/guidebox/guidebox/repo"
)

// runMigrate is `guidebox migrate`: apply schema changes and exit.
func runMigrate(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return err
	}
	if err := noArgs("migrate", rest); err != nil {
		return err
	}
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return err
	}
	n, err := repo.Migrate(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "applied %d migration(s) to %s\n", n, cfg.Database.Driver)
	return nil
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
	store := repo.NewInboxStore(db)
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
