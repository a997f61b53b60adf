package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ArtisanCloud/PowerLibs/v3/object"
	"github.com/ArtisanCloud/PowerWeChat/v3/src/kernel"
	"github.com/ArtisanCloud/PowerWeChat/v3/src/work"
	"github.com/redis/go-redis/v9"
)

// Config holds one WeCom self-built app's credentials.
type Config struct {
	CorpID  string
	AgentID int
	Secret  string
	Token   string // callback Token (unused by API calls; kept for completeness)
	AESKey  string // callback EncodingAESKey (idem)
	// BaseURL overrides https://qyapi.weixin.qq.com/ (simulator, proxy). A
	// trailing "/" is added, since PowerWeChat drops a path without one.
	BaseURL string
	// Timeout bounds each call, token fetch included. Default 5 s.
	Timeout time.Duration
	// RedisAddr (host:port), when set, is where replicas share the access token
	// and the JS-SDK tickets (one fetch per expiry for all of them), the call
	// budget and WeCom's blocks. Without it they are this process's own.
	RedisAddr string
	// Quota is the budget for WeCom's call limits; zero fields take the defaults.
	Quota QuotaConfig
}

// Option customises a Client.
type Option func(*Client)

// WithObserver registers fn, called once per WeCom call with the endpoint
// (e.g. "cgi-bin/externalcontact/get"), the errcode (0 on success,
// ErrCodeTransport when WeCom gave no errcode) and the duration. Use it to
// count calls in Prometheus. fn must be safe for concurrent use.
func WithObserver(fn func(endpoint string, errcode int, d time.Duration)) Option {
	return func(c *Client) {
		if fn != nil {
			c.observe = fn
		}
	}
}

// WithClock makes the client read time from now instead of the wall clock: the
// budget (in the process), WeCom's blocks and the lifetime of tokens and
// tickets. Tests pass the simulator's clock, as a real client's clock follows
// WeCom's. Budgets kept in Redis run on Redis's clock.
func WithClock(now func() time.Time) Option {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// Client calls WeCom server APIs for one app. It is safe for concurrent use.
type Client struct {
	cfg       Config
	app       *work.Work
	bases     chan *kernel.BaseClient // free list, see borrow
	timeout   time.Duration
	observe   func(endpoint string, errcode int, d time.Duration)
	now       func() time.Time
	rdb       *redis.Client // nil without Config.RedisAddr
	store     store         // shared token and tickets
	keyPrefix string        // of everything shared, e.g. "guidebox:wecom:ww123:"
	quota     *quota
	quotaObs  QuotaObserver

	memoMu sync.Mutex
	memos  map[string]entry // this process's copy of the shared token and tickets
}

// NewClient builds a Client. It performs no network call.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if cfg.CorpID == "" || cfg.Secret == "" {
		return nil, errors.New("wecom: CorpID and Secret are required")
	}
	q, err := quotaDefaults(cfg.Quota)
	if err != nil {
		return nil, err
	}
	cfg.Quota = q
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil {
			return nil, errors.New("wecom: invalid BaseURL: not a URL")
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("wecom: invalid BaseURL %q: want http(s)://host[:port][/path]", u.Redacted())
		}
		if !strings.HasSuffix(cfg.BaseURL, "/") {
			cfg.BaseURL += "/"
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	c := &Client{cfg: cfg, timeout: cfg.Timeout, observe: func(string, int, time.Duration) {},
		bases: make(chan *kernel.BaseClient, maxIdleBases), now: time.Now, quotaObs: noQuotaObserver{},
		keyPrefix: "guidebox:wecom:" + cfg.CorpID + ":", memos: map[string]entry{}}
	for _, o := range opts {
		o(c)
	}
	var backend budgetBackend = newMemBudget()
	c.store = newMemStore(c.now)
	if cfg.RedisAddr != "" {
		c.rdb = redis.NewClient(&redis.Options{Addr: cfg.RedisAddr})
		health := &redisHealth{obs: c.quotaObs.QuotaShared}
		c.store = fallbackStore{remote: redisStore{c.rdb}, local: c.store.(*memStore), health: health}
		backend = &fallbackBudget{remote: newRedisBudget(c.rdb, c.keyPrefix), local: newMemBudget(), share: cfg.Quota.FallbackShare, health: health}
	}
	c.quota = &quota{cfg: cfg.Quota, backend: backend, now: c.now, obs: c.quotaObs, queues: map[string]*apiQueue{}}
	app, err := work.NewWork(c.userConfig())
	if err != nil {
		return nil, fmt.Errorf("wecom: %w", err)
	}
	c.app = app
	c.app.AccessToken.GetCustomToken = c.powerToken // every request takes the shared token
	return c, nil
}

// quotaDefaults fills q's zero fields and refuses negative ones.
func quotaDefaults(q QuotaConfig) (QuotaConfig, error) {
	if q.PerMinute < 0 || q.PerHour < 0 || q.MaxWait < 0 {
		return q, errors.New("wecom: quota per_minute, per_hour and max_wait must not be negative")
	}
	if q.FallbackShare < 0 || q.FallbackShare > 1 {
		return q, errors.New("wecom: quota fallback_share must be between 0 and 1")
	}
	if q.FallbackShare == 0 {
		q.FallbackShare = DefaultFallbackShare
	}
	if q.PerMinute == 0 {
		q.PerMinute = DefaultQuotaPerMinute
	}
	if q.PerHour == 0 {
		q.PerHour = DefaultQuotaPerHour
	}
	if q.MaxWait == 0 {
		q.MaxWait = DefaultQuotaMaxWait
	}
	return q, nil
}

