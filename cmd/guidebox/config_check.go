package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// ConfigError is one bad key: its name and what is wrong. The reason never repeats a secret's value.
type ConfigError struct {
	Key    string
	Reason string
}

func (e *ConfigError) Error() string { return "config " + e.Key + ": " + e.Reason }

// invalidConfig is loadConfig's error: every bad key, one a line, under the file they came from.
type invalidConfig struct {
	file string
	err  error
}

func (e *invalidConfig) Error() string {
	from := "GUIDEBOX_* environment variables and defaults"
	if e.file != "" {
		from = e.file + " and GUIDEBOX_* environment variables"
	}
	return "invalid configuration (" + from + "):\n  " + strings.ReplaceAll(e.err.Error(), "\n", "\n  ")
}

func (e *invalidConfig) Unwrap() error { return e.err }

// needs are the keys a command must have set, beyond the form every key must have.
type needs uint8

const (
	needAPI   needs = 1 << iota // wecom.corp_id and wecom.secret: the command calls WeCom (reconcile, handover)
	needServe                   // callbacks and the sidebar: wecom.token, aes_key, agent_id, sidebar.session_key

	needAll = needAPI | needServe
)

// Validate checks every key as serve needs it. Each bad key is one *ConfigError in the joined result.
func (c Config) Validate() error { return c.validate(needAll) }

// validate checks the form of every key (a bad value is an error whichever command reads the file) and
// that the keys the command needs are set. Nothing is started or opened, except that sim.seed_file is stat'ed.
func (c Config) validate(n needs) error {
	var v checker
	c.checkHTTP(&v)
	c.checkDatabase(&v)
	c.checkWeCom(&v, n)
	c.checkWorker(&v)
	c.checkSim(&v)
	c.checkSidebar(&v, n)
	c.checkHandover(&v)
	c.checkAPI(&v)
	c.checkTasks(&v)
	c.checkConsole(&v)
	c.checkRecommend(&v)
	c.checkKPI(&v)
	switch c.Log.Format {
	case "json", "text":
	default:
		v.bad("log.format", "must be json or text, not %q", c.Log.Format)
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		v.bad("log.level", "must be debug, info, warn or error, not %q", c.Log.Level)
	}
	sortConfigErrors(v.errs)
	return errors.Join(v.errs...)
}

// checker collects the bad keys.
type checker struct{ errs []error }

func (v *checker) bad(key, format string, args ...any) {
	v.errs = append(v.errs, &ConfigError{Key: key, Reason: fmt.Sprintf(format, args...)})
}

func (v *checker) addr(key, addr string, required bool) {
	if addr == "" && !required {
		return
	}
	if err := checkHostPort(addr); err != nil {
		v.bad(key, "%q %s", addr, err)
	}
}

func (v *checker) atLeast(key string, got, min int64) {
	if got < min {
		v.bad(key, "must be at least %d, not %d", min, got)
	}
}

func (v *checker) duration(key string, d, min time.Duration, zeroOff bool) {
	switch {
	case zeroOff && d == 0:
	case zeroOff && d < min:
		v.bad(key, "must be 0 (off) or at least %s, not %s", min, d)
	case d < min:
		v.bad(key, "must be at least %s, not %s", min, d)
	}
}

func (v *checker) httpURL(key, raw string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.bad(key, "%q is not an http(s) URL such as https://host/", raw)
	}
}

// checkHostPort accepts host:port with a port from 1 to 65535; the host may be empty (every interface).
func checkHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("is not host:port, e.g. 127.0.0.1:8080")
	}
	if strings.ContainsAny(host, " /") {
		return errors.New("has a bad host")
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return errors.New("needs a port from 1 to 65535")
	}
	return nil
}

