package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/tasks"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/callback"
)

// runServe is `guidebox serve`: callbacks, workers, sidebar and admin until ctx ends.
func runServe(ctx context.Context, args []string, std stdio) error {
	cfg, rest, err := loadConfig(args, needAll)
	if err != nil {
		return err
	}
	if err := noArgs("serve", rest); err != nil {
		return err
	}
	return serve(ctx, cfg, newLogger(cfg.Log, std.err))
}

// serve runs a validated config until ctx ends. The listeners come first, so a taken port stops it
// before the simulator, the database or a worker has started.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lns, err := listen(cfg.HTTP)
	if err != nil {
		return err
	}
	defer lns.close()
	simRT, err := startEmbeddedSim(ctx, &cfg, log)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	log.Info("config", "config", fmt.Sprintf("%+v", cfg.Masked()))
	if simRT != nil && simRT.demo {
		a.demo = simRT
	}
	srv, stop, err := a.buildServer(ctx)
	if err != nil {
		return err
	}
	servers := []*http.Server{srv}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(lns.main) }()
	if lns.metrics != nil {
		msrv := metricsServer(a.metrics)
		servers = append(servers, msrv)
		go func() { errc <- msrv.Serve(lns.metrics) }()
	}
	base := "http://" + lns.main.Addr().String()
	urls := []any{"addr", base, "callback", base + "/wecom/callback", "sidebar", base + "/sidebar/", "admin", base + "/admin",
		"metrics", lns.metricsURL()}
	if a.demo != nil {
		urls = append(urls, "demo", base+"/demo/")
	}
	log.Info("guidebox serving", urls...)
	if simRT != nil {
		go simRT.afterStart(ctx, a, log, base)
	}
	select {
	case <-ctx.Done():
	case e := <-errc:
		if !errors.Is(e, http.ErrServerClosed) {
			err = e
		}
	}
	log.Info("shutting down")
	shutdownCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer done()
	for _, s := range servers { // stop taking callbacks first, then flush the intake and stop workers
		if e := s.Shutdown(shutdownCtx); e != nil && err == nil {
			err = e
		}
	}
	stop()
	return err
}

// listeners are serve's sockets: the main one, and the metrics one when http.metrics_addr is set.
type listeners struct{ main, metrics net.Listener }

// listen binds http.addr and http.metrics_addr; an error names the key.
func listen(c HTTPConfig) (*listeners, error) {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, fmt.Errorf("config http.addr: listen %s: %w", c.Addr, err)
	}
	lns := &listeners{main: ln}
	if c.MetricsAddr != "" {
		if lns.metrics, err = net.Listen("tcp", c.MetricsAddr); err != nil {
			lns.close()
			return nil, fmt.Errorf("config http.metrics_addr: listen %s: %w", c.MetricsAddr, err)
		}
	}
	return lns, nil
}

func (l *listeners) close() {
	_ = l.main.Close()
	if l.metrics != nil {
		_ = l.metrics.Close()
	}
}

func (l *listeners) metricsURL() string {
	if l.metrics != nil {
		return "http://" + l.metrics.Addr().String() + "/metrics"
	}
	return "http://" + l.main.Addr().String() + "/metrics"
}

// metricsServer answers GET /metrics alone, for http.metrics_addr.
func metricsServer(m *handler.Metrics) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
}

