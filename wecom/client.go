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
	// RedisAddr, when set, stores access tokens and JS-SDK tickets in Redis so
	// replicas share them (WeCom limits gettoken and ticket calls).
	RedisAddr string
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

// Client calls WeCom server APIs for one app. It is safe for concurrent use.
type Client struct {
	cfg     Config
	app     *work.Work
	bases   chan *kernel.BaseClient // free list, see borrow
	cache   kernel.CacheInterface
	timeout time.Duration
	observe func(endpoint string, errcode int, d time.Duration)

	tokenMu  sync.Mutex
	ticketMu sync.Mutex
}

// NewClient builds a Client. It performs no network call.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if cfg.CorpID == "" || cfg.Secret == "" {
		return nil, errors.New("wecom: CorpID and Secret are required")
	}
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
		bases: make(chan *kernel.BaseClient, maxIdleBases)}
	for _, o := range opts {
		o(c)
	}
	c.cache = newMemCache()
	if cfg.RedisAddr != "" {
		c.cache = kernel.NewRedisClient(&kernel.UniversalOptions{Addrs: []string{cfg.RedisAddr}})
	}
	app, err := work.NewWork(c.userConfig())
	if err != nil {
		return nil, fmt.Errorf("wecom: %w", err)
	}
	c.app = app
	return c, nil
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
		Cache:   c.cache,

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

// call runs send under the client timeout after making sure a token is
// cached, maps the outcome to an error, redacts it and reports it to the
// observer. Every WeCom API call goes through here, token and tickets too.
func (c *Client) call(ctx context.Context, endpoint string, out response, send func(context.Context, *kernel.BaseClient) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now()
	err := c.ensureToken(ctx)
	if err == nil {
		err = c.send(ctx, send)
	}
	if err == nil && out.apiStatus().ErrCode != 0 {
		st := out.apiStatus()
		err = &APIError{Code: st.ErrCode, Msg: st.ErrMsg, Endpoint: endpoint}
	}
	err = c.redact(endpoint, err) // the one exit: no URL, query, body, token or secret
	c.observe(endpoint, codeOf(err), time.Since(start))
	return err
}
