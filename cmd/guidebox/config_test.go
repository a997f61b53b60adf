package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/spf13/viper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validConfig(t *testing.T) Config {
	t.Helper()
	c, err := LoadConfig("../../configs/guidebox.example.yaml")
	require.NoError(t, err)
	c.WeCom.Secret, c.WeCom.Token, c.WeCom.AESKey = "s3cret", "tok", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	c.Sidebar.SessionKey = "example-session-key-0123456789abcdef"
	return c
}

func TestExampleConfigDocumentsEveryKeyAndValidates(t *testing.T) {
	c := validConfig(t)
	require.NoError(t, c.Validate())
	keys := exampleKeys(t)
	all := map[string]any{}
	for k, v := range defaults {
		all[k] = v
	}
	for k, v := range handoverDefaults {
		all[k] = v
	}
	for k, v := range consoleDefaults {
		all[k] = v
	}
	for k := range all {
		t.Run(k, func(t *testing.T) {
			assert.Contains(t, keys, k, "configs/guidebox.example.yaml documents every key")
		})
	}
}

func TestEnvironmentOverridesEveryKey(t *testing.T) {
	t.Setenv("GUIDEBOX_WECOM_SECRET", "from-env")
	t.Setenv("GUIDEBOX_DATABASE_DRIVER", "sqlite")
	t.Setenv("GUIDEBOX_WORKER_LEASE", "45s")
	t.Setenv("GUIDEBOX_HANDOVER_CUSTOMER_LIMIT", "123")
	t.Setenv("GUIDEBOX_CONSOLE_STORE_MANAGERS", "wangfang:2;3,lijun:4")
	c, err := LoadConfig("")
	require.NoError(t, err)
	managers, errs := parseStoreManagers(c.Console.StoreManagers)
	require.Empty(t, errs)
	assert.Equal(t, map[string][]int64{"wangfang": {2, 3}, "lijun": {4}}, managers, "; between stores, , between managers")
	assert.Equal(t, "from-env", c.WeCom.Secret)
	assert.Equal(t, "sqlite", c.Database.Driver)
	assert.Equal(t, "45s", c.Worker.Lease.String())
	assert.Equal(t, 123, c.Handover.CustomerLimit)
}

