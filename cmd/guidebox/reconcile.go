package main

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// runReconcile is `guidebox reconcile [userid...]`: repair drift against WeCom now.
// Without user ids it syncs the directory and every active guide.
func runReconcile(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, needAPI)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Log, std.err)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	gs := a.newGraphService(nil)
	ctx = service.WithLane(ctx, service.LaneBackground) // WeCom's budget: after everything else
	print := func(r graph.ReconcileReport) {
		if r.Unlicensed {
			fmt.Fprintf(std.out, "%-20s skipped (no interop license in WeCom: 接口许可; nothing changed)\n", r.UserID)
			return
		}
		if r.Skipped {
			fmt.Fprintf(std.out, "%-20s skipped (resigned or unknown to WeCom)\n", r.UserID)
			return
		}
		fmt.Fprintf(std.out, "%-20s %6d customers, %d added, %d removed, %d groups\n", r.UserID, r.Seen, r.Added, r.Removed, r.Groups)
	}
	if len(rest) == 0 {
		return gs.ReconcileAll(ctx, time.Now(), print)
	}
	for _, id := range rest {
		r, err := gs.ReconcileGuide(ctx, id, time.Now())
		if err != nil {
			return err
		}
		print(r)
	}
	return nil
}