// buildServer wires the callback intake, the workers and every route. stop flushes and stops them.
func (a *app) buildServer(ctx context.Context) (*http.Server, func(), error) {
	crypto, err := callback.New(a.cfg.WeCom.Token, a.cfg.WeCom.AESKey, a.cfg.WeCom.CorpID)
	if err != nil {
		return nil, nil, fmt.Errorf("config wecom.token/wecom.aes_key: %w", err)
	}
	intake := graph.NewIntake(a.inbox, 8, 256)
	cases, err := newHandoverService(a, a.cfg.Handover)
	if err != nil {
		return nil, nil, err
	}
	gs := a.newGraphService(cases) // delete_user opens a case; transfer_fail reaches its items
	ts, err := newTasksService(a)
	if err != nil {
		return nil, nil, err
	}
	// Reconciliation, inbox retention, the handover and tasks sweeps, the recommendations' index and the
	// auto-tags: each run on one replica at a time.
	sched, err := a.newScheduler(workerName(), append(append(a.scheduledJobs(gs, cases), a.tasksJob(ts), a.kpiJob()), a.recommendJobs()...))
	if err != nil {
		return nil, nil, err
	}
	features, err := a.features(ctx, cases, ts)
	if err != nil {
		return nil, nil, err
	}
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	worker := a.newWorker(gs)
	var done sync.WaitGroup
	done.Go(func() {
		if a.cfg.Worker.Enabled {
			worker.Run(workCtx)
		}
	})
	done.Go(func() { sched.Run(workCtx) }) // on stop, records how interrupted runs ended
	// The first card need not wait for the catalogue and the recommendations' index.
	go func() {
		if err := a.recommend.Refresh(workCtx); err != nil && workCtx.Err() == nil {
			a.log.Error("recommendations: load catalogue and index", "err", err)
		}
	}()
	if a.cfg.Worker.Enabled {
		go cases.Run(workCtx)
		go ts.Run(workCtx) // tasks an admin just created start at once
	}
	router := handler.NewRouter(handler.Deps{
		Log: a.log, Metrics: a.metrics,
		Callback: handler.NewCallbackHandler(crypto, intake, a.cfg.WeCom.CallbackMaxSkew, a.cfg.HTTP.MaxBodyBytes, a.metrics, a.log),
		Ready:    func(ctx context.Context) error { return repo.Ping(ctx, a.db) },
		Features: features, MetricsElsewhere: a.cfg.HTTP.MetricsAddr != "",
	})
	srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	stop := func() {
		intake.Close()
		cancelWork()
		done.Wait()
	}
	return srv, stop, nil
}

// newWorker builds an inbox worker named after this host and process.
func (a *app) newWorker(gs *graph.Service) *graph.Worker {
	w := a.cfg.Worker
	return graph.NewWorker(graph.WorkerConfig{
		Owner: workerName(), Batch: w.Batch, TxBatch: w.TxBatch, Concurrency: w.Concurrency, Lease: w.Lease,
		Idle: 50 * time.Millisecond, MaxAttempts: w.MaxAttempts, BaseBackoff: time.Second,
	}, a.inbox, gs, wecom.ParseEvent, a.metrics, a.log)
}

// features are the route groups beyond callbacks and health: the sidebar (with OAuth and the demo
// bridge, and the guide's workbench), the admin console's API and the orders API.
func (a *app) features(ctx context.Context, cases *handover.Service, ts *tasks.Service) ([]handler.Mounter, error) {
	acc, dir, err := a.consoleServices()
	if err != nil {
		return nil, err
	}
	sidebar, sessions, err := a.mountSidebar(acc, ts)
	if err != nil {
		return nil, err
	}
	if a.cfg.Sidebar.Demo && a.cfg.Sim.Embedded {
		if err := a.seedDemoProducts(ctx); err != nil {
			return nil, err
		}
	}
	admin := handler.NewAdminHandler(handler.AdminDeps{Handover: cases, Access: acc, Directory: dir, Tasks: ts, Catalog: a.catalog,
		AutoTags: a.autotags, KPI: a.kpiService(), Sessions: sessions, Log: a.log})
	if len(a.cfg.API.Keys) == 0 {
		a.log.Warn("api.keys is empty: POST /api/orders refuses every request (401)")
	}
	orders := handler.NewOrdersHandler(handler.OrdersDeps{Orders: a.catalog, Keys: a.cfg.API.Keys, Log: a.log})
	bi := handler.NewBIHandler(handler.BIDeps{KPI: a.kpiService(), Keys: a.cfg.API.Keys, Log: a.log})
	features := append(sidebar, admin, orders, bi)
	if a.demo != nil {
		a.demo.handover, a.demo.tasks = cases, ts
		features = append(features, a.demo)
	}
	return features, nil
}
