package sidebar

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/guidebox/guidebox/service"
)

// Identity resolves a WeCom OAuth code to the member's userid (auth/getuserinfo, snsapi_base).
// An invalid, expired or reused code is ErrUnauthenticated; a non-member (openid) is ErrForbidden.
type Identity interface {
	UserIDByCode(ctx context.Context, code string) (string, error)
}

// GuideReader reads a guide, to check a signed-in member is an active guide.
type GuideReader interface {
	GetGuide(ctx context.Context, userID string) (service.Guide, error)
}

// Session is a signed-in guide, carried in a signed HttpOnly cookie.
type Session struct {
	UserID  string
	Name    string
	Admin   bool
	Demo    bool
	Expires time.Time
}

// sessionClaims is the signed payload of a session token.
type sessionClaims struct {
	UserID  string    `json:"u"`
	Name    string    `json:"n"`
	Admin   bool      `json:"a,omitempty"`
	Demo    bool      `json:"d,omitempty"`
	Expires time.Time `json:"e"`
}

// ConsoleAccess says whether a member manages stores, and so may open the admin console over them
// (the access domain, wired in cmd/guidebox).
type ConsoleAccess interface {
	ManagesStores(ctx context.Context, userID string) bool
}

// SessionConfig configures sessions and OAuth.
type SessionConfig struct {
	Key     []byte // HMAC-SHA256 key (sidebar.session_key), at least 16 bytes
	TTL     time.Duration
	CorpID  string
	AgentID int
	Admins  []string
	// Console also marks store managers as admins (the sidebar then links the console); nil: Admins only.
	// The mark only shows links: the admin API decides who may do what on every request.
	Console ConsoleAccess
	Demo    bool // demo mode: DemoLogin issues sessions without OAuth
}

// SessionService signs guides in with WeCom OAuth and issues and verifies session tokens.
// Tokens and OAuth states are HMAC-signed and self-contained, so any replica can verify them.
type SessionService struct {
	cfg    SessionConfig
	id     Identity
	guides GuideReader
	now    func() time.Time
}

// OAuthStateTTL bounds the time between /oauth/start and the callback.
const OAuthStateTTL = 10 * time.Minute

// NewSessionService checks the key and builds the service.
func NewSessionService(cfg SessionConfig, id Identity, guides GuideReader) (*SessionService, error) {
	if len(cfg.Key) < 16 {
		return nil, errors.New("sidebar.session_key must be at least 16 bytes")
	}
	if cfg.TTL <= 0 {
		cfg.TTL = 12 * time.Hour
	}
	return &SessionService{cfg: cfg, id: id, guides: guides, now: time.Now}, nil
}

// LoginStart is the state of one OAuth attempt: State goes to WeCom, Cookie to the browser.
type LoginStart struct {
	State  string
	Cookie string
	Next   string
}

type oauthState struct {
	State   string    `json:"s"`
	Next    string    `json:"n"`
	Expires time.Time `json:"e"`
}

// BeginLogin starts an OAuth attempt that will return to next (a local path; anything else becomes /sidebar/).
func (s *SessionService) BeginLogin(next string) LoginStart {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	st := oauthState{State: hex.EncodeToString(b), Next: SafeNext(next), Expires: s.now().Add(OAuthStateTTL)}
	return LoginStart{State: st.State, Cookie: s.sign(st), Next: st.Next}
}

// AuthorizeURL is WeCom's OAuth link (snsapi_base) that returns to redirectURI with a code and state.
func (s *SessionService) AuthorizeURL(redirectURI, state string) string {
	q := url.Values{}
	q.Set("appid", s.cfg.CorpID)
	q.Set("redirect_uri", redirectURI)
	q.Set("response_type", "code")
	q.Set("scope", "snsapi_base")
	q.Set("state", state)
	q.Set("agentid", fmt.Sprint(s.cfg.AgentID))
	return "https://open.weixin.qq.com/connect/oauth2/authorize?" + q.Encode() + "#wechat_redirect"
}

// CompleteLogin checks the state against the browser's state cookie, resolves the code with WeCom,
// and issues a session for an active guide. It returns the session token and where to go next.
func (s *SessionService) CompleteLogin(ctx context.Context, code, state, stateCookie string) (string, Session, string, error) {
	var st oauthState
	if err := s.verify(stateCookie, &st); err != nil || state == "" ||
		!hmac.Equal([]byte(st.State), []byte(state)) || s.now().After(st.Expires) {
		return "", Session{}, "", fmt.Errorf("oauth state does not match: %w", service.ErrUnauthenticated)
	}
	if code == "" || len(code) > 512 {
		return "", Session{}, "", service.Invalid("code", "missing")
	}
	uid, err := s.id.UserIDByCode(ctx, code)
	if err != nil {
		return "", Session{}, "", fmt.Errorf("oauth code: %w", err)
	}
	tok, sess, err := s.issue(ctx, uid, false)
	return tok, sess, st.Next, err
}