func (c Config) checkHTTP(v *checker) {
	h := c.HTTP
	v.addr("http.addr", h.Addr, true)
	v.atLeast("http.max_body_bytes", h.MaxBodyBytes, 1024)
	if h.MaxBodyBytes > 64<<20 {
		v.bad("http.max_body_bytes", "must be at most %d (64 MiB), not %d", 64<<20, h.MaxBodyBytes)
	}
	v.addr("http.metrics_addr", h.MetricsAddr, false)
	if h.MetricsAddr != "" && h.MetricsAddr == h.Addr {
		v.bad("http.metrics_addr", "must differ from http.addr (leave it empty to serve /metrics there)")
	}
}

func (c Config) checkDatabase(v *checker) {
	d := c.Database
	switch d.Driver {
	case "mysql":
		if d.DSN == "" {
			v.bad("database.dsn", "must be set, e.g. user:pass@tcp(127.0.0.1:3306)/guidebox")
		} else if cfg, err := mysql.ParseDSN(d.DSN); err != nil {
			v.bad("database.dsn", "is not a MySQL DSN (user:pass@tcp(host:3306)/guidebox): %s", err) // the driver's errors hold no password
		} else if cfg.DBName == "" {
			v.bad("database.dsn", "must name the database, e.g. …/guidebox")
		}
	case "sqlite":
		if d.DSN == "" {
			v.bad("database.dsn", "must be set, e.g. data/guidebox.db")
		}
	default:
		v.bad("database.driver", "must be mysql or sqlite, not %q", d.Driver)
	}
}

func (c Config) checkWeCom(v *checker, n needs) {
	w, embedded := c.WeCom, c.Sim.Embedded
	need := func(key, value string, which needs, why string) {
		if value == "" && n&which != 0 && !embedded {
			v.bad(key, "must be set (%s), or sim.embedded: true for the offline demo", why)
		}
	}
	need("wecom.corp_id", w.CorpID, needAPI, "我的企业 → 企业ID")
	need("wecom.secret", w.Secret, needAPI, "the app's Secret")
	need("wecom.token", w.Token, needServe, "the callback Token of the app")
	need("wecom.aes_key", w.AESKey, needServe, "the callback EncodingAESKey of the app")
	if strings.ContainsAny(w.CorpID, " \t\r\n/") {
		v.bad("wecom.corp_id", "%q has spaces or slashes", w.CorpID)
	}
	switch {
	case w.AgentID < 0:
		v.bad("wecom.agent_id", "must be the app's AgentId, not %d", w.AgentID)
	case w.AgentID == 0 && n&needServe != 0 && !embedded:
		v.bad("wecom.agent_id", "must be set to the app's AgentId (the sidebar's JS-SDK needs it)")
	}
	for key, secret := range map[string]string{"wecom.secret": w.Secret, "wecom.token": w.Token} {
		if strings.ContainsAny(secret, " \t\r\n") {
			v.bad(key, "has spaces or line breaks (copied with them?)")
		}
	}
	if w.AESKey != "" {
		if key, err := base64.StdEncoding.DecodeString(w.AESKey + "="); len(w.AESKey) != 43 || err != nil || len(key) != 32 {
			v.bad("wecom.aes_key", "must be the 43-character EncodingAESKey (%d characters given)", len(w.AESKey))
		}
	}
	v.httpURL("wecom.base_url", w.BaseURL)
	if w.CallbackMaxSkew < 0 {
		v.bad("wecom.callback_max_skew", "must be 0 (off) or positive, not %s", w.CallbackMaxSkew)
	}
	v.addr("wecom.redis_addr", w.RedisAddr, false)
	if q := w.Quota; q.Enabled {
		v.atLeast("wecom.quota.per_minute", int64(q.PerMinute), 1) // WeCom allows 10000 per API
		v.atLeast("wecom.quota.per_hour", int64(q.PerHour), 1)     // and 150000
		if q.MaxWait < 0 {
			v.bad("wecom.quota.max_wait", "must be 0 (the default, 30s) or positive, not %s", q.MaxWait)
		}
		if q.FallbackShare <= 0 || q.FallbackShare > 1 {
			v.bad("wecom.quota.fallback_share", "must be above 0 and at most 1 (a replica's share of the budget while Redis is down), not %g", q.FallbackShare)
		}
	}
}