// TestValidateNamesTheBadKey: each bad value is reported under its key, and only there.
func TestValidateNamesTheBadKey(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"addr not host:port", func(c *Config) { c.HTTP.Addr = "nonsense" }, "http.addr"},
		{"addr port too big", func(c *Config) { c.HTTP.Addr = "127.0.0.1:99999" }, "http.addr"},
		{"addr port zero", func(c *Config) { c.HTTP.Addr = "127.0.0.1:0" }, "http.addr"},
		{"addr port by name", func(c *Config) { c.HTTP.Addr = "127.0.0.1:http" }, "http.addr"},
		{"addr empty", func(c *Config) { c.HTTP.Addr = "" }, "http.addr"},
		{"body too small", func(c *Config) { c.HTTP.MaxBodyBytes = 10 }, "http.max_body_bytes"},
		{"body too big", func(c *Config) { c.HTTP.MaxBodyBytes = 1 << 30 }, "http.max_body_bytes"},
		{"metrics addr", func(c *Config) { c.HTTP.MetricsAddr = "localhost" }, "http.metrics_addr"},
		{"metrics on the main addr", func(c *Config) { c.HTTP.MetricsAddr = c.HTTP.Addr }, "http.metrics_addr"},
		{"driver", func(c *Config) { c.Database.Driver = "postgres" }, "database.driver"},
		{"dsn empty", func(c *Config) { c.Database.DSN = "" }, "database.dsn"},
		{"dsn unparsable", func(c *Config) { c.Database.DSN = "gb:pw@tcp(db:3306)" }, "database.dsn"},
		{"dsn without database", func(c *Config) { c.Database.DSN = "gb:pw@tcp(db:3306)/" }, "database.dsn"},
		{"corp", func(c *Config) { c.WeCom.CorpID = "" }, "wecom.corp_id"},
		{"corp with a space", func(c *Config) { c.WeCom.CorpID = "ww01 23" }, "wecom.corp_id"},
		{"agent id negative", func(c *Config) { c.WeCom.AgentID = -1 }, "wecom.agent_id"},
		{"agent id missing", func(c *Config) { c.WeCom.AgentID = 0 }, "wecom.agent_id"},
		{"secret missing", func(c *Config) { c.WeCom.Secret = "" }, "wecom.secret"},
		{"secret with a newline", func(c *Config) { c.WeCom.Secret = "s3cret\n" }, "wecom.secret"},
		{"token missing", func(c *Config) { c.WeCom.Token = "" }, "wecom.token"},
		{"aes key short", func(c *Config) { c.WeCom.AESKey = "short" }, "wecom.aes_key"},
		{"aes key not base64", func(c *Config) { c.WeCom.AESKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDE-!" }, "wecom.aes_key"},
		{"base url relative", func(c *Config) { c.WeCom.BaseURL = "qyapi.weixin.qq.com" }, "wecom.base_url"},
		{"base url scheme", func(c *Config) { c.WeCom.BaseURL = "ftp://qyapi.weixin.qq.com/" }, "wecom.base_url"},
		{"skew", func(c *Config) { c.WeCom.CallbackMaxSkew = -1 }, "wecom.callback_max_skew"},
		{"redis", func(c *Config) { c.WeCom.RedisAddr = "redis://cache" }, "wecom.redis_addr"},
		{"concurrency", func(c *Config) { c.Worker.Concurrency = 0 }, "worker.concurrency"},
		{"batch", func(c *Config) { c.Worker.Batch = 0 }, "worker.batch"},
		{"tx batch", func(c *Config) { c.Worker.TxBatch = -1 }, "worker.tx_batch"},
		{"max attempts", func(c *Config) { c.Worker.MaxAttempts = 0 }, "worker.max_attempts"},
		{"worker lease", func(c *Config) { c.Worker.Lease = time.Millisecond }, "worker.lease"},
		{"reconcile negative", func(c *Config) { c.Worker.Reconcile = -time.Hour }, "worker.reconcile_interval"},
		{"reconcile too often", func(c *Config) { c.Worker.Reconcile = time.Second }, "worker.reconcile_interval"},
		{"retain", func(c *Config) { c.Worker.RetainDone = time.Minute }, "worker.retain_done"},
		{"read patience", func(c *Config) { c.Worker.ReadPatience = time.Millisecond }, "worker.read_patience"},
		{"sim addr", func(c *Config) { c.Sim.Addr = "8090" }, "sim.addr"},
		{"sim on the main addr", func(c *Config) { c.Sim.Embedded, c.Sim.Addr = true, c.HTTP.Addr }, "sim.addr"},
		{"sim callback url", func(c *Config) { c.Sim.CallbackURL = "127.0.0.1:8080/wecom/callback" }, "sim.callback_url"},
		{"sim seed file", func(c *Config) { c.Sim.SeedFile = "/nonexistent/corp.json" }, "sim.seed_file"},
		{"session key missing", func(c *Config) { c.Sidebar.SessionKey = "" }, "sidebar.session_key"},
		{"session key short", func(c *Config) { c.Sidebar.SessionKey = "short" }, "sidebar.session_key"},
		{"trusted domain with scheme", func(c *Config) { c.Sidebar.TrustedDomains = []string{"ok.example.com", "https://guide.example.com"} }, "sidebar.trusted_domains[1]"},
		{"admin with a space", func(c *Config) { c.Sidebar.Admins = []string{"a b"} }, "sidebar.admins[0]"},
		{"demo in production", func(c *Config) { c.Sidebar.Demo = true }, "sidebar.demo"},
		{"strategy", func(c *Config) { c.Handover.AutoStrategy = "random" }, "handover.auto_strategy"},
		{"customer limit", func(c *Config) { c.Handover.CustomerLimit = 0 }, "handover.customer_limit"},
		{"group limit", func(c *Config) { c.Handover.GroupDailyLimit = 0 }, "handover.group_daily_limit"},
		{"poll interval", func(c *Config) { c.Handover.PollInterval = 0 }, "handover.poll_interval"},
		{"handover lease", func(c *Config) { c.Handover.Lease = time.Millisecond }, "handover.lease"},
		{"handover reconcile", func(c *Config) { c.Handover.Reconcile = time.Second }, "handover.reconcile_interval"},
		{"log format", func(c *Config) { c.Log.Format = "xml" }, "log.format"},
		{"log level", func(c *Config) { c.Log.Level = "loud" }, "log.level"},
		{"sim limits", func(c *Config) { c.Sim.Limits.PerHour = -2 }, "sim.limits.per_hour"},
		{"quota", func(c *Config) { c.WeCom.Quota.PerHour = 0 }, "wecom.quota.per_hour"},
		{"quota wait", func(c *Config) { c.WeCom.Quota.MaxWait = -time.Second }, "wecom.quota.max_wait"},
		{"short api key", func(c *Config) { c.API.Keys = []string{"0123456789abcdef0123", "short"} }, "api.keys[1]"},
		{"api key with a space", func(c *Config) { c.API.Keys = []string{"0123456789 abcdef0123"} }, "api.keys[0]"},
		{"store manager without stores", func(c *Config) { c.Console.StoreManagers = []string{"wangfang:2", "lijun"} }, "console.store_managers[1]"},
		{"store manager with a bad store", func(c *Config) { c.Console.StoreManagers = []string{"wangfang:2;x"} }, "console.store_managers[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig(t)
			tt.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			assert.Equal(t, []string{tt.key}, badKeys(err))
			assert.Contains(t, err.Error(), "config "+tt.key+": ")
		})
	}
}

