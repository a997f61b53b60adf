package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/callback"
)

// runServe is `guidebox serve`: callbacks, workers, sidebar and admin until ctx ends.
func runServe(ctx context.Context, args []string) error {
	cfg, _, err := loadConfig(args)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, newLogger(os.Stderr, cfg.Log))
}

// serve runs the service with cfg, logging to log, until ctx ends.
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
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
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.HTTP.Addr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("guidebox serving", "addr", "http://"+ln.Addr().String(), "sidebar", "http://"+ln.Addr().String()+"/sidebar/")
	if simRT != nil {
		go simRT.afterStart(ctx, a, log)
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	log.Info("shutting down")
	shutdownCtx, done := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer done()
	err = srv.Shutdown(shutdownCtx) // stop taking callbacks first, then flush the intake and stop workers
	stop()
	return err
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
	workCtx, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	worker := a.newWorker(gs)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if a.cfg.Worker.Enabled {
			worker.Run(workCtx)
		}
	}()
	go a.reconcileLoop(workCtx, gs)
	if a.cfg.Worker.Enabled {
		go cases.Run(workCtx)
		go a.purgeLoop(workCtx)
	}
	features, err := a.features(ctx, cases)
	if err != nil {
		cancelWork()
		return nil, nil, err
	}
	router := handler.NewRouter(handler.Deps{
		Log: a.log, Metrics: a.metrics,
		Callback: handler.NewCallbackHandler(crypto, intake, a.cfg.WeCom.CallbackMaxSkew, a.cfg.HTTP.MaxBodyBytes, a.metrics, a.log),
		Ready:    func(ctx context.Context) error { return repo.Ping(ctx, a.db) },
		Features: features,
	})
	srv := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	stop := func() {
		intake.Close()
		cancelWork()
		<-done
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

// features are the route groups beyond callbacks and health: the sidebar (with OAuth, the workbench and
// the demo bridge) and the admin API.
func (a *app) features(ctx context.Context, cases *handover.Service) ([]handler.Mounter, error) {
	sidebar, sessions, err := a.mountSidebar(ctx)
	if err != nil {
		return nil, err
	}
	admin := handler.NewAdminHandler(handler.AdminDeps{Handover: cases, Sessions: sessions, Admins: a.cfg.Sidebar.Admins, Log: a.log})
	features := append(sidebar, admin)
	if a.demo != nil {
		a.demo.handover = cases
		features = append(features, a.demo)
	}
	return features, nil
}
