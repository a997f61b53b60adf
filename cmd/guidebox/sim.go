package main

import (
	"context"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom/sim"
)

// Offline-demo defaults, used only with sim.embedded when the wecom keys are empty.
const (
	demoCorpID = "wwguideboxdemo0001"
	demoSecret = "demo-secret"
	demoToken  = "demotoken"
	demoAESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
)

// simRuntime is the WeCom simulator running inside serve for the offline demo.
type simRuntime struct {
	sim      *sim.Sim
	clock    *demoClock
	demo     bool
	handover *handover.Service // woken after a jump, so takeovers are polled at once
	tasks    *tasks.Service    // the demo's seeded task (导购任务)
	// seedWorkbench fills the demo's workbench (pipeline, fields, notes, replies…) once the corp is in the graph.
	seedWorkbench func(ctx context.Context) error
}

// demoClock is the wall clock plus an offset the demo moves forward, so WeCom's 24 h takeover
// of a handover can be seen in a minute instead of a day.
type demoClock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the simulator's time.
func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *demoClock) advance(d time.Duration) time.Time {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
	return c.Now()
}

// Mount adds POST /demo/api/sim/advance?hours=N (1..720): the simulator's clock jumps ahead and
// WeCom's due takeovers complete, pushing their callbacks. Only in the offline demo.
func (r *simRuntime) Mount(e *gin.Engine) {
	e.POST("/demo/api/sim/advance", func(c *gin.Context) {
		h, err := strconv.Atoi(c.DefaultQuery("hours", "24"))
		if err != nil || h < 1 || h > 720 {
			c.JSON(http.StatusBadRequest, gin.H{"code": "invalid", "message": "invalid hours: a whole number from 1 to 720"})
			return
		}
		now := r.clock.advance(time.Duration(h) * time.Hour)
		r.sim.Tick()
		woken := 0
		if r.handover != nil {
			var err error
			if woken, err = r.handover.WakeWaiting(c.Request.Context()); err != nil {
				c.JSON(http.StatusServiceUnavailable, gin.H{"code": "unavailable", "message": "cases not woken"})
				return
			}
		}
		c.JSON(http.StatusOK, gin.H{"sim_now": now.Format(time.RFC3339), "cases_woken": woken})
	})
	e.POST("/demo/api/sim/groupmsg/send", r.sendGroupMsgs)
	e.GET("/demo/products/:file", demoProductImage)
}

// sendGroupMsgs answers POST /demo/api/sim/groupmsg/send {"userid"}: the guide confirms every 企业群发
// waiting for them, as they would in WeCom's 群发助手, and the tasks read WeCom's progress at once.
// Only in the offline demo.
func (r *simRuntime) sendGroupMsgs(c *gin.Context) {
	var req struct {
		UserID string `json:"userid"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.UserID == "" {
		c.JSON(http.StatusBadRequest, gin.H{"code": "invalid", "message": "invalid userid: a demo guide's userid is required"})
		return
	}
	sent := 0
	for _, id := range r.sim.PendingGroupMsgs(req.UserID) {
		if err := r.sim.ConfirmGroupMsg(req.UserID, id); err == nil {
			sent++
		}
	}
	if r.tasks != nil {
		ctx := service.WithLane(c.Request.Context(), service.LaneInteractive)
		if _, err := r.tasks.PollNow(ctx); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"code": "unavailable", "message": "tasks not read from WeCom yet"})
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"sent": sent})
}

// demoProductImage draws a demo product's picture: an SVG tile with its category, brand and kind.
func demoProductImage(c *gin.Context) {
	id := strings.TrimSuffix(c.Param("file"), ".svg")
	i, ok := demoProductIndex()[id]
	if !ok {
		c.JSON(http.StatusNotFound, gin.H{"code": "not_found", "message": "no such demo product image"})
		return
	}
	p := sim.DemoProducts()[i]
	colors := map[string]string{"美妆": "#f2a7b5", "护肤": "#9cc5e8", "母婴": "#b8d8a8", "家居": "#f5cf8e", "服饰": "#c9b3e6",
		"食品": "#f0b48f", "鞋包": "#a9c9c3"}
	fill := colors[p.Category]
	if fill == "" {
		fill = "#bbbbbb"
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">`+
		`<rect width="160" height="160" rx="12" fill="%s"/><text x="80" y="58" font-size="22" text-anchor="middle" fill="#fff">%s</text>`+
		`<text x="80" y="94" font-size="14" text-anchor="middle" fill="#fff">%s</text>`+
		`<text x="80" y="118" font-size="14" text-anchor="middle" fill="#fff">%s</text></svg>`,
		fill, html.EscapeString(p.Category), html.EscapeString(p.Brand), html.EscapeString(p.Kind))
	c.Header("Cache-Control", "public, max-age=86400")
	c.Data(http.StatusOK, "image/svg+xml", []byte(svg))
}

