package main

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
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
	Tasks     TasksConfig     `mapstructure:"tasks"`
	Recommend RecommendConfig `mapstructure:"recommend"`
	AutoTags  AutoTagsConfig  `mapstructure:"autotags"`
	API       APIConfig       `mapstructure:"api"`
	Console   ConsoleConfig   `mapstructure:"console"`
	Workbench WorkbenchConfig `mapstructure:"workbench"`
	KPI       KPIConfig       `mapstructure:"kpi"`
	Log       LogConfig       `mapstructure:"log"`
}

// WorkbenchConfig is the guide's workbench in the sidebar.
type WorkbenchConfig struct {
	// Timezone is the corp's IANA time zone: what "today" and "this week" mean on the sidebar home.
	Timezone string `mapstructure:"timezone"`
}

// APIConfig is the machine-to-machine API (POST /api/orders): the keys its callers present as
// "Authorization: Bearer KEY". GUIDEBOX_API_KEYS takes them comma-separated.
type APIConfig struct {
	Keys []string `mapstructure:"keys"`
}

// HTTPConfig is the listening side.
type HTTPConfig struct {
	Addr         string `mapstructure:"addr"`
	MaxBodyBytes int64  `mapstructure:"max_body_bytes"`
	MetricsAddr  string `mapstructure:"metrics_addr"` // empty: /metrics on addr; else only here
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
	Quota           QuotaConfig   `mapstructure:"quota"`
}

// QuotaConfig is the WeCom client's budget for WeCom's call limits (wecom.QuotaConfig).
type QuotaConfig struct {
	Enabled   bool          `mapstructure:"enabled"`
	PerMinute int           `mapstructure:"per_minute"`
	PerHour   int           `mapstructure:"per_hour"`
	MaxWait   time.Duration `mapstructure:"max_wait"`
	// FallbackShare is a replica's share of each budget window while Redis does not answer.
	FallbackShare float64 `mapstructure:"fallback_share"`
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
	OrderLink   time.Duration `mapstructure:"order_link_interval"`
	// ReadPatience is how long an event may wait for its WeCom read while the budget is short.
	ReadPatience time.Duration `mapstructure:"read_patience"`
}

// SimConfig runs the built-in WeCom simulator inside serve (the offline demo).
type SimConfig struct {
	Embedded    bool   `mapstructure:"embedded"`
	Demo        bool   `mapstructure:"demo"`
	Addr        string `mapstructure:"addr"`
	CallbackURL string `mapstructure:"callback_url"`
	SeedFile    string `mapstructure:"seed_file"`
	// Limits are the simulator's call limits per API: 0 is WeCom's value, -1 lifts the limit.
	Limits SimLimits `mapstructure:"limits"`
}

// SimLimits are the simulator's call limits per API (sim.Limits), so a benchmark can state them.
type SimLimits struct {
	PerMinute   int `mapstructure:"per_minute"`
	PerHour     int `mapstructure:"per_hour"`
	IPPerMinute int `mapstructure:"ip_per_minute"`
	IPPerHour   int `mapstructure:"ip_per_hour"`
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
	"http.addr": "127.0.0.1:8080", "http.max_body_bytes": 64 << 10, "http.metrics_addr": "",
	"database.driver": "sqlite", "database.dsn": "data/guidebox.db",
	"wecom.corp_id": "", "wecom.agent_id": 0, "wecom.secret": "", "wecom.token": "", "wecom.aes_key": "",
	"wecom.base_url": "", "wecom.callback_max_skew": "10m", "wecom.redis_addr": "",
	"wecom.quota.enabled": true, "wecom.quota.per_minute": 9000, "wecom.quota.per_hour": 135000, "wecom.quota.max_wait": "30s",
	"wecom.quota.fallback_share": 0.25,
	"worker.enabled":             true, "worker.concurrency": 16, "worker.batch": 128, "worker.tx_batch": 32, "worker.lease": "2m", "worker.max_attempts": 8, "worker.reconcile_interval": "24h", "worker.retain_done": "720h", "worker.order_link_interval": "10m", "worker.read_patience": "2m",
	"sim.embedded": false, "sim.demo": false, "sim.addr": "127.0.0.1:8090", "sim.callback_url": "", "sim.seed_file": "",
	"sim.limits.per_minute": 0, "sim.limits.per_hour": 0, "sim.limits.ip_per_minute": 0, "sim.limits.ip_per_hour": 0,
	"sidebar.session_key": "", "sidebar.trusted_domains": []string{}, "sidebar.admins": []string{}, "sidebar.demo": false,
	"api.keys":   []string{},
	"log.format": "text", "log.level": "info",
	"recommend.rebuild_interval": "1h", "autotags.pass_interval": "24h", "autotags.mark_interval": "1m",
	"tasks.sweep_interval": "1m", "tasks.poll_interval": "30m", "tasks.remind_before": "3h", "tasks.lease": "5m",
	"workbench.timezone": "Asia/Shanghai",
}

