package main

import (
	"crypto/rand"
	"fmt"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo/sidebardb"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/tasks"
	sidebarui "github.com/guidebox/guidebox/sidebar-ui"
	"github.com/guidebox/guidebox/wecom"
)

// mountSidebar builds the guide sidebar's routes: WeCom OAuth (/oauth/...), the JSON API (/api/sidebar/...),
// the embedded UI (/sidebar/, /admin/) and, only when sidebar.demo is set with the embedded simulator,
// the demo bridge (/demo/...). The catalogue gives the cards their products and orders.
// Config keys: sidebar.session_key (required outside the demo), sidebar.trusted_domains, sidebar.admins, sidebar.demo.
func (a *app) mountSidebar(console sidebar.ConsoleAccess, ts *tasks.Service) (handler.Mounter, *sidebar.SessionService, error) {
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
		Admins: c.Admins, Console: console, Demo: demo}, adapter, a.graph)
	if err != nil {
		return nil, nil, fmt.Errorf("config sidebar.session_key: %w", err)
	}
	if demo {
		a.log.Warn("sidebar demo bridge enabled: /demo/ signs in without OAuth (offline demo only)")
	}
	return handler.NewSidebarHandler(handler.SidebarDeps{
		Sidebar:  sidebar.NewService(store, a.products, adapter, nil, a.catalog),
		Sessions: sessions,
		JSAPI:    sidebar.NewJSAPIService(adapter, corp, agent, c.TrustedDomains),
		UI:       sidebarui.Dist(),
		Demo:     demo,
		Log:      a.log,
		Tasks:    ts,
	}), sessions, nil
}