// TestValidateNeverRepeatsASecret: a bad secret is named, its value is not.
func TestValidateNeverRepeatsASecret(t *testing.T) {
	c := validConfig(t)
	c.WeCom.Secret, c.WeCom.AESKey, c.Sidebar.SessionKey = "hunter2 x", "not-a-key-but-secret", "tooshort-secret"
	c.Database.DSN = "gb:pa55word@tcp(db:3306)"
	err := c.Validate()
	require.Error(t, err)
	assert.ElementsMatch(t, []string{"wecom.secret", "wecom.aes_key", "sidebar.session_key", "database.dsn"}, badKeys(err))
	for _, secret := range []string{"hunter2", "not-a-key-but-secret", "tooshort-secret", "pa55word"} {
		assert.NotContains(t, err.Error(), secret)
	}
}

// TestValidateByCommand: migrate needs a database only, reconcile and handover WeCom's API keys too,
// serve everything; the offline demo (sim.embedded, sidebar.demo) needs no WeCom keys at all.
func TestValidateByCommand(t *testing.T) {
	c, err := LoadConfig("")
	require.NoError(t, err)
	require.NoError(t, c.validate(0), "the defaults are enough for migrate and inbox")
	assert.ElementsMatch(t, []string{"wecom.corp_id", "wecom.secret"}, badKeys(c.validate(needAPI)))
	assert.ElementsMatch(t, []string{"wecom.corp_id", "wecom.secret", "wecom.token", "wecom.aes_key", "wecom.agent_id",
		"sidebar.session_key"}, badKeys(c.validate(needAll)))
	c.Sim.Embedded, c.Sidebar.Demo = true, true
	require.NoError(t, c.validate(needAll))
	c.Log.Level = "loud"
	assert.Equal(t, []string{"log.level"}, badKeys(c.validate(0)), "every command checks the form of every key")
}

// TestLoadConfigRefusesUnknownKeysAndBadTypes: a typo or a value of the wrong type names its key.
func TestLoadConfigRefusesUnknownKeysAndBadTypes(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(file, []byte("log:\n  levle: debug\nworker:\n  lease: soon\n  concurrency: lots\n"+
		"handover:\n  inherit_edge: maybe\nsidebar:\n  admins: [a, b]\n"), 0o600))
	_, err := LoadConfig(file)
	require.Error(t, err)
	assert.Equal(t, []string{"handover.inherit_edge", "log.levle", "worker.concurrency", "worker.lease"}, badKeys(err))
	assert.Contains(t, err.Error(), "config log.levle: unknown key")
	assert.Contains(t, err.Error(), "config worker.lease: must be a duration")
	assert.Contains(t, err.Error(), "config worker.concurrency: must be a whole number")
	assert.Contains(t, err.Error(), "config handover.inherit_edge: must be true or false")

	require.NoError(t, os.WriteFile(file, []byte("sim:\nlog:\n  level: debug\n"), 0o600))
	c, err := LoadConfig(file)
	require.NoError(t, err, "an empty section is no unknown key")
	assert.Equal(t, "debug", c.Log.Level)
}

