package main

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/tasks"
	sidebarui "github.com/guidebox/guidebox/sidebar-ui"
	"github.com/guidebox/guidebox/wecom"
)

// mountSidebar builds the guide sidebar's routes: WeCom OAuth (/oauth/...), the JSON API (/api/sidebar/...)
// with the guide's workbench (and its admin routes), the embedded UI (/sidebar/, /admin/) and, only when
// sidebar.demo is set with the embedded simulator, the demo bridge (/demo/...) with the demo's workbench
// data. The catalogue gives the cards their orders, the recommendations their products; access marks store managers' sessions
// and guards the workbench's admin routes.
// Config keys: sidebar.session_key (required outside the demo), sidebar.trusted_domains, sidebar.admins, sidebar.demo.
func (a *app) mountSidebar(acc *access.Service, ts *tasks.Service) ([]handler.Mounter, *sidebar.SessionService, error) {
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
		Admins: c.Admins, Console: acc, Demo: demo}, adapter, a.graph)
	if err != nil {
		return nil, nil, fmt.Errorf("config sidebar.session_key: %w", err)
	}
	wb, err := a.newWorkbench()
	if err != nil {
		return nil, nil, err
	}
	// A card opened before the inbox's backlog reaches its customer is read from WeCom on the spot.
	side := sidebar.NewService(store, a.products, adapter, a.recommend, a.catalog).WithWorkbench(cardWorkbench{wb}).
		WithContactReader(a.newGraphService(nil))
	if demo {
		a.log.Warn("sidebar demo bridge enabled: /demo/ signs in without OAuth (offline demo only)")
		if a.demo != nil {
			a.demo.seedWorkbench = func(ctx context.Context) error { return seedDemoWorkbench(ctx, a, wb, side) }
		}
	}
	routes := []handler.Mounter{handler.NewSidebarHandler(handler.SidebarDeps{
		Sidebar:  side,
		Sessions: sessions,
		JSAPI:    sidebar.NewJSAPIService(adapter, corp, agent, c.TrustedDomains),
		UI:       sidebarui.Dist(),
		Demo:     demo,
		Log:      a.log,
		Tasks:    ts,
	})}
	return append(routes, a.workbenchRoutes(wb, side, sessions, acc)...), sessions, nil
}

// The graph reads a customer on the spot for the sidebar's card.
var _ sidebar.ContactReader = (*graph.Service)(nil)