func (c Config) checkWorker(v *checker) {
	w := c.Worker
	v.atLeast("worker.concurrency", int64(w.Concurrency), 1)
	v.atLeast("worker.batch", int64(w.Batch), 1)
	v.atLeast("worker.tx_batch", int64(w.TxBatch), 1)
	v.atLeast("worker.max_attempts", int64(w.MaxAttempts), 1)
	v.duration("worker.lease", w.Lease, time.Second, false)
	v.duration("worker.reconcile_interval", w.Reconcile, time.Minute, true) // each run reads every guide from WeCom
	v.duration("worker.retain_done", w.RetainDone, time.Hour, true)
	v.duration("worker.order_link_interval", w.OrderLink, time.Minute, true)
	v.duration("worker.read_patience", w.ReadPatience, time.Second, true)
}

func (c Config) checkAPI(v *checker) {
	for i, k := range c.API.Keys {
		if len(k) < 16 || strings.ContainsFunc(k, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			v.bad(fmt.Sprintf("api.keys[%d]", i), "must be at least 16 characters, without spaces (use 32+ random bytes)")
		}
	}
}

func (c Config) checkSim(v *checker) {
	s := c.Sim
	v.addr("sim.addr", s.Addr, true)
	if s.Embedded && s.Addr == c.HTTP.Addr {
		v.bad("sim.addr", "must differ from http.addr")
	}
	v.httpURL("sim.callback_url", s.CallbackURL)
	for key, n := range map[string]int{"sim.limits.per_minute": s.Limits.PerMinute, "sim.limits.per_hour": s.Limits.PerHour,
		"sim.limits.ip_per_minute": s.Limits.IPPerMinute, "sim.limits.ip_per_hour": s.Limits.IPPerHour} {
		if n < -1 {
			v.bad(key, "must be 0 (WeCom's limit), -1 (no limit) or positive, not %d", n)
		}
	}
	if s.SeedFile != "" {
		if _, err := os.Stat(s.SeedFile); err != nil {
			v.bad("sim.seed_file", "%s", err)
		}
	}
}

func (c Config) checkSidebar(v *checker, n needs) {
	s := c.Sidebar
	switch {
	case s.SessionKey == "" && n&needServe != 0 && !s.Demo:
		v.bad("sidebar.session_key", "must be set to 32 or more random bytes (signs the guides' sessions)")
	case s.SessionKey != "" && len(s.SessionKey) < 16:
		v.bad("sidebar.session_key", "must be at least 16 bytes, better 32 random ones (%d given)", len(s.SessionKey))
	}
	if s.Demo && !c.Sim.Embedded {
		v.bad("sidebar.demo", "the demo bridge is for the offline demo only (sim.embedded)")
	}
	for i, d := range s.TrustedDomains {
		if d == "" || strings.ContainsAny(d, "/ \t*") {
			v.bad(fmt.Sprintf("sidebar.trusted_domains[%d]", i), "%q must be a host name such as guide.example.com (no scheme, path or wildcard)", d)
		}
	}
	for i, id := range s.Admins {
		if id == "" || len(id) > 64 || strings.ContainsAny(id, " \t,;") {
			v.bad(fmt.Sprintf("sidebar.admins[%d]", i), "%q must be a WeCom userid (1 to 64 characters, no spaces)", id)
		}
	}
}

func (c Config) checkHandover(v *checker) {
	h := c.Handover
	switch h.AutoStrategy {
	case "", "round_robin", "least_loaded":
	default:
		v.bad("handover.auto_strategy", "must be empty (wait for an admin), round_robin or least_loaded, not %q", h.AutoStrategy)
	}
	v.atLeast("handover.customer_limit", int64(h.CustomerLimit), 1)
	v.atLeast("handover.group_daily_limit", int64(h.GroupDailyLimit), 1)
	v.duration("handover.poll_interval", h.PollInterval, time.Second, false)
	v.duration("handover.lease", h.Lease, time.Second, false)
	v.duration("handover.reconcile_interval", h.Reconcile, time.Minute, true)
}