// DemoLogin issues a session for any active guide without OAuth; only in demo mode.
func (s *SessionService) DemoLogin(ctx context.Context, userID string) (string, Session, error) {
	if !s.cfg.Demo {
		return "", Session{}, fmt.Errorf("demo login outside demo mode: %w", service.ErrForbidden)
	}
	if err := checkWeComID("userid", userID); err != nil {
		return "", Session{}, err
	}
	return s.issue(ctx, userID, true)
}

func (s *SessionService) issue(ctx context.Context, userID string, demo bool) (string, Session, error) {
	g, err := s.guides.GetGuide(ctx, userID)
	if errors.Is(err, service.ErrNotFound) {
		return "", Session{}, fmt.Errorf("member %s is not a guide: %w", userID, service.ErrForbidden)
	}
	if err != nil {
		return "", Session{}, fmt.Errorf("sign in %s: %w", userID, err)
	}
	if g.Status == service.GuideResigned {
		return "", Session{}, fmt.Errorf("guide %s has resigned: %w", userID, service.ErrForbidden)
	}
	sess := Session{UserID: g.UserID, Name: g.Name, Demo: demo, Expires: s.now().Add(s.cfg.TTL).UTC().Truncate(time.Second)}
	sess.Admin = s.ConsoleRole(ctx, g.UserID) != ""
	return s.sign(sessionClaims(sess)), sess, nil
}

// Verify checks a session token; ErrUnauthenticated if it is missing, forged or expired.
func (s *SessionService) Verify(token string) (Session, error) {
	var c sessionClaims
	if err := s.verify(token, &c); err != nil || c.UserID == "" {
		return Session{}, fmt.Errorf("session: %w", service.ErrUnauthenticated)
	}
	if s.now().After(c.Expires) {
		return Session{}, fmt.Errorf("session expired: %w", service.ErrUnauthenticated)
	}
	return Session(c), nil
}

// TTL is how long a session lasts.
func (s *SessionService) TTL() time.Duration { return s.cfg.TTL }

// ConsoleRole says what userID is in the admin console: service.RoleAdmin for one of the admins
// (sidebar.admins), service.RoleStoreManager for a store manager (when Console is set), else "". The
// sidebar links the console for both; the demo picker marks them.
func (s *SessionService) ConsoleRole(ctx context.Context, userID string) string {
	for _, a := range s.cfg.Admins {
		if a == userID {
			return service.RoleAdmin
		}
	}
	if s.cfg.Console != nil && s.cfg.Console.ManagesStores(ctx, userID) {
		return service.RoleStoreManager
	}
	return ""
}

// Demo reports whether demo login is enabled.
func (s *SessionService) Demo() bool { return s.cfg.Demo }

func (s *SessionService) sign(v any) string {
	b, _ := json.Marshal(v)
	p := base64.RawURLEncoding.EncodeToString(b)
	return p + "." + base64.RawURLEncoding.EncodeToString(s.mac(p))
}

func (s *SessionService) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.cfg.Key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

func (s *SessionService) verify(token string, v any) error {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 4096 {
		return service.ErrUnauthenticated
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(p)) {
		return service.ErrUnauthenticated
	}
	b, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return service.ErrUnauthenticated
	}
	return json.Unmarshal(b, v)
}

// SafeNext returns next if it is a relative path on this site, else the sidebar's home. It is where
// the browser goes after OAuth, so it must never lead off-site: only a parsed path with no scheme, no
// host and no user, starting with one "/" (not "//", raw or percent-encoded), and with no backslash
// and no control character anywhere, raw or percent-encoded ("/%09/evil.example" is read by
// browsers as "//evil.example").
func SafeNext(next string) string {
	const home = "/sidebar/"
	if next == "" || len(next) > 512 || !strings.HasPrefix(next, "/") || unsafeChars(next) {
		return home
	}
	decoded, err := url.PathUnescape(next)
	if err != nil || unsafeChars(decoded) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(decoded, "//") {
		return home
	}
	return next
}

// unsafeChars reports a backslash or a control character (C0, DEL, C1, Unicode format controls).
func unsafeChars(s string) bool {
	for _, r := range s {
		if r == '\\' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return true
		}
	}
	return false
}