// LoadConfig reads the YAML file (optional) and GUIDEBOX_<SECTION>_<KEY> environment variables.
// A key the file sets that guidebox does not know, or a value of the wrong type, is an error naming
// the key; Validate checks the values.
func LoadConfig(file string) (Config, error) {
	v := viper.New()
	for k, val := range handoverDefaults {
		v.SetDefault(k, val)
	}
	for k, val := range consoleDefaults {
		v.SetDefault(k, val)
	}
	for k, val := range kpiDefaults {
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
	known, sections := configKeys()
	var errs []error
	for _, k := range v.AllKeys() {
		if _, ok := known[k]; !ok && !sections[k] { // a section left empty ("sim:") is no key
			errs = append(errs, &ConfigError{Key: k, Reason: "unknown key (configs/guidebox.example.yaml lists every key)"})
		}
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		errs = append(errs, decodeErrors(err, known)...)
	}
	if len(errs) > 0 {
		sortConfigErrors(errs)
		return Config{}, errors.Join(errs...)
	}
	c.API.Keys = trimList(c.API.Keys)
	return c, nil
}

// configKeys maps every key of Config (section.key, and section.group.key for nested groups such as
// wecom.quota) to its Go type, and names the sections and groups.
func configKeys() (map[string]reflect.Type, map[string]bool) {
	keys, sections := map[string]reflect.Type{}, map[string]bool{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			key := f.Tag.Get("mapstructure")
			if prefix != "" {
				key = prefix + "." + key
			}
			if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]() {
				sections[key] = true
				walk(key, f.Type)
				continue
			}
			keys[key] = f.Type
		}
	}
	walk("", reflect.TypeFor[Config]())
	return keys, sections
}

// decodeErrors turns viper's decoding failure into one ConfigError per key, saying what the key takes.
func decodeErrors(err error, known map[string]reflect.Type) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if named, ok := e.(interface{ Name() string }); ok { // mapstructure.DecodeError
			key := named.Name()
			out = append(out, &ConfigError{Key: key, Reason: "must be " + typeWord(known[key])})
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	if len(out) == 0 {
		return []error{fmt.Errorf("parse config: %w", err)}
	}
	return out
}

// typeWord says in words what a key of type t takes.
func typeWord(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Duration]():
		return "a duration such as 30s, 10m or 24h"
	case t == nil:
		return "a valid value"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Slice:
		return "a list, e.g. [\"a\", \"b\"]"
	}
	return "text"
}

// trimList drops spaces around a list's items and empty items ("k1, k2," from the environment).
func trimList(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		for _, part := range strings.Split(x, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
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
	keys := make([]string, len(c.API.Keys))
	for i := range keys {
		keys[i] = "***"
	}
	c.API.Keys = keys
	c.Database.DSN = maskDSN(c.Database.DSN)
	if u, err := url.Parse(c.WeCom.BaseURL); err == nil && u.User != nil {
		c.WeCom.BaseURL = u.Redacted() // a proxy's credentials
	}
	return c
}

// secrets are the configured secret values, masked wherever an error is recorded or printed.
func (c Config) secrets() []string {
	out := append([]string{c.WeCom.Secret, c.WeCom.Token, c.WeCom.AESKey, c.Sidebar.SessionKey}, c.API.Keys...)
	if pw := dsnPassword(c.Database.DSN); pw != "" {
		out = append(out, pw)
	}
	return out
}

// dsnPasswordBounds finds a MySQL DSN's password (user:pass@tcp(host)/db) as the MySQL driver splits it:
// the last "@" before the last "/" ends the password, which may itself hold "@", ":" or "/".
// It returns the password's bounds in dsn, or -1, -1 when there is none.
func dsnPasswordBounds(dsn string) (int, int) {
	slash := strings.LastIndex(dsn, "/")
	if slash < 0 {
		return -1, -1
	}
	at := strings.LastIndex(dsn[:slash], "@")
	if at < 0 {
		return -1, -1
	}
	if colon := strings.Index(dsn[:at], ":"); colon >= 0 {
		return colon + 1, at
	}
	return -1, -1
}

// dsnPassword is a MySQL DSN's password, or "".
func dsnPassword(dsn string) string {
	if from, to := dsnPasswordBounds(dsn); from >= 0 {
		return dsn[from:to]
	}
	return ""
}

// maskDSN hides a MySQL password (user:pass@tcp(host)/db).
func maskDSN(dsn string) string {
	if from, to := dsnPasswordBounds(dsn); from >= 0 {
		return dsn[:from] + "***" + dsn[to:]
	}
	return dsn
}

// sortConfigErrors orders errors by key, so a report reads like the file.
func sortConfigErrors(errs []error) {
	key := func(e error) string {
		var ce *ConfigError
		if errors.As(e, &ce) {
			return ce.Key
		}
		return ""
	}
	sort.SliceStable(errs, func(i, j int) bool { return key(errs[i]) < key(errs[j]) })
}
