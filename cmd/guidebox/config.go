package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/viper"
)

// Config is every setting of guidebox; configs/guidebox.example.yaml documents each key.
type Config struct {
	HTTP      HTTPConfig      `mapstructure:"http"`
	Database  DatabaseConfig  `mapstructure:"database"`
	WeCom     WeComConfig     `mapstructure:"wecom"`
	Worker    WorkerConfig    `mapstructure:"worker"`
	Sim       SimConfig       `mapstructure:"sim"`
	Sidebar   SidebarConfig   `mapstructure:"sidebar"`
	Handover  HandoverConfig  `mapstructure:"handover"`
	Workbench WorkbenchConfig `mapstructure:"workbench"`
	Log       LogConfig       `mapstructure:"log"`
}

// WorkbenchConfig is the guide's workbench in the sidebar.
type WorkbenchConfig struct {
	// Timezone is the corp's IANA time zone: what "today" and "this week" mean on the sidebar home.
	Timezone string `mapstructure:"timezone"`
}

// HTTPConfig is the listening side.
type HTTPConfig struct {
	Addr         string `mapstructure:"addr"`
	MaxBodyBytes int64  `mapstructure:"max_body_bytes"`
}

// DatabaseConfig selects MySQL (production) or SQLite (the embedded default).
type DatabaseConfig struct {
	Driver string `mapstructure:"driver"`
	DSN    string `mapstructure:"dsn"`
}

// WeComConfig is the corp's self-built app.
type WeComConfig struct {
	CorpID          string        `mapstructure:"corp_id"`
	AgentID         int           `mapstructure:"agent_id"`
	Secret          string        `mapstructure:"secret"`
	Token           string        `mapstructure:"token"`
	AESKey          string        `mapstructure:"aes_key"`
	BaseURL         string        `mapstructure:"base_url"`
	CallbackMaxSkew time.Duration `mapstructure:"callback_max_skew"`
	RedisAddr       string        `mapstructure:"redis_addr"`
}

// WorkerConfig tunes the inbox workers.
type WorkerConfig struct {
	Enabled     bool          `mapstructure:"enabled"`
	Concurrency int           `mapstructure:"concurrency"`
	Batch       int           `mapstructure:"batch"`
	TxBatch     int           `mapstructure:"tx_batch"`
	Lease       time.Duration `mapstructure:"lease"`
	MaxAttempts int           `mapstructure:"max_attempts"`
	Reconcile   time.Duration `mapstructure:"reconcile_interval"`
	RetainDone  time.Duration `mapstructure:"retain_done"`
}

// SimConfig runs the built-in WeCom simulator inside serve (the offline demo).
type SimConfig struct {
	Embedded    bool   `mapstructure:"embedded"`
	Demo        bool   `mapstructure:"demo"`
	Addr        string `mapstructure:"addr"`
	CallbackURL string `mapstructure:"callback_url"`
	SeedFile    string `mapstructure:"seed_file"`
}

// SidebarConfig is the guide sidebar: sessions, trusted domains, admins, and the demo bridge.
type SidebarConfig struct {
	SessionKey     string   `mapstructure:"session_key"`
	TrustedDomains []string `mapstructure:"trusted_domains"`
	Admins         []string `mapstructure:"admins"`
	Demo           bool     `mapstructure:"demo"`
}

// LogConfig picks the log format and level.
type LogConfig struct {
	Format string `mapstructure:"format"`
	Level  string `mapstructure:"level"`
}

var defaults = map[string]any{
	"http.addr": "127.0.0.1:8080", "http.max_body_bytes": 64 << 10,
	"database.driver": "sqlite", "database.dsn": "data/guidebox.db",
	"wecom.corp_id": "", "wecom.agent_id": 0, "wecom.secret": "", "wecom.token": "", "wecom.aes_key": "",
	"wecom.base_url": "", "wecom.callback_max_skew": "10m", "wecom.redis_addr": "",
	"worker.enabled": true, "worker.concurrency": 16, "worker.batch": 128, "worker.tx_batch": 32, "worker.lease": "2m", "worker.max_attempts": 8, "worker.reconcile_interval": "24h", "worker.retain_done": "720h",
	"sim.embedded": false, "sim.demo": false, "sim.addr": "127.0.0.1:8090", "sim.callback_url": "", "sim.seed_file": "",
	"sidebar.session_key": "", "sidebar.trusted_domains": []string{}, "sidebar.admins": []string{}, "sidebar.demo": false,
	"workbench.timezone": "Asia/Shanghai",
	"log.format":         "text", "log.level": "info",
}

