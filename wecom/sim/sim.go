package sim

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/guidebox/guidebox/wecom/callback"
)

// Config configures a Sim. Zero values get the defaults named per field.
type Config struct {
	CorpID  string // default "wwsim0000000000001"
	AgentID int    // default 1000002
	Secret  string // the app secret gettoken accepts; default "sim-secret"
	// Token and AESKey (the 43-character EncodingAESKey) sign and encrypt
	// callbacks. Without them, or without CallbackURL, events are recorded
	// as undelivered instead of pushed.
	Token       string
	AESKey      string
	CallbackURL string
	Clock       Clock // default: the wall clock
	Seed        int64 // seeds generated ids (external_userid, chat_id, tag ids)

	PushTimeout time.Duration // per attempt; default 5 s, WeCom's
	PushRetries int           // retries after the first attempt; default 3, WeCom's
	PushBackoff time.Duration // wait before retry n is n×PushBackoff; default 200 ms
	HTTPClient  *http.Client  // used by the pusher; default a fresh client
	// MaxDeliveries bounds the Delivered record (oldest dropped first);
	// default 100 000.
	MaxDeliveries int
	// Limits are every API's call limits (45009 past them, then WeCom's
	// block); zero fields are WeCom's: 10 000/min and 150 000/h per corp,
	// 20 000/min and 600 000/h per caller IP. Unlimited lifts them all.
	Limits Limits
	// NotifyAPIChanges makes remark, mark_tag and the corp tag APIs push the
	// edit_external_contact / change_external_tag callbacks too. Whether WeCom
	// echoes an app's own API changes is undocumented, so it is off by default.
	NotifyAPIChanges bool
}

// Sim is one simulated corp with one self-built app. All state is behind
// one mutex; it is safe for concurrent use.
type Sim struct {
	cfg     Config
	clock   Clock
	crypto  *callback.Crypto // nil when Token/AESKey are not set
	faults  *faults
	limits  *limiter
	calls   *callCounter
	push    *pusher
	routes  map[string]route
	tokSalt string

	mu sync.Mutex
	st *state
}

// New builds an empty corp (department 1, no members) from cfg. It fails only
// when Token/AESKey are given but invalid.
func New(cfg Config) (*Sim, error) {
	cfg = withDefaults(cfg)
	s := &Sim{cfg: cfg, clock: cfg.Clock, faults: newFaults(), limits: newLimiter(cfg.Limits), calls: newCallCounter()}
	if cfg.Token != "" && cfg.AESKey != "" {
		c, err := callback.New(cfg.Token, cfg.AESKey, cfg.CorpID)
		if err != nil {
			return nil, fmt.Errorf("sim: callback crypto: %w", err)
		}
		s.crypto = c
	}
	salt := make([]byte, 4)
	_, _ = crand.Read(salt)
	s.tokSalt = hex.EncodeToString(salt)
	s.st = newState(cfg.Seed)
	s.st.addDept(Department{ID: 1, Name: "总部", ParentID: 0, Order: 100000000})
	s.push = newPusher(s)
	s.routes = s.buildRoutes()
	return s, nil
}

// withDefaults fills cfg's zero fields.
func withDefaults(cfg Config) Config {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&cfg.CorpID, "wwsim0000000000001")
	def(&cfg.Secret, "sim-secret")
	if cfg.AgentID == 0 {
		cfg.AgentID = 1000002
	}
	if cfg.Clock == nil {
		cfg.Clock = realClock{}
	}
	if cfg.PushTimeout <= 0 {
		cfg.PushTimeout = 5 * time.Second
	}
	if cfg.PushRetries == 0 {
		cfg.PushRetries = 3
	}
	if cfg.PushBackoff <= 0 {
		cfg.PushBackoff = 200 * time.Millisecond
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.MaxDeliveries <= 0 {
		cfg.MaxDeliveries = 100000
	}
	cfg.Limits = cfg.Limits.over(weComLimits)
	return cfg
}

// Config returns the effective configuration (defaults filled in).
func (s *Sim) Config() Config { return s.cfg }

// Now returns the simulator clock's time.
func (s *Sim) Now() time.Time { return s.clock.Now() }

// Tick applies everything due on the clock (transfer takeovers after 24 h)
// and queues the callbacks that causes. Requests do the same lazily.
func (s *Sim) Tick() {
	s.mu.Lock()
	defer s.unlockAndPush()
	s.completeDueLocked()
}

// unlockAndPush queues the events collected under s.mu, in order, then
// releases s.mu. Every mutating path ends with it.
func (s *Sim) unlockAndPush() {
	out := s.st.outbox
	s.st.outbox = nil
	if len(out) > 0 {
		s.push.enqueue(out)
	}
	s.mu.Unlock()
}

// ListenAndServe serves Handler on addr until ctx is done, then shuts the
// server down and waits for queued callbacks (up to 5 s). It returns nil
// after a clean shutdown.
func (s *Sim) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sim: listen %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is ListenAndServe on an existing listener.
func (s *Sim) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("sim: serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shut)
	_ = s.Flush(shut)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("sim: shutdown: %w", err)
	}
	return nil
}

// newRand returns the deterministic generator behind generated ids.
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))
}
