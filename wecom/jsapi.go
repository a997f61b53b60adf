package wecom

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ticketMargin is how long before expiry a cached ticket is dropped, as
// PowerWeChat does (expires_in - 500 s).
const ticketMargin = 500 * time.Second

type ticketResp struct {
	status
	Ticket    string `json:"ticket"`
	ExpiresIn int64  `json:"expires_in"`
}

// CorpTicket returns the corp jsapi_ticket used to sign wx.config
// (获取企业的jsapi_ticket, https://developer.work.weixin.qq.com/document/path/90506).
// It is cached (shared through Redis when configured, fetched once for every
// replica) until expires_in-500 s: WeCom allows 400 fetches per hour per corp.
func (c *Client) CorpTicket(ctx context.Context) (string, error) {
	return c.ticket(ctx, "corp", "cgi-bin/get_jsapi_ticket", nil)
}

// AgentTicket returns the app jsapi_ticket used to sign wx.agentConfig, which
// the sidebar APIs require (获取应用的jsapi_ticket,
// https://developer.work.weixin.qq.com/document/path/90506). Cached like
// CorpTicket; WeCom allows 100 fetches per hour per app.
func (c *Client) AgentTicket(ctx context.Context) (string, error) {
	return c.ticket(ctx, "agent", "cgi-bin/ticket/get", map[string]string{"type": "agent_config"})
}

// ticketKey is where a ticket kind of this app is shared.
func (c *Client) ticketKey(kind string) string {
	return fmt.Sprintf("%sticket:%s:%d", c.keyPrefix, kind, c.cfg.AgentID)
}

// ticket returns the cached ticket of a kind, or fetches it once for every replica (the others
// wait for it), and keeps it until expires_in-500 s.
func (c *Client) ticket(ctx context.Context, kind, endpoint string, query map[string]string) (string, error) {
	return c.shared(ctx, c.ticketKey(kind), func(ctx context.Context) (string, time.Duration, error) {
		var out ticketResp
		if err := c.get(ctx, endpoint, query, &out); err != nil {
			return "", 0, err
		}
		if out.Ticket == "" {
			return "", 0, fmt.Errorf("wecom %s: empty ticket", endpoint)
		}
		return out.Ticket, ticketTTL(out.ExpiresIn), nil
	})
}

// ticketTTL is expires_in minus the safety margin, or half of expires_in when
// it is too short for the margin (7200 s when WeCom omits it).
func ticketTTL(expiresIn int64) time.Duration {
	if expiresIn <= 0 {
		expiresIn = 7200
	}
	d := time.Duration(expiresIn) * time.Second
	if d > 2*ticketMargin {
		return d - ticketMargin
	}
	return d / 2
}

// Sign computes a JS-SDK signature (JS-SDK使用权限签名算法,
// https://developer.work.weixin.qq.com/document/path/90506):
// hex(sha1("jsapi_ticket=T&noncestr=N&timestamp=TS&url=URL")), in that exact
// order and without URL-encoding. Anything from '#' on is dropped from url,
// as the page signs location.href.split('#')[0].
func Sign(ticket, nonce string, ts int64, url string) string {
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url = url[:i]
	}
	s := "jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + strconv.FormatInt(ts, 10) + "&url=" + url
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