// TestEnvironmentValuesAreValidated: a bad value from GUIDEBOX_* is named by its key too.
func TestEnvironmentValuesAreValidated(t *testing.T) {
	t.Setenv("GUIDEBOX_HTTP_ADDR", "nonsense")
	t.Setenv("GUIDEBOX_LOG_FORMAT", "xml")
	_, _, err := loadConfig(nil, 0)
	require.Error(t, err)
	assert.Equal(t, []string{"http.addr", "log.format"}, badKeys(err))
	assert.Contains(t, err.Error(), "invalid configuration")
}

// badKeys lists the keys of the ConfigErrors in err, in order.
func badKeys(err error) []string {
	var keys []string
	var walk func(error)
	walk = func(e error) {
		if ce, ok := e.(*ConfigError); ok {
			keys = append(keys, ce.Key)
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
	if err != nil {
		walk(err)
	}
	return keys
}

func TestMaskedHidesSecrets(t *testing.T) {
	c := validConfig(t)
	c.Database.DSN = "gb:pa55word@tcp(db:3306)/guidebox"
	c.Sidebar.SessionKey = "session-key-value"
	out := fmt.Sprintf("%+v", c.Masked())
	for _, secret := range []string{"s3cret", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "pa55word", "session-key-value"} {
		assert.NotContains(t, out, secret)
	}
	assert.Contains(t, out, "gb:***@tcp(db:3306)/guidebox")
	c.Database.DSN = "gb:p@ss@tcp(db:3306)/guidebox"
	assert.Equal(t, "gb:***@tcp(db:3306)/guidebox", c.Masked().Database.DSN, "a password holding an @ is hidden whole")
}

func TestAPIKeysFromTheEnvironmentAreMasked(t *testing.T) {
	t.Setenv("GUIDEBOX_API_KEYS", " pos-key-0123456789abcdef , mini-key-0123456789abcdef,")
	c, err := LoadConfig("")
	require.NoError(t, err)
	assert.Equal(t, []string{"pos-key-0123456789abcdef", "mini-key-0123456789abcdef"}, c.API.Keys)
	out := fmt.Sprintf("%+v", c.Masked())
	assert.NotContains(t, out, "0123456789abcdef")
	assert.Contains(t, out, "Keys:[*** ***]")
}

func TestMaskDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"gb:pa55word@tcp(db:3306)/guidebox", "gb:***@tcp(db:3306)/guidebox"},
		{"gb:p@ss:w/rd@tcp(db:3306)/guidebox?parseTime=true", "gb:***@tcp(db:3306)/guidebox?parseTime=true"},
		{"gb@tcp(db:3306)/guidebox", "gb@tcp(db:3306)/guidebox"},
		{"root@tcp(127.0.0.1:3306)/", "root@tcp(127.0.0.1:3306)/"},
		{"data/guidebox.db", "data/guidebox.db"},
		{"file:/var/lib/guidebox/g.db?_pragma=busy_timeout(5000)", "file:/var/lib/guidebox/g.db?_pragma=busy_timeout(5000)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, maskDSN(tt.in), tt.in)
	}
}

func TestMaskedHidesProxyCredentials(t *testing.T) {
	c := validConfig(t)
	c.WeCom.BaseURL = "http://gw:pr0xy-pass@egress.internal:3128/"
	out := fmt.Sprintf("%+v", c.Masked())
	assert.NotContains(t, out, "pr0xy-pass")
	assert.Contains(t, out, "egress.internal:3128")
}

// exampleKeys lists the section.key pairs the example file sets.
func exampleKeys(t *testing.T) []string {
	t.Helper()
	v := viper.New()
	v.SetConfigFile("../../configs/guidebox.example.yaml")
	require.NoError(t, v.ReadInConfig())
	return v.AllKeys()
}