// demoProductIndex maps each demo product's id to its place in sim.DemoProducts.
var demoProductIndex = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, p := range sim.DemoProducts() {
		m[p.ID] = i
	}
	return m
})

// startEmbeddedSim starts the simulator when sim.embedded is set and points cfg.WeCom at it.
func startEmbeddedSim(ctx context.Context, cfg *Config, log *slog.Logger) (*simRuntime, error) {
	if !cfg.Sim.Embedded {
		return nil, nil
	}
	w := &cfg.WeCom
	w.CorpID, w.Secret, w.Token, w.AESKey = orDefault(w.CorpID, demoCorpID), orDefault(w.Secret, demoSecret), orDefault(w.Token, demoToken), orDefault(w.AESKey, demoAESKey)
	if w.AgentID == 0 {
		w.AgentID = 1000002
	}
	ln, err := net.Listen("tcp", cfg.Sim.Addr)
	if err != nil {
		return nil, fmt.Errorf("config sim.addr %s: %w", cfg.Sim.Addr, err)
	}
	clock := &demoClock{}
	s, err := sim.New(sim.Config{CorpID: w.CorpID, AgentID: w.AgentID, Secret: w.Secret, Token: w.Token, AESKey: w.AESKey,
		CallbackURL: "http://" + cfg.HTTP.Addr + "/wecom/callback", Seed: 1, Clock: clock, Limits: cfg.Sim.Limits.sim()})
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	go func() {
		if err := s.Serve(ctx, ln); err != nil && ctx.Err() == nil {
			log.Error("simulator stopped", "err", err)
		}
	}()
	w.BaseURL = "http://" + ln.Addr().String() + "/"
	log.Info("embedded WeCom simulator", "addr", w.BaseURL, "limits", s.Config().Limits.String())
	return &simRuntime{sim: s, clock: clock, demo: cfg.Sim.Demo}, nil
}

