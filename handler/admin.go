package handler

import (
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/sidebar"
)

// SessionVerifier checks the signed session cookie the sidebar's WeCom OAuth sign-in issued
// (*sidebar.SessionService).
type SessionVerifier interface {
	Verify(token string) (sidebar.Session, error)
}

// AdminDeps is what the admin API needs.
type AdminDeps struct {
	Handover *handover.Service
	Sessions SessionVerifier
	Admins   []string // sidebar.admins: WeCom userids allowed in the admin API
	Log      *slog.Logger
}

// AdminHandler serves /api/admin: handover cases (离职继承, 在职转接) and the audit log.
// Every route needs a WeCom OAuth session of a userid listed in sidebar.admins.
type AdminHandler struct{ d AdminDeps }

var _ Mounter = (*AdminHandler)(nil)

// NewAdminHandler builds the admin routes.
func NewAdminHandler(d AdminDeps) *AdminHandler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &AdminHandler{d: d}
}

const adminKey = "admin_userid"

// Mount implements Mounter.
func (h *AdminHandler) Mount(r *gin.Engine) {
	g := r.Group("/api/admin", requireAdmin(h.d.Sessions, h.d.Admins, h.d.Log))
	g.GET("/handover/cases", h.listCases)
	g.POST("/handover/cases", h.openCase)
	g.POST("/handover/reconcile", h.reconcile)
	g.GET("/handover/cases/:id", h.viewCase)
	g.GET("/handover/cases/:id/items", h.listItems)
	g.GET("/handover/cases/:id/plan", h.preview)
	g.PUT("/handover/cases/:id/plan", h.setPlan)
	g.PATCH("/handover/cases/:id/items", h.editItems)
	g.POST("/handover/cases/:id/execute", h.execute)
	g.POST("/handover/cases/:id/cancel", h.cancel)
	g.GET("/audit", h.audit)
}

// requireAdmin answers 401 without a valid session and 403 for a guide not in sidebar.admins;
// writes must be JSON, which cross-site forms cannot send without a preflight.
func requireAdmin(sessions SessionVerifier, admins []string, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		tok, _ := c.Cookie(SessionCookie)
		sess, err := sessions.Verify(tok)
		if err != nil {
			fail(c, log, err)
			return
		}
		if !slices.Contains(admins, sess.UserID) {
			fail(c, log, service.ErrForbidden)
			return
		}
		if c.Request.Method != http.MethodGet && c.Request.ContentLength != 0 && !strings.HasPrefix(c.ContentType(), "application/json") {
			fail(c, log, service.Invalid("content-type", "must be application/json"))
			return
		}
		c.Set(adminKey, sess.UserID)
		c.Set(sessionKey, sess)
		c.Next()
	}
}

func actor(c *gin.Context) string { return c.GetString(adminKey) }

// caseID parses the :id path parameter.
func caseID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, service.Invalid("id", "must be a positive integer")
	}
	return id, nil
}

// queryInt parses an optional non-negative integer query parameter.
func queryInt(c *gin.Context, key string) (int64, error) {
	v := c.Query(key)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, service.Invalid(key, "must be a non-negative integer")
	}
	return n, nil
}

// bind decodes a JSON body strictly enough to report a clear 400.
func bind(c *gin.Context, v any) error {
	if err := c.ShouldBindJSON(v); err != nil {
		return service.Invalid("body", err.Error())
	}
	return nil
}

func oneOf(field, v string, allowed ...string) error {
	if v != "" && !slices.Contains(allowed, v) {
		return service.Invalid(field, "want one of "+strings.Join(allowed, ", "))
	}
	return nil
}