// Close releases the connection to Redis, if any.
func (c *Client) Close() error {
	if c.rdb != nil {
		return c.rdb.Close()
	}
	return nil
}

// maxIdleBases bounds the BaseClients kept for reuse.
const maxIdleBases = 16

// borrow hands out a PowerWeChat BaseClient for one call. A BaseClient
// writes its QueryRaw field on every request, a data race when one is
// shared by concurrent calls, so each call gets its own; they share the
// app's token and the default HTTP transport (connection pool).
func (c *Client) borrow() (*kernel.BaseClient, error) {
	select {
	case b := <-c.bases:
		return b, nil
	default:
		return kernel.NewBaseClient(c.app, nil)
	}
}

// giveBack returns b to the free list, or drops it when the list is full.
func (c *Client) giveBack(b *kernel.BaseClient) {
	select {
	case c.bases <- b:
	default:
	}
}

// userConfig maps Config to PowerWeChat's, avoiding its pitfalls (contract §6):
// a dummy OAuth callback (mandatory), a logger that drops everything (the
// default writes ./wechat/*.log, and PowerWeChat's request logs quote URLs
// with the token), HttpDebug and Debug off (debug=1 throttles WeCom), our
// own cache.
func (c *Client) userConfig() *work.UserConfig {
	return &work.UserConfig{
		CorpID:  c.cfg.CorpID,
		AgentID: c.cfg.AgentID,
		Secret:  c.cfg.Secret,
		Token:   c.cfg.Token,
		AESKey:  c.cfg.AESKey,
		OAuth:   work.OAuth{Callback: "http://localhost/wecom/oauth-unused", Scopes: []string{"snsapi_base"}},
		Http:    work.Http{BaseURI: c.cfg.BaseURL, Timeout: c.timeout.Seconds()},
		Log:     work.Log{Driver: quietLog{}, Level: "error", File: os.DevNull, Error: os.DevNull},
		Cache:   newMemCache(),

		HttpDebug: false,
		Debug:     false,
	}
}

// status is the errcode/errmsg pair every WeCom response carries.
type status struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (s *status) apiStatus() *status { return s }

// response is any response struct embedding status.
type response interface{ apiStatus() *status }

// get calls GET endpoint?query and decodes the JSON answer into out.
func (c *Client) get(ctx context.Context, endpoint string, query map[string]string, out response) error {
	return c.call(ctx, endpoint, out, func(ctx context.Context, b *kernel.BaseClient) error {
		q := object.StringMap(query)
		_, err := b.HttpGet(ctx, endpoint, &q, nil, out)
		return err
	})
}

// post calls POST endpoint with body as JSON and decodes the answer into out.
func (c *Client) post(ctx context.Context, endpoint string, body any, out response) error {
	return c.call(ctx, endpoint, out, func(ctx context.Context, b *kernel.BaseClient) error {
		_, err := b.HttpPostJson(ctx, endpoint, body, nil, nil, out)
		return err
	})
}

// send runs fn with a borrowed BaseClient.
func (c *Client) send(ctx context.Context, fn func(context.Context, *kernel.BaseClient) error) error {
	b, err := c.borrow()
	if err != nil {
		return err
	}
	defer c.giveBack(b)
	return fn(ctx, b)
}

// call spends the call from the API's budget in ctx's lane (waiting for room if
// need be), then runs send under the client timeout with the shared token,
// maps the outcome to an error, redacts it and reports it to the observer.
// A token WeCom refuses is dropped (for every replica) and the call sent once
// more; a 45009/45033 blocks the API for WeCom's block time. Every WeCom API
// call goes through here, the tickets too (the token fetch itself does not).
func (c *Client) call(ctx context.Context, endpoint string, out response, send func(context.Context, *kernel.BaseClient) error) error {
	if err := c.quota.acquire(ctx, endpoint); err != nil {
		return c.redact(endpoint, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now()
	tok, err := c.token(ctx)
	if err == nil {
		err = c.sendChecked(ctx, endpoint, out, send)
		if IsCode(err, CodeInvalidSecret, CodeInvalidToken, CodeTokenExpired) && c.dropToken(ctx, tok) == nil {
			if _, err = c.token(ctx); err == nil {
				err = c.sendChecked(ctx, endpoint, out, send)
			}
		}
	}
	if IsCode(err, CodeRateLimited, CodeConcurrencyLimit) {
		bctx, bcancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		c.quota.blocked(bctx, endpoint, codeOf(err))
		bcancel()
	}
	err = c.redact(endpoint, err) // the one exit: no URL, query, body, token or secret
	c.observe(endpoint, codeOf(err), time.Since(start))
	return err
}

// sendChecked runs send and turns a non-zero errcode into an *APIError.
func (c *Client) sendChecked(ctx context.Context, endpoint string, out response, send func(context.Context, *kernel.BaseClient) error) error {
	if err := c.send(ctx, send); err != nil {
		return err
	}
	if st := out.apiStatus(); st.ErrCode != 0 {
		return &APIError{Code: st.ErrCode, Msg: st.ErrMsg, Endpoint: endpoint}
	}
	return nil
}
