package handler

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/autotag"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/directory"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/service/kpi"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/tasks"
)

// SessionVerifier checks the signed session cookie the sidebar's WeCom OAuth sign-in issued
// (*sidebar.SessionService).
type SessionVerifier interface {
	Verify(token string) (sidebar.Session, error)
}

// AdminDeps is what the admin API needs.
type AdminDeps struct {
	Handover  *handover.Service
	Access    *access.Service    // who may use the console, over which stores; the audit log
	Directory *directory.Service // stores, guides and their customers by name
	Tasks     *tasks.Service     // 导购任务; nil leaves /api/admin/tasks out
	Catalog   *catalog.Service   // products and orders: import and export (corp admins only)
	AutoTags  *autotag.Service   // auto-tag rules (corp admins only); nil leaves /api/admin/autotags out
	KPI       *kpi.Service       // the guides' performance (导购三率); nil leaves /api/admin/kpi out
	Sessions  SessionVerifier
	Log       *slog.Logger
}

// AdminHandler serves /api/admin: the console's API (handover cases 离职继承 and 在职转接, the member and
// customer pickers, tasks 导购任务, the catalogue's imports and export, the audit log, exports). Every
// route needs a WeCom OAuth session of a corp admin (sidebar.admins) or a store manager
// (console.store_managers, or WeCom department leadership); the request then carries the admin's
// scope (service.Scope) and every answer is limited to it.
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
	// An admin's handover work shares handover's lane of WeCom's budget: before enrichment, after the
	// guides' taps.
	g := r.Group("/api/admin", inLane(service.LaneHandover), requireAdmin(h.d.Sessions, h.d.Access, h.d.Log))
	g.GET("/me", h.me)
	g.GET("/stores", h.stores)
	g.GET("/guides", h.guides)
	g.GET("/guides/:userid/customers", h.customers)
	g.GET("/handover/cases", h.listCases)
	g.GET("/handover/cases/export", h.exportCases)
	g.POST("/handover/cases", h.openCase)
	g.POST("/handover/reconcile", h.reconcile)
	g.GET("/handover/departed", h.departed)
	g.GET("/handover/departed/export", h.exportDeparted)
	g.GET("/handover/cases/:id", h.viewCase)
	g.GET("/handover/cases/:id/items", h.listItems)
	g.GET("/handover/cases/:id/items/export", h.exportItems)
	g.GET("/handover/cases/:id/plan", h.preview)
	g.PUT("/handover/cases/:id/plan", h.setPlan)
	g.PATCH("/handover/cases/:id/items", h.editItems)
	g.POST("/handover/cases/:id/execute", h.execute)
	g.POST("/handover/cases/:id/cancel", h.cancel)
	g.GET("/audit", h.audit)
	g.GET("/audit/export", h.exportAudit)
	if h.d.Tasks != nil {
		h.mountTasks(g)
	}
	if h.d.KPI != nil {
		h.mountKPI(g)
	}
	if h.d.AutoTags != nil {
		h.mountAutoTags(g.Group("", corpAdminOnly(h.d.Log)))
	}
	if h.d.Catalog != nil { // the catalogue is the corp's: corp admins only
		g.POST("/products/import", corpAdminOnly(h.d.Log), h.importProducts)
		g.GET("/products/export", corpAdminOnly(h.d.Log), h.exportProducts)
		g.POST("/orders/import", corpAdminOnly(h.d.Log), h.importOrders)
		h.mountCatalogLists(g)
	}
}

// corpAdminOnly refuses a store manager (403): the route acts on the whole corp.
func corpAdminOnly(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !service.ScopeOf(c.Request.Context()).All {
			fail(c, log, fmt.Errorf("a corp admin's action: %w", service.ErrForbidden))
			return
		}
		c.Next()
	}
}

// requireAdmin answers 401 without a valid session and 403 for a member who is neither a corp admin
// nor a store manager (access decides); it puts the admin's scope on the request's context. Writes must
// be JSON, which cross-site forms cannot send without a preflight, or a file upload (multipart) that
// the browser says comes from this site (Sec-Fetch-Site), since a cross-site form can post multipart.
// The session cookie is SameSite=Lax besides.
func requireAdmin(sessions SessionVerifier, acc *access.Service, log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		tok, _ := c.Cookie(SessionCookie)
		sess, err := sessions.Verify(tok)
		if err != nil {
			fail(c, log, err)
			return
		}
		scope, err := acc.Resolve(c.Request.Context(), sess.UserID, sess.Name)
		if err != nil {
			fail(c, log, err)
			return
		}
		if c.Request.Method != http.MethodGet && c.Request.ContentLength != 0 && !strings.HasPrefix(c.ContentType(), "application/json") {
			if c.ContentType() != "multipart/form-data" {
				fail(c, log, service.Invalid("content-type", "must be application/json (multipart/form-data for imports)"))
				return
			}
			if site := c.GetHeader("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
				fail(c, log, fmt.Errorf("cross-site upload (Sec-Fetch-Site: %s): %w", site, service.ErrForbidden))
				return
			}
		}
		c.Request = c.Request.WithContext(service.WithScope(c.Request.Context(), scope))
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

// queryLimit parses the optional limit query parameter: 1 to max, def when absent.
func queryLimit(c *gin.Context, def, max int) (int, error) {
	n, err := queryInt(c, "limit")
	if err != nil || n == 0 && c.Query("limit") == "" {
		return def, err
	}
	if n < 1 || n > int64(max) {
		return 0, service.Invalid("limit", "must be 1 to "+strconv.Itoa(max))
	}
	return int(n), nil
}

// queryText reads an optional free-text query parameter of at most max characters.
func queryText(c *gin.Context, key string, max int) (string, error) {
	v := strings.TrimSpace(c.Query(key))
	if len([]rune(v)) > max {
		return "", service.Invalid(key, "at most "+strconv.Itoa(max)+" characters")
	}
	return v, nil
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
