package handler

import (
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/tasks"
)

// Cookie names of the sidebar.
const (
	SessionCookie = "gb_session" // the signed session (HttpOnly)
	stateCookie   = "gb_oauth"   // the OAuth state of one sign-in attempt (HttpOnly, /oauth/ only)
	sessionKey    = "gb.session"
)

// SidebarDeps is what the sidebar routes need.
type SidebarDeps struct {
	Sidebar  *sidebar.Service
	Sessions *sidebar.SessionService
	JSAPI    *sidebar.JSAPIService
	UI       fs.FS // the built sidebar-ui (sidebarui.Dist()); nil serves no pages
	Demo     bool  // mount the demo bridge (/demo/...): only with the embedded simulator
	Log      *slog.Logger
	Now      func() time.Time
	// Tasks is the guide's tasks (导购任务); nil leaves /api/sidebar/tasks out.
	Tasks *tasks.Service
}

// SidebarHandler serves the guide sidebar: OAuth sign-in, the JSON API under /api/sidebar,
// the embedded UI under /sidebar/ (and /admin/), and in demo mode the stand-in WeCom bridge.
type SidebarHandler struct {
	d SidebarDeps
}

var _ Mounter = (*SidebarHandler)(nil)

// NewSidebarHandler builds the sidebar's routes.
func NewSidebarHandler(d SidebarDeps) *SidebarHandler {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &SidebarHandler{d: d}
}

// Mount implements Mounter.
func (h *SidebarHandler) Mount(r *gin.Engine) {
	interactive := inLane(service.LaneInteractive) // a guide waits on every call below
	r.GET("/oauth/start", interactive, h.oauthStart)
	r.GET("/oauth/callback", interactive, h.oauthCallback)
	api := r.Group("/api/sidebar", interactive, h.requireSession)
	api.GET("/me", h.me)
	api.GET("/jsapi-signature", h.jsapiSignature)
	api.GET("/customers/:external_userid", h.customerCard)
	api.POST("/customers/:external_userid/tags", h.editTags)
	api.PUT("/customers/:external_userid/remark", h.editRemark)
	api.GET("/tags", h.corpTags)
	api.POST("/shares", h.share)
	api.GET("/groups/:chat_id", h.groupCard)
	api.POST("/logout", h.logout)
	if h.d.Tasks != nil {
		api.GET("/tasks", h.guideTasks)
	}
	h.mountUI(r)
	if h.d.Demo {
		h.mountDemo(r)
	}
}

// requireSession reads the signed session cookie; without a valid one the API answers 401.
func (h *SidebarHandler) requireSession(c *gin.Context) { requireSession(h.d.Sessions, h.d.Log)(c) }

// requireSession checks the signed session cookie of the sidebar's API (401 without a valid one)
// and that writes are JSON, then puts the session on the context.
func requireSession(sessions SessionVerifier, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		tok, _ := c.Cookie(SessionCookie)
		sess, err := sessions.Verify(tok)
		if err != nil {
			fail(c, log, err)
			return
		}
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodDelete && !strings.HasPrefix(c.ContentType(), "application/json") {
			// Cross-site forms cannot send JSON without a preflight: with SameSite=Lax this closes CSRF.
			fail(c, log, service.Invalid("content-type", "must be application/json"))
			return
		}
		c.Set(sessionKey, sess)
		c.Next()
	}
}

func session(c *gin.Context) sidebar.Session {
	s, _ := c.Get(sessionKey)
	sess, _ := s.(sidebar.Session)
	return sess
}

// setSession writes the session cookie: HttpOnly, SameSite=Lax, Secure behind https.
func (h *SidebarHandler) setSession(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: isHTTPS(c), SameSite: http.SameSiteLaxMode})
}

func isHTTPS(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

type meResponse struct {
	UserID  string `json:"userid"`
	Name    string `json:"name"`
	Admin   bool   `json:"admin"`
	Demo    bool   `json:"demo"`
	Expires string `json:"expires"`
	CorpID  string `json:"corp_id"`
	AgentID int    `json:"agent_id"`
}

func (h *SidebarHandler) me(c *gin.Context) {
	s := session(c)
	corp, agent := h.d.JSAPI.App()
	c.JSON(http.StatusOK, meResponse{UserID: s.UserID, Name: s.Name, Admin: s.Admin, Demo: s.Demo,
		Expires: s.Expires.Format(time.RFC3339), CorpID: corp, AgentID: agent})
}

func (h *SidebarHandler) logout(c *gin.Context) {
	h.setSession(c, "", -1)
	c.Status(http.StatusNoContent)
}
