package main

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/repo/workbenchdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
	"github.com/guidebox/guidebox/wecom/sim"
)

// seedDemoTimeline gives each active guide's first customers a few days of work to show in the card's
// 轨迹 tab, next to what the demo's sync, notes and orders recorded already (adds with their channels,
// group joins, follow-ups, purchases): a product shared two days ago, a quick reply and a material sent
// the day before. They go through the stores that record them in the activity log, with past times.
func seedDemoTimeline(ctx context.Context, a *app, wb *workbench.Service) error {
	corp := a.cfg.WeCom.CorpID
	shares, sends := sidebardb.New(a.db, corp), workbenchdb.New(a.db, corp)
	replies, err := wb.Library(ctx, demoAdmin, workbench.LibraryReply, "")
	if err != nil {
		return err
	}
	materials, err := wb.Library(ctx, demoAdmin, workbench.LibraryMaterial, "")
	if err != nil {
		return err
	}
	products := sim.DemoProducts()
	guides, err := a.graph.ListGuides(ctx, 0)
	if err != nil {
		return err
	}
	today := time.Now().Truncate(24 * time.Hour)
	for gi, g := range guides {
		if g.Status != service.GuideActive {
			continue
		}
		ids, err := a.graph.ActiveCustomerIDs(ctx, g.UserID, "", 2)
		if err != nil || len(ids) == 0 {
			continue
		}
		for ci, ext := range ids {
			p := products[(gi+ci)%len(products)]
			if _, err := shares.AddShare(ctx, service.Share{UserID: g.UserID, ExternalUserID: ext, ProductID: p.ID, MsgType: "news",
				SharedAt: today.AddDate(0, 0, -2).Add(8 * time.Hour)}); err != nil {
				return fmt.Errorf("demo share: %w", err)
			}
			for k, lib := range [][]workbench.Group{replies, materials} {
				if len(lib) == 0 || len(lib[0].Items) == 0 {
					continue
				}
				it := lib[0].Items[(gi+ci)%len(lib[0].Items)]
				if _, err := sends.AddSend(ctx, workbench.Send{UserID: g.UserID, ExternalUserID: ext, ItemID: it.ID, Library: it.Library,
					Kind: it.Kind, Title: orText(it.Title, it.Content), SentAt: today.AddDate(0, 0, -1).Add(time.Duration(2+k) * time.Hour)}); err != nil {
					return fmt.Errorf("demo send: %w", err)
				}
			}
		}
	}
	return nil
}

// orText is an item's title, or the first words of its text.
func orText(title, content string) string {
	if title != "" {
		return title
	}
	if r := []rune(content); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return content
}
