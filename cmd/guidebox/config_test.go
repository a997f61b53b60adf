package main

import (
	"fmt"
	"testing"

	"github.com/spf13/viper"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validConfig(t *testing.T) Config {
	t.Helper()
	c, err := LoadConfig("../../configs/guidebox.example.yaml")
	require.NoError(t, err)
	c.WeCom.Secret, c.WeCom.Token, c.WeCom.AESKey = "s3cret", "tok", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
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
	c, err := LoadConfig("")
	require.NoError(t, err)
	assert.Equal(t, "from-env", c.WeCom.Secret)
	assert.Equal(t, "sqlite", c.Database.Driver)
	assert.Equal(t, "45s", c.Worker.Lease.String())
	assert.Equal(t, 123, c.Handover.CustomerLimit)
}

func TestValidateNamesTheBadKey(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"driver", func(c *Config) { c.Database.Driver = "postgres" }, "database.driver"},
		{"aes key", func(c *Config) { c.WeCom.AESKey = "short" }, "wecom.aes_key"},
		{"corp", func(c *Config) { c.WeCom.CorpID = "" }, "wecom.corp_id"},
		{"skew", func(c *Config) { c.WeCom.CallbackMaxSkew = -1 }, "wecom.callback_max_skew"},
		{"demo in production", func(c *Config) { c.Sidebar.Demo = true }, "sidebar.demo"},
		{"strategy", func(c *Config) { c.Handover.AutoStrategy = "random" }, "handover.auto_strategy"},
		{"short api key", func(c *Config) { c.API.Keys = []string{"0123456789abcdef0123", "short"} }, "api.keys"},
		{"api key with a space", func(c *Config) { c.API.Keys = []string{"0123456789 abcdef0123"} }, "api.keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig(t)
			tt.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), "config "+tt.key)
		})
	}
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
