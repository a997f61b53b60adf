// Package simtest starts the project's WeCom simulator for a test and a wecom.Client pointed at it,
// so tests talk to a WeCom that behaves like the real one and never to hand-stubbed responses.
package simtest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// Test credentials (the AES key is any 43-character EncodingAESKey).
const (
	CorpID = "wwtestcorp00000001"
	Token  = "testtoken"
	AESKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aQ"
)

// Env is one simulator, its HTTP server, a manual clock and a client.
type Env struct {
	Sim    *sim.Sim
	Clock  *sim.ManualClock
	URL    string
	Secret string
	Client *wecom.Client
	Dir    *wecom.Directory
}

// Option adjusts the simulator's config before it starts.
type Option func(*sim.Config)

// WithCallbackURL makes the simulator push callbacks to url.
func WithCallbackURL(url string) Option { return func(c *sim.Config) { c.CallbackURL = url } }

// New starts a simulator on a manual clock (at 2026-11-01 10:00 UTC) and a client on that clock with a
// secret unique to this test unless WithSecret sets one. Everything stops when t ends.
func New(t testing.TB, opts ...Option) *Env {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	secret := "secret-" + hex.EncodeToString(b)
	clock := sim.NewManualClock(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC))
	cfg := sim.Config{CorpID: CorpID, AgentID: 1000002, Secret: secret, Token: Token, AESKey: AESKey, Clock: clock, Seed: 7,
		PushBackoff: 10 * time.Millisecond}
	for _, o := range opts {
		o(&cfg)
	}
	secret = cfg.Secret
	s, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("simtest: %v", err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	// The client runs on the simulator's clock, as a real one on WeCom's; against a simulator without
	// limits it spends no budget either.
	c, err := wecom.NewClient(wecom.Config{CorpID: CorpID, AgentID: 1000002, Secret: secret, BaseURL: srv.URL,
		Quota: wecom.QuotaConfig{Disabled: cfg.Limits == sim.Unlimited}}, wecom.WithClock(clock.Now))
	if err != nil {
		t.Fatalf("simtest: client: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &Env{Sim: s, Clock: clock, URL: srv.URL, Secret: secret, Client: c, Dir: wecom.NewDirectory(c)}
}

// WithSecret replaces the random per-test corp secret, e.g. with a distinctive value a test looks for.
func WithSecret(secret string) Option { return func(c *sim.Config) { c.Secret = secret } }

// WithLimits sets the simulator's call limits per API (zero fields: WeCom's; sim.Unlimited lifts them).
func WithLimits(l sim.Limits) Option {
	return func(c *sim.Config) { c.Limits = l }
}
