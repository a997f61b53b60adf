package main

import (
	"context"
	"log/slog"
	"math/rand"
	"time"

	"github.com/guidebox/guidebox/repo/kpidb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom/sim"
)

// demoKPIDays is how much history the offline demo's home shows.
const demoKPIDays = 35

// seedDemoKPI gives the offline demo five weeks of what the live paths record as guides work: sidebar
// opens on most working days, product cards and materials sent to their customers, and a send a few
// days before many of the demo orders (which the orders then record themselves, after these rows, so
// the sends take their credit). Once: a database whose log has an older sidebar_open is left alone.
// The rollups' job folds it at start-up.
func (a *app) seedDemoKPI(ctx context.Context, corp *sim.Corp, log *slog.Logger) {
	store := kpidb.New(a.db, a.cfg.WeCom.CorpID)
	now := time.Now()
	if seeded, err := store.HasActivity(ctx, service.ActivitySidebarOpen, now.Add(-24*time.Hour)); err != nil || seeded {
		return
	}
	acts := demoKPIActivity(corp, now)
	if err := store.AppendActivity(ctx, acts); err != nil {
		log.Error("demo activity", "err", err)
		return
	}
	log.Info("demo activity for the console's numbers", "rows", len(acts), "days", demoKPIDays)
}

// demoKPIActivity is the demo's history, the same for the same corp and day (seeded).
func demoKPIActivity(corp *sim.Corp, now time.Time) []service.Activity {
	r := rand.New(rand.NewSource(42))
	customers := map[string][]string{}
	owner := map[string]string{}
	for _, f := range corp.Follows {
		customers[f.UserID] = append(customers[f.UserID], f.ExternalUserID)
		if owner[f.ExternalUserID] == "" {
			owner[f.ExternalUserID] = f.UserID
		}
	}
	var acts []service.Activity
	add := func(at time.Time, kind, guide, ext, ref string) {
		acts = append(acts, service.Activity{At: at, Kind: kind, UserID: guide, ExternalUserID: ext, ActorKind: service.ActorGuide,
			ActorID: guide, Ref: ref})
	}
	for d := demoKPIDays; d >= 1; d-- {
		day := now.AddDate(0, 0, -d).Truncate(time.Hour)
		busy := 0.55 + 0.3*float64(demoKPIDays-d)/demoKPIDays // the guides take to the sidebar over the weeks
		for _, u := range corp.Users {
			if r.Float64() > busy {
				continue
			}
			at := day.Add(time.Duration(r.Intn(9*60)) * time.Minute)
			add(at, service.ActivitySidebarOpen, u.UserID, "", "")
			cs := customers[u.UserID]
			for n := r.Intn(4); n > 0 && len(cs) > 0; n-- {
				kind := []string{service.ActivityProductShared, service.ActivityMaterialSent, service.ActivityReplySent}[r.Intn(3)]
				add(at.Add(time.Duration(n)*time.Minute), kind, u.UserID, cs[r.Intn(len(cs))], "demo")
			}
		}
	}
	for _, o := range sim.DemoOrders(corp, now) {
		g := owner[o.ExternalUserID]
		if g == "" || now.Sub(o.PaidAt) > demoKPIDays*24*time.Hour || r.Intn(10) < 4 {
			continue
		}
		at := o.PaidAt.Add(-time.Duration(6+r.Intn(90)) * time.Hour)
		add(at.Add(-time.Minute), service.ActivitySidebarOpen, g, "", o.ExternalUserID) // shared from the customer's card
		add(at, service.ActivityProductShared, g, o.ExternalUserID, "demo")
	}
	return acts
}
