package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// mountDemo adds the demo bridge (demo mode only, never in production config): a picker page where one
// chooses a guide and a customer or group of the demo corp, and a login that issues the session without OAuth.
func (h *SidebarHandler) mountDemo(r *gin.Engine) {
	r.GET("/demo", func(c *gin.Context) { c.Redirect(http.StatusFound, "/sidebar/#/demo") })
	r.GET("/demo/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/sidebar/#/demo") })
	r.GET("/demo/api/directory", h.demoDirectory)
	r.POST("/demo/api/login", h.demoLogin)
}

type demoContactDTO struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Owner string `json:"owner"`
	Lost  bool   `json:"lost"`
}

type demoGuideDTO struct {
	guideDTO
	Admin     bool             `json:"admin"`             // in sidebar.admins: may open the admin console over every store
	Manager   bool             `json:"manager,omitempty"` // a store manager: may open the console over their stores
	Customers []demoContactDTO `json:"customers"`
	Groups    []demoContactDTO `json:"groups"`
}

func (h *SidebarHandler) demoDirectory(c *gin.Context) {
	gs, err := h.d.Sidebar.DemoDirectory(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]demoGuideDTO, 0, len(gs))
	conv := func(cs []sidebar.DemoContact) []demoContactDTO {
		r := make([]demoContactDTO, 0, len(cs))
		for _, x := range cs {
			r = append(r, demoContactDTO{ID: x.ID, Name: x.Name, Owner: x.Owner, Lost: x.Lost})
		}
		return r
	}
	for _, g := range gs {
		role := h.d.Sessions.ConsoleRole(c.Request.Context(), g.Guide.UserID)
		out = append(out, demoGuideDTO{guideDTO: toGuideDTO(g.Guide), Admin: role == service.RoleAdmin, Manager: role == service.RoleStoreManager,
			Customers: conv(g.Customers), Groups: conv(g.Groups)})
	}
	c.JSON(http.StatusOK, gin.H{"demo": true, "guides": out})
}

type demoLoginRequest struct {
	UserID string `json:"userid"`
}

func (h *SidebarHandler) demoLogin(c *gin.Context) {
	var req demoLoginRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {userid}"))
		return
	}
	tok, sess, err := h.d.Sessions.DemoLogin(c.Request.Context(), req.UserID)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.setSession(c, tok, int(h.d.Sessions.TTL().Seconds()))
	c.JSON(http.StatusOK, meResponse{UserID: sess.UserID, Name: sess.Name, Admin: sess.Admin, Demo: true})
}
