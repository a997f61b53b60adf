package sidebar

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service"
)

// TicketSource gives the JS-SDK tickets, cached and shared across replicas by the WeCom client
// (get_jsapi_ticket for wx.config, ticket/get?type=agent_config for wx.agentConfig).
type TicketSource interface {
	CorpTicket(ctx context.Context) (string, error)
	AgentTicket(ctx context.Context) (string, error)
}

// JSAPISignature is one signature for wx.config or wx.agentConfig.
type JSAPISignature struct {
	Timestamp int64
	NonceStr  string
	Signature string
}

// JSAPIConfig is what ww.register needs for a page: both signatures in one answer.
type JSAPIConfig struct {
	CorpID      string
	AgentID     int
	URL         string
	Config      JSAPISignature // corp ticket
	AgentConfig JSAPISignature // app (agent_config) ticket
}

// JSAPIService signs pages for the JS-SDK, but only pages under the configured trusted domains.
type JSAPIService struct {
	tickets TicketSource
	corpID  string
	agentID int
	trusted []string
	now     func() time.Time
	nonce   func() string
}

// NewJSAPIService builds the signer; trusted are hosts ("a.example.com" or "a.example.com:8443").
func NewJSAPIService(tickets TicketSource, corpID string, agentID int, trusted []string) *JSAPIService {
	t := make([]string, 0, len(trusted))
	for _, d := range trusted {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			t = append(t, d)
		}
	}
	return &JSAPIService{tickets: tickets, corpID: corpID, agentID: agentID, trusted: t, now: time.Now, nonce: randomNonce}
}

// App returns the corp id and agent id the page registers with (ww.register).
func (s *JSAPIService) App() (corpID string, agentID int) { return s.corpID, s.agentID }

// SignJSAPI is WeCom's JS-SDK signature: sha1 of "jsapi_ticket=T&noncestr=N&timestamp=TS&url=URL",
// in this order and not URL-encoded (https://developer.work.weixin.qq.com/document/path/90506).
func SignJSAPI(ticket, nonce string, ts int64, pageURL string) string {
	sum := sha1.Sum([]byte("jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + strconv.FormatInt(ts, 10) + "&url=" + pageURL))
	return hex.EncodeToString(sum[:])
}

// Sign returns the config and agentConfig signatures of pageURL (its #fragment dropped).
func (s *JSAPIService) Sign(ctx context.Context, pageURL string) (JSAPIConfig, error) {
	u, err := s.TrustedURL(pageURL)
	if err != nil {
		return JSAPIConfig{}, err
	}
	corp, err := s.tickets.CorpTicket(ctx)
	if err != nil {
		return JSAPIConfig{}, fmt.Errorf("corp jsapi ticket: %w", err)
	}
	agent, err := s.tickets.AgentTicket(ctx)
	if err != nil {
		return JSAPIConfig{}, fmt.Errorf("agent jsapi ticket: %w", err)
	}
	ts := s.now().Unix()
	n1, n2 := s.nonce(), s.nonce()
	return JSAPIConfig{CorpID: s.corpID, AgentID: s.agentID, URL: u,
		Config:      JSAPISignature{Timestamp: ts, NonceStr: n1, Signature: SignJSAPI(corp, n1, ts, u)},
		AgentConfig: JSAPISignature{Timestamp: ts, NonceStr: n2, Signature: SignJSAPI(agent, n2, ts, u)},
	}, nil
}

// TrustedURL checks pageURL is an http(s) URL on a trusted host and returns it without its fragment.
func (s *JSAPIService) TrustedURL(pageURL string) (string, error) {
	if pageURL == "" || len(pageURL) > 2048 {
		return "", service.Invalid("url", "must be the page URL")
	}
	page, _, _ := strings.Cut(pageURL, "#")
	u, err := url.Parse(page)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", service.Invalid("url", "must be an absolute http(s) URL")
	}
	if !s.trustedHost(u) {
		return "", fmt.Errorf("host %s is not a trusted domain: %w", u.Host, service.ErrForbidden)
	}
	return page, nil
}

// TrustedHost reports whether host (as in a Host header, maybe with a port) is trusted.
func (s *JSAPIService) TrustedHost(host string) bool {
	return s.trustedHost(&url.URL{Host: host})
}

func (s *JSAPIService) trustedHost(u *url.URL) bool {
	host, name := strings.ToLower(u.Host), strings.ToLower(u.Hostname())
	for _, d := range s.trusted {
		if d == host || (!strings.Contains(d, ":") && d == name) {
			return true
		}
	}
	return false
}

func randomNonce() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