// LoadConfig reads the YAML file (optional) and GUIDEBOX_<SECTION>_<KEY> environment variables.
func LoadConfig(file string) (Config, error) {
	v := viper.New()
	for k, val := range handoverDefaults {
		v.SetDefault(k, val)
	}
	for k, val := range defaults { // every key needs a default or env-only values are ignored
		v.SetDefault(k, val)
	}
	v.SetEnvPrefix("GUIDEBOX")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("read config %s: %w", file, err)
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return Config{}, fmt.Errorf("parse config: %w", err)
	}
	return c, nil
}

// Validate names the first bad key.
func (c Config) Validate() error {
	bad := func(key, why string) error { return fmt.Errorf("config %s: %s", key, why) }
	switch {
	case c.HTTP.Addr == "":
		return bad("http.addr", "must be set, e.g. 127.0.0.1:8080")
	case c.HTTP.MaxBodyBytes < 1024:
		return bad("http.max_body_bytes", "must be at least 1024")
	case c.Database.Driver != "mysql" && c.Database.Driver != "sqlite":
		return bad("database.driver", fmt.Sprintf("must be mysql or sqlite, not %q", c.Database.Driver))
	case c.Database.DSN == "":
		return bad("database.dsn", "must be set")
	case c.WeCom.CorpID == "" && !c.Sim.Embedded:
		return bad("wecom.corp_id", "must be set (or sim.embedded: true for the offline demo)")
	case c.WeCom.Secret == "" && !c.Sim.Embedded:
		return bad("wecom.secret", "must be set")
	case c.WeCom.Token == "" && !c.Sim.Embedded:
		return bad("wecom.token", "must be set (the callback Token of the app)")
	case len(c.WeCom.AESKey) != 43 && !(c.Sim.Embedded && c.WeCom.AESKey == ""):
		return bad("wecom.aes_key", "must be the 43-character EncodingAESKey")
	case c.WeCom.CallbackMaxSkew < 0:
		return bad("wecom.callback_max_skew", "must be 0 (off) or positive")
	case c.Worker.Concurrency < 1 || c.Worker.Batch < 1 || c.Worker.TxBatch < 1 || c.Worker.MaxAttempts < 1:
		return bad("worker", "concurrency, batch, tx_batch and max_attempts must be at least 1")
	case c.Worker.RetainDone < 0:
		return bad("worker.retain_done", "must be 0 (keep applied callbacks) or positive")
	case c.Worker.Lease < time.Second:
		return bad("worker.lease", "must be at least 1s")
	case c.Sidebar.Demo && !c.Sim.Embedded:
		return bad("sidebar.demo", "the demo bridge is for the offline demo only (sim.embedded)")
	case c.Handover.AutoStrategy != "" && c.Handover.AutoStrategy != "round_robin" && c.Handover.AutoStrategy != "least_loaded":
		return bad("handover.auto_strategy", "must be empty (wait for an admin), round_robin or least_loaded")
	case c.Handover.CustomerLimit < 1 || c.Handover.GroupDailyLimit < 1:
		return bad("handover", "customer_limit and group_daily_limit must be at least 1")
	case c.Handover.PollInterval < time.Second || c.Handover.Lease < time.Second:
		return bad("handover", "poll_interval and lease must be at least 1s")
	}
	if _, err := time.LoadLocation(c.Workbench.Timezone); err != nil || c.Workbench.Timezone == "" {
		return bad("workbench.timezone", fmt.Sprintf("must be an IANA time zone such as Asia/Shanghai, not %q", c.Workbench.Timezone))
	}
	return nil
}

// Masked returns a copy safe to log: secrets are replaced.
func (c Config) Masked() Config {
	m := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	c.WeCom.Secret, c.WeCom.Token, c.WeCom.AESKey = m(c.WeCom.Secret), m(c.WeCom.Token), m(c.WeCom.AESKey)
	c.Sidebar.SessionKey = m(c.Sidebar.SessionKey)
	c.Database.DSN = maskDSN(c.Database.DSN)
	if u, err := url.Parse(c.WeCom.BaseURL); err == nil && u.User != nil {
		c.WeCom.BaseURL = u.Redacted() // a proxy's credentials
	}
	return c
}

// maskDSN hides a MySQL password (user:pass@tcp(host)/db). It splits like the MySQL driver: the
// last "@" before the last "/" ends the password, which may itself hold "@", ":" or "/".
func maskDSN(dsn string) string {
	slash := strings.LastIndex(dsn, "/")
	if slash < 0 {
		return dsn
	}
	at := strings.LastIndex(dsn[:slash], "@")
	if at < 0 {
		return dsn
	}
	if colon := strings.Index(dsn[:at], ":"); colon >= 0 {
		return dsn[:colon] + ":***" + dsn[at:]
	}
	return dsn
}
