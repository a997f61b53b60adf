package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/catalogdb"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/kpi"
	"github.com/guidebox/guidebox/service/recommend"
	"github.com/guidebox/guidebox/wecom"
)

// app is what every subcommand shares: config, logger, database, stores and the WeCom client.
type app struct {
	cfg       Config
	log       *slog.Logger
	db        *gorm.DB
	tx        *repo.TxManager
	inbox     *graphdb.InboxStore
	graph     *graphdb.Store
	products  *catalogdb.Store
	catalog   *catalog.Service   // products, stock and orders
	autotags  *autotag.Service   // auto-tag rules: evaluated on orders and nightly, written to WeCom
	recommend *recommend.Service // the sidebar's recommendations and their index
	kpi       *kpi.Service       // the guides' performance rollups (kpiService builds it)
	wc        *wecom.Client
	metrics   *handler.Metrics
	demo      *simRuntime // the offline demo's simulator and its controls, when embedded
}

// loadConfig reads --config from args and the environment, and validates every key before the command
// starts anything: n names the keys the command needs set. It returns the other arguments.
func loadConfig(args []string, n needs) (Config, []string, error) {
	file, rest := "", []string{}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--config" || a == "-c":
			if i+1 >= len(args) {
				return Config{}, nil, fmt.Errorf("--config needs a file")
			}
			file = args[i+1]
			i++
		case strings.HasPrefix(a, "--config="):
			file = strings.TrimPrefix(a, "--config=")
		default:
			rest = append(rest, a)
		}
	}
	if file == "" {
		file = os.Getenv("GUIDEBOX_CONFIG")
	}
	cfg, err := LoadConfig(file)
	if err == nil {
		err = cfg.validate(n)
	}
	if err != nil {
		return Config{}, nil, &invalidConfig{file: file, err: err}
	}
	return cfg, rest, nil
}

// newLogger builds the one slog logger, writing to w: JSON in production, text for people.
// The config is validated, so the level parses.
func newLogger(c LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.Format == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(handler.LogHandler{Handler: h})
}

// openApp opens the database (applying migrations) and builds the stores and the WeCom client.
// cfg has been validated (loadConfig).
func openApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	db, err := repo.Open(cfg.Database.Driver, cfg.Database.DSN)
	if err != nil {
		return nil, err
	}
	n, err := repo.Migrate(ctx, db)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		log.Info("schema migrated", "applied", n)
	}
	a := &app{cfg: cfg, log: log, db: db, tx: repo.NewTxManager(db), inbox: graphdb.NewInboxStore(db), graph: graphdb.New(db, cfg.WeCom.CorpID)}
	a.products = catalogdb.New(db, cfg.WeCom.CorpID)
	a.catalog = catalog.NewService(a.products, a.tx, log)
	a.metrics = handler.NewMetrics(a.inbox.Stats)
	q := cfg.WeCom.Quota
	a.wc, err = wecom.NewClient(wecom.Config{CorpID: cfg.WeCom.CorpID, AgentID: cfg.WeCom.AgentID, Secret: cfg.WeCom.Secret,
		Token: cfg.WeCom.Token, AESKey: cfg.WeCom.AESKey, BaseURL: cfg.WeCom.BaseURL, RedisAddr: cfg.WeCom.RedisAddr,
		Quota: wecom.QuotaConfig{Disabled: !q.Enabled, PerMinute: q.PerMinute, PerHour: q.PerHour, MaxWait: q.MaxWait,
			FallbackShare: q.FallbackShare}},
		wecom.WithObserver(a.metrics.WeComCall), wecom.WithQuotaObserver(a.metrics))
	if err != nil {
		return nil, fmt.Errorf("wecom client: %w", err)
	}
	// The drain gauge counts the backlog's contact reads as the workers plan them, at the enrichment
	// lane's budget (graph.Service.EnrichmentDrain).
	a.metrics.EstimateDrainWith(a.newGraphService(nil).EnrichmentDrain)
	a.newRecommendations()
	return a, nil
}

// close stops the catalogue's order writers and the auto-tags' queue, and releases the database and the
// WeCom client's Redis
// connection.
func (a *app) close() {
	if a.catalog != nil { // commands that open only the database have none
		a.catalog.Close() // its last orders reach the auto-tags' queue before that closes
	}
	if a.autotags != nil {
		a.autotags.Close()
	}
	if a.recommend != nil {
		a.recommend.Close()
	}
	if sqlDB, err := a.db.DB(); err == nil {
		_ = sqlDB.Close()
	}
	if a.wc != nil { // commands that open only the database have no client
		_ = a.wc.Close()
	}
}

// newGraphService wires the graph service over the WeCom directory adapter; handover (nil: none)
// is told when a guide resigns or a transfer fails.
func (a *app) newGraphService(handover graph.HandoverOpener) *graph.Service {
	s := graph.NewService(a.graph, a.inbox, wecom.NewDirectory(a.wc), a.tx, handover, a.log)
	s.SetReadPatience(a.cfg.Worker.ReadPatience)
	return s
}

// The handover service is the graph's HandoverOpener: delete_user opens a case, transfer_fail reaches its items.
var _ graph.HandoverOpener = (*handover.Service)(nil)
