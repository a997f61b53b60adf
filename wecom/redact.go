package wecom

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"

	logcontract "github.com/ArtisanCloud/PowerLibs/v3/logger/contract"
)

// Every error the client returns passes through redact, the one place where
// WeCom failures are turned into text safe for logs, the inbox's last_error,
// CLI output and responses. PowerWeChat's errors quote the request URL, and
// the URL carries the corp secret (gettoken) or the access token (every other
// call); request bodies and WeCom's answers may carry tickets and codes. What
// leaves the client names the endpoint and the errcode, or the kind of
// transport failure, and nothing else.

// minSecretLen is the shortest configured value that is replaced wherever it
// appears; shorter ones (test fixtures) would mangle ordinary words.
const minSecretLen = 8

var (
	// urlQuery matches a URL's query and fragment, kept only up to its path.
	urlQuery = regexp.MustCompile(`(?i)(https?://[^\s"'?#]*)[?#][^\s"']*`)
	// secretParam matches a credential passed as key=value anywhere in a text.
	secretParam = regexp.MustCompile(`(?i)\b(access_token|corpsecret|secret|jsapi_ticket|ticket|code)=[^&\s"',;)]*`)
)

// transportError is a call that failed before WeCom answered with an errcode:
// connection refused or dropped, timeout, HTTP status other than 200, an
// undecodable body. Its text is built only from redacted parts.
type transportError struct {
	endpoint string // the API called, e.g. cgi-bin/externalcontact/get
	step     string // "cgi-bin/gettoken" when fetching the token failed first
	detail   string // what went wrong, redacted
	cause    error  // what *url.Error wrapped (never the URL), or a context error; may be nil
}

// Error implements the error interface.
func (e *transportError) Error() string {
	s := "wecom " + e.endpoint + ": "
	if e.step != "" {
		s += "wecom " + e.step + ": "
	}
	return s + e.detail
}

// Unwrap exposes the cause (context.DeadlineExceeded, a net.Error), never the
// *url.Error and its URL.
func (e *transportError) Unwrap() error { return e.cause }

// tokenError marks a failure of the token fetch that precedes a call.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return "wecom " + endpointToken + ": " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// redact returns err as it may leave the client for a call to endpoint: an
// *APIError with its message scrubbed, or a *transportError.
func (c *Client) redact(endpoint string, err error) error {
	if err == nil {
		return nil
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return &APIError{Code: ae.Code, Msg: c.scrubParams(ae.Msg), Endpoint: ae.Endpoint}
	}
	var qe *QuotaError
	if errors.As(err, &qe) {
		return qe // built by the client from the endpoint, a lane and durations only
	}
	te := &transportError{endpoint: endpoint}
	var tk *tokenError
	if errors.As(err, &tk) {
		te.step, err = endpointToken, tk.err
	}
	var ue *url.Error
	switch {
	case errors.As(err, &ue):
		te.detail = strings.ToUpper(ue.Op) + " request: " + c.scrub(ue.Err.Error())
		te.cause = ue.Err
	default:
		te.detail = c.scrub(err.Error())
		for _, ctxErr := range []error{context.DeadlineExceeded, context.Canceled} {
			if errors.Is(err, ctxErr) {
				te.cause = ctxErr
			}
		}
	}
	return te
}

// scrub removes URL queries, credentials passed as parameters and the
// configured secrets from s.
func (c *Client) scrub(s string) string {
	return c.scrubParams(urlQuery.ReplaceAllString(s, "$1"))
}

// scrubParams removes credentials passed as parameters and the configured
// secrets from s, leaving URLs otherwise intact (WeCom's errmsg links to its
// errcode help page).
func (c *Client) scrubParams(s string) string {
	s = secretParam.ReplaceAllString(s, "$1=***")
	for _, v := range []string{c.cfg.Secret, c.cfg.Token, c.cfg.AESKey} {
		if len(v) >= minSecretLen {
			s = strings.ReplaceAll(s, v, "***")
		}
	}
	return s
}

// quietLog is PowerWeChat's logger: it drops everything. PowerWeChat logs
// requests with their URL (so the token or secret) when http_debug is on, and
// decrypted callbacks in its server guard; guidebox logs what it needs itself,
// from redacted errors and the observer.
type quietLog struct{}

var _ logcontract.LoggerInterface = quietLog{}

func (quietLog) Debug(string, ...any)                                      {}
func (quietLog) Info(string, ...any)                                       {}
func (quietLog) Warn(string, ...any)                                       {}
func (quietLog) Error(string, ...any)                                      {}
func (quietLog) Panic(string, ...any)                                      {}
func (quietLog) Fatal(string, ...any)                                      {}
func (quietLog) DebugF(string, ...any)                                     {}
func (quietLog) InfoF(string, ...any)                                      {}
func (quietLog) WarnF(string, ...any)                                      {}
func (quietLog) ErrorF(string, ...any)                                     {}
func (quietLog) PanicF(string, ...any)                                     {}
func (quietLog) FatalF(string, ...any)                                     {}
func (q quietLog) WithContext(context.Context) logcontract.LoggerInterface { return q }
