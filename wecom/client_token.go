package wecom

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	tokenresp "github.com/ArtisanCloud/PowerWeChat/v3/src/kernel/response"
)

const endpointToken = "cgi-bin/gettoken"

// ensureToken fetches an access token (获取access_token,
// https://developer.work.weixin.qq.com/document/path/91039) when none is
// cached, and stores it where PowerWeChat looks for it. PowerWeChat would
// fetch it itself, but it reports a gettoken errcode (bad secret, bad corpid)
// only as a formatted string; doing it here yields a typed *APIError.
// PowerWeChat still renews the token on 40001/40014/42001 and retries once.
func (c *Client) ensureToken(ctx context.Context) error {
	at := c.app.AccessToken
	key, store := at.GetCacheKey(), at.GetCache() // store is c.cache, as configured
	if store.Has(key) {
		return nil
	}
	c.tokenMu.Lock()
	defer c.tokenMu.Unlock()
	if store.Has(key) {
		return nil
	}
	start := time.Now()
	tok, err := c.fetchToken(ctx)
	c.observe(endpointToken, codeOf(err), time.Since(start))
	if err != nil {
		return err
	}
	if _, err := at.SetToken(tok); err != nil {
		return &tokenError{fmt.Errorf("cache token: %w", err)}
	}
	return nil
}

// fetchToken calls gettoken through PowerWeChat's token HTTP helper, so the
// BaseURL and transport settings apply. Its failures quote the URL with the
// corp secret: they leave the client only through call's redact.
func (c *Client) fetchToken(ctx context.Context) (*tokenresp.ResponseGetToken, error) {
	h := c.app.AccessToken.HttpHelper
	rs, err := h.Df().WithContext(ctx).Uri(endpointToken).Method(http.MethodGet).
		Query("corpid", c.cfg.CorpID).Query("corpsecret", c.cfg.Secret).Request()
	if err != nil {
		return nil, &tokenError{err}
	}
	defer rs.Body.Close()
	if rs.StatusCode != http.StatusOK {
		return nil, &tokenError{fmt.Errorf("http status %d", rs.StatusCode)}
	}
	out := &tokenresp.ResponseGetToken{}
	if err := h.ParseResponseBodyContent(rs, out); err != nil {
		return nil, &tokenError{err}
	}
	if out.ErrCode != 0 {
		return nil, &APIError{Code: out.ErrCode, Msg: out.ErrMsg, Endpoint: endpointToken}
	}
	if out.AccessToken == "" {
		return nil, &tokenError{errors.New("empty access_token")}
	}
	return out, nil
}