// afterStart loads the demo corp into the simulator and copies it into the graph the way a
// real deployment starts: directory sync, then reconciliation of every guide. Later changes
// made in the simulator reach the graph through callbacks. base is guidebox's own URL, for the
// line that tells people where to go.
func (r *simRuntime) afterStart(ctx context.Context, a *app, log *slog.Logger, base string) {
	if !r.demo {
		return
	}
	corp := sim.DemoCorp(1)
	if err := r.sim.Load(corp); err != nil {
		log.Error("demo corp", "err", err)
		return
	}
	gs := a.newGraphService(nil)
	if err := gs.SyncDirectory(ctx); err != nil {
		log.Error("demo sync", "err", err)
		return
	}
	customers := 0
	for _, u := range corp.Users {
		if err := gs.SyncGuide(ctx, u.UserID); err != nil {
			log.Error("demo sync guide", "userid", u.UserID, "err", err)
			return
		}
		rep, err := gs.ReconcileGuide(ctx, u.UserID, time.Now())
		if err != nil {
			log.Error("demo reconcile", "userid", u.UserID, "err", err)
			return
		}
		customers += rep.Seen
	}
	log.Info("demo corp loaded", "guides", len(corp.Users), "edges", customers)
	if r.seedWorkbench != nil {
		if err := r.seedWorkbench(ctx); err != nil {
			log.Error("demo workbench", "err", err)
			return
		}
	}
	a.seedDemoKPI(ctx, corp, log) // before the orders: the sends recorded before an order take its credit
	if n, err := a.seedDemoOrders(ctx, corp); err != nil {
		log.Error("demo orders", "err", err)
	} else {
		log.Info("demo orders", "stored", n)
	}
	if a.autotags != nil && a.recommend != nil {
		if err := a.seedDemoRecommendations(ctx, log); err != nil {
			log.Error("demo auto-tags and recommendations", "err", err)
		}
	}
	if r.tasks != nil {
		seedDemoTask(ctx, r.tasks, log)
	}
	if n, err := a.kpiService().CatchUp(ctx); err != nil { // the home's numbers at once, not at the job's next run
		log.Error("demo kpi rollups", "err", err)
	} else {
		log.Info("demo kpi rollups", "rows", n)
	}
	// One guide leaves, as WeCom tells it (delete_user through the callback pipeline), so the
	// admin pages open on a real handover case (离职继承).
	leaver := corp.Users[len(corp.Users)-1].UserID
	if g, err := a.graph.GetGuide(ctx, leaver); err == nil && g.Status == service.GuideActive {
		if err := r.sim.ResignUser(leaver); err != nil {
			log.Error("demo resignation", "userid", leaver, "err", err)
			return
		}
		log.Info("demo: a guide resigned; their handover case waits in the admin pages", "userid", leaver)
	}
	var admins []string
	for _, id := range a.cfg.Sidebar.Admins {
		if g, err := a.graph.GetGuide(ctx, id); err == nil {
			id = g.Name + " (" + id + ")"
		}
		admins = append(admins, id)
	}
	log.Info("demo ready: pick a guide and a chat in the demo page; for the admin pages pick a demo admin there first",
		"demo", base+"/demo/", "admin", base+"/admin", "demo_admins", strings.Join(admins, ", "))
}

// runSim is `guidebox sim`: the simulator on its own address, with the demo corp (sim.demo) or a
// seed file (sim.seed_file), pushing callbacks to sim.callback_url signed with wecom.token/aes_key.
func runSim(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return err
	}
	if err := noArgs("sim", rest); err != nil {
		return err
	}
	log := newLogger(cfg.Log, std.err)
	w := cfg.WeCom
	s, err := sim.New(sim.Config{CorpID: orDefault(w.CorpID, demoCorpID), AgentID: w.AgentID, Secret: orDefault(w.Secret, demoSecret),
		Token: orDefault(w.Token, demoToken), AESKey: orDefault(w.AESKey, demoAESKey), CallbackURL: cfg.Sim.CallbackURL, Seed: 1,
		Limits: cfg.Sim.Limits.sim()})
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	switch {
	case cfg.Sim.SeedFile != "":
		corp, err := sim.LoadCorpFile(cfg.Sim.SeedFile)
		if err != nil {
			return fmt.Errorf("config sim.seed_file: %w", err)
		}
		if err := s.Load(corp); err != nil {
			return err
		}
	case cfg.Sim.Demo:
		if err := s.Load(sim.DemoCorp(1)); err != nil {
			return err
		}
	}
	log.Info("WeCom simulator", "addr", "http://"+cfg.Sim.Addr+"/", "callback_url", cfg.Sim.CallbackURL, "limits", s.Config().Limits.String())
	return s.ListenAndServe(ctx, cfg.Sim.Addr)
}

// sim maps the sim.limits keys to the simulator's Limits (0 stays "WeCom's value", -1 "no limit").
func (l SimLimits) sim() sim.Limits {
	return sim.Limits{PerMinute: l.PerMinute, PerHour: l.PerHour, IPPerMinute: l.IPPerMinute, IPPerHour: l.IPPerHour}
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
