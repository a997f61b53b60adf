package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/sidebar"
	sidebarui "github.com/guidebox/guidebox/sidebar-ui"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// mountSidebar builds the guide sidebar's routes: WeCom OAuth (/oauth/...), the JSON API (/api/sidebar/...),
// the embedded UI (/sidebar/, /admin/) and, only when sidebar.demo is set with the embedded simulator,
// the demo bridge (/demo/...) with the simulator's demo products.
// Config keys: sidebar.session_key (required outside the demo), sidebar.trusted_domains, sidebar.admins, sidebar.demo.
func (a *app) mountSidebar(ctx context.Context) (handler.Mounter, *sidebar.SessionService, error) {
	c := a.cfg.Sidebar
	demo := c.Demo && a.cfg.Sim.Embedded
	key := []byte(c.SessionKey)
	if len(key) < 16 {
		if !demo {
			return nil, nil, fmt.Errorf("config sidebar.session_key: must be set, at least 16 bytes")
		}
		key = make([]byte, 32) // the demo may run without one: sessions then end with the process
		_, _ = rand.Read(key)
	}
	corp, agent := a.cfg.WeCom.CorpID, a.cfg.WeCom.AgentID
	adapter := wecom.NewSidebar(a.wc)
	store := sidebardb.New(a.db, corp)
	sessions, err := sidebar.NewSessionService(sidebar.SessionConfig{Key: key, CorpID: corp, AgentID: agent,
		Admins: c.Admins, Demo: demo}, adapter, a.graph)
	if err != nil {
		return nil, nil, fmt.Errorf("config sidebar.session_key: %w", err)
	}
	if demo {
		if err := store.UpsertProducts(ctx, demoProducts()); err != nil {
			return nil, nil, fmt.Errorf("demo products: %w", err)
		}
		a.log.Warn("sidebar demo bridge enabled: /demo/ signs in without OAuth (offline demo only)")
	}
	return handler.NewSidebarHandler(handler.SidebarDeps{
		// A card opened before the inbox's backlog reaches its customer is read from WeCom on the spot.
		Sidebar:  sidebar.NewService(store, adapter, nil, nil, a.newGraphService(nil)),
		Sessions: sessions,
		JSAPI:    sidebar.NewJSAPIService(adapter, corp, agent, c.TrustedDomains),
		UI:       sidebarui.Dist(),
		Demo:     demo,
		Log:      a.log,
	}), sessions, nil
}

// The graph reads a customer on the spot for the sidebar's card.
var _ sidebar.ContactReader = (*graph.Service)(nil)

// demoProducts is the simulator's demo catalogue, each product tagged with the 偏好品类 tag of its category
// in the demo corp (sim.DemoCorp(1), the corp serve loads), so recommendations can give a reason.
func demoProducts() []sidebar.Product {
	cat := map[string]string{}
	for _, g := range sim.DemoCorp(1).TagGroups {
		if g.Name == "偏好品类" {
			for _, t := range g.Tags {
				cat[t.Name] = t.ID
			}
		}
	}
	var out []sidebar.Product
	for i, p := range sim.DemoProducts() {
		sp := sidebar.Product{ProductID: p.ID, Name: p.Name, Description: p.Category, PriceCents: int64(p.Price),
			LinkURL: "https://shop.example.com/products/" + p.ID, StoreID: int64(p.StoreID), Order: int64(100 - i),
			ImageURL: "/demo/products/" + p.ID + ".svg"}
		if id := cat[p.Category]; id != "" {
			sp.TagIDs = []string{id}
		}
		out = append(out, sp)
	}
	return out
}
