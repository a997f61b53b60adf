package main

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
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
	graph := a.newGraphService()
	print := func(r service.ReconcileReport) {
		if r.Skipped {
			fmt.Fprintf(std.out, "%-20s skipped (resigned or unknown to WeCom)\n", r.UserID)
			return
		}
		fmt.Fprintf(std.out, "%-20s %6d customers, %d added, %d removed, %d groups\n", r.UserID, r.Seen, r.Added, r.Removed, r.Groups)
	}
	if len(rest) == 0 {
		return graph.ReconcileAll(ctx, time.Now(), print)
	}
	for _, id := range rest {
		r, err := graph.ReconcileGuide(ctx, id, time.Now())
		if err != nil {
			return err
		}
		print(r)
	}
	return nil
}

// reconcileLoop runs the full reconciliation every interval until ctx ends (0 turns it off).
// With several replicas, set worker.reconcile_interval on one of them only.
func (a *app) reconcileLoop(ctx context.Context, graph *service.GraphService) {
	every := a.cfg.Worker.Reconcile
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			start, guides, fixed := time.Now(), 0, 0
			err := graph.ReconcileAll(ctx, start, func(r service.ReconcileReport) { guides++; fixed += r.Added + r.Removed })
			if err != nil && ctx.Err() == nil {
				a.log.Error("scheduled reconciliation failed", "err", err)
				continue
			}
			a.log.Info("scheduled reconciliation", "guides", guides, "edges_repaired", fixed, "took", time.Since(start).String())
		}
	}
}

// purgeLoop deletes applied callbacks older than worker.retain_done, hourly (0 keeps them all).
func (a *app) purgeLoop(ctx context.Context) {
	retain := a.cfg.Worker.RetainDone
	if retain <= 0 {
		return
	}
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := service.PurgeInbox(ctx, a.inbox, retain, time.Now())
			if err != nil && ctx.Err() == nil {
				a.log.Error("inbox purge failed", "err", err)
				continue
			}
			if n > 0 {
				a.log.Info("inbox purged", "deleted", n, "older_than", retain.String())
			}
		}
	}
}
