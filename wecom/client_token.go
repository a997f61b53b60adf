package wecom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/ArtisanCloud/PowerLibs/v3/object"
	tokenresp "github.com/ArtisanCloud/PowerWeChat/v3/src/kernel/response"
)

const endpointToken = "cgi-bin/gettoken"

// tokenKey is where the app's access token is shared: per corp and secret (an app), the secret
// only as part of a hash.
func (c *Client) tokenKey() string {
	sum := sha256.Sum256([]byte(c.cfg.CorpID + "\x00" + c.cfg.Secret))
	return c.keyPrefix + "token:" + hex.EncodeToString(sum[:12])
}

// token returns the app's access token (获取access_token,
// https://developer.work.weixin.qq.com/document/path/91039): the one cached for every replica, or
// one fetched now, once for all of them (one gettoken per expiry, not one per replica). A failed
// fetch is a typed *APIError (bad secret, bad corpid) or a tokenError, observed as gettoken.
func (c *Client) token(ctx context.Context) (string, error) {
	tok, err := c.shared(ctx, c.tokenKey(), func(ctx context.Context) (string, time.Duration, error) {
		start := time.Now()
		tok, err := c.fetchToken(ctx)
		c.observe(endpointToken, codeOf(err), time.Since(start))
		if err != nil {
			return "", 0, err
		}
		// WeCom answers the live token with its remaining lifetime; it is used for exactly that long.
		return tok.AccessToken, time.Duration(tok.ExpiresIn) * time.Second, nil
	})
	var ae *APIError
	var te *tokenError
	if err != nil && !errors.As(err, &ae) && !errors.As(err, &te) {
		err = &tokenError{err} // the shared store failed, or ctx ended while another replica fetched
	}
	return tok, err
}

// dropToken forgets tok after WeCom refused it (40001, 40014, 42001), unless another call or
// replica has replaced it already.
func (c *Client) dropToken(ctx context.Context, tok string) error {
	return c.forget(ctx, c.tokenKey(), tok)
}

// powerToken is PowerWeChat's GetCustomToken (its hook for a central token service): every request
// it sends takes the token from token(), so PowerWeChat never fetches one itself. PowerWeChat calls
// it without a context, hence the client timeout; on failure it gets a map without a token, and
// fails that request with "no token found" (call has fetched the token just before, so this is rare).
// On refresh (WeCom refused the token) it drops this process's copy and reads the store again, so a
// token another replica renewed is picked up; renewing is call's work (dropToken), done once.
func (c *Client) powerToken(_ string, refresh bool) object.HashMap {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if refresh {
		c.memoMu.Lock()
		delete(c.memos, c.tokenKey())
		c.memoMu.Unlock()
	}
	tok, err := c.token(ctx)
	if err != nil {
		return object.HashMap{"expires_in": float64(0)}
	}
	return object.HashMap{"access_token": tok, "expires_in": float64(7200)}
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
	if out.ExpiresIn <= 0 {
		out.ExpiresIn = 7200
	}
	return out, nil
}
