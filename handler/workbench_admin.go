package handler

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
	"github.com/guidebox/guidebox/service/sidebar"
	"github.com/guidebox/guidebox/service/workbench"
)

// WorkbenchAdminDeps is what the workbench's admin routes need.
type WorkbenchAdminDeps struct {
	Workbench *workbench.Service
	Sidebar   *sidebar.Service // tag group rules
	Sessions  SessionVerifier
	Access    *access.Service // who may use the console; the workbench's settings are corp admins' only
	Log       *slog.Logger
}

// WorkbenchAdminHandler serves the admins' side of the workbench under /api/admin: the pipeline,
// profile fields and the profile search, the corp's replies and materials, channel names and the
// single-choice rule of tag groups. Every route needs a session of a corp admin (sidebar.admins); a
// store manager gets 403.
type WorkbenchAdminHandler struct {
	d  WorkbenchAdminDeps
	wb *WorkbenchHandler // the library routes, shared with the guides' (as corp)
}

var _ Mounter = (*WorkbenchAdminHandler)(nil)

// NewWorkbenchAdminHandler builds the admin routes of the workbench.
func NewWorkbenchAdminHandler(d WorkbenchAdminDeps) *WorkbenchAdminHandler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &WorkbenchAdminHandler{d: d, wb: NewWorkbenchHandler(WorkbenchDeps{Workbench: d.Workbench, Sessions: d.Sessions, Log: d.Log})}
}

// Mount implements Mounter.
func (h *WorkbenchAdminHandler) Mount(r *gin.Engine) {
	g := r.Group("/api/admin", requireAdmin(h.d.Sessions, h.d.Access, h.d.Log), corpAdminOnly(h.d.Log))
	w := g.Group("/workbench")
	w.GET("/stages", h.wb.stages)
	w.PUT("/stages", h.setStages)
	w.GET("/fields", h.fields)
	w.POST("/fields", h.saveField)
	w.PUT("/fields/:field_id", h.saveField)
	w.GET("/profiles", h.searchProfiles)
	w.GET("/library/:library", h.corpLibrary)
	w.POST("/library/groups", h.wb.saveGroup(true))
	w.PUT("/library/groups/:id", h.wb.saveGroup(true))
	w.DELETE("/library/groups/:id", h.wb.deleteGroup(true))
	w.POST("/library/items", h.wb.saveItem(true))
	w.PUT("/library/items/:id", h.wb.saveItem(true))
	w.DELETE("/library/items/:id", h.wb.deleteItem(true))
	w.PUT("/library/items/:id/image", h.wb.putImage(true))
	w.GET("/channels", h.channels)
	w.PUT("/channels", h.setChannel)
	w.DELETE("/channels", h.deleteChannel)
	g.GET("/tag-groups", h.tagGroups)
	g.PUT("/tag-groups/:group_id", h.setTagGroup)
}

type stagesRequest struct {
	Stages []stageDTO `json:"stages"`
}

// setStages answers PUT /api/admin/workbench/stages {stages: [{stage_id?, name}]}: the pipeline in order.
func (h *WorkbenchAdminHandler) setStages(c *gin.Context) {
	var req stagesRequest
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	in := make([]workbench.Stage, len(req.Stages))
	for i, s := range req.Stages {
		in[i] = workbench.Stage{StageID: s.StageID, Name: s.Name}
	}
	st, err := h.d.Workbench.SetStages(c.Request.Context(), guide(c), in)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stages": toStageDTOs(st)})
}

// fields answers GET /api/admin/workbench/fields: every profile field, archived ones included.
func (h *WorkbenchAdminHandler) fields(c *gin.Context) {
	fs, err := h.d.Workbench.Fields(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]fieldDTO, len(fs))
	for i, f := range fs {
		out[i] = toFieldDTO(f)
	}
	c.JSON(http.StatusOK, gin.H{"fields": out})
}

// saveField answers POST /api/admin/workbench/fields (define) and PUT …/fields/:field_id (rename,
// options, order, birthday, archived; the type stays).
func (h *WorkbenchAdminHandler) saveField(c *gin.Context) {
	var req fieldDTO
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	f := workbench.Field{FieldID: req.FieldID, Name: req.Name, Type: req.Type, Options: req.Options, Order: req.Order,
		Birthday: req.Birthday, Archived: req.Archived}
	var err error
	status := http.StatusCreated
	if c.Request.Method == http.MethodPut {
		f.FieldID, status = c.Param("field_id"), http.StatusOK
		f, err = h.d.Workbench.UpdateField(c.Request.Context(), guide(c), f)
	} else {
		f, err = h.d.Workbench.CreateField(c.Request.Context(), guide(c), f)
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(status, toFieldDTO(f))
}

type profileHitDTO struct {
	ExternalUserID string    `json:"external_userid"`
	Name           string    `json:"name"`
	Owner          *guideDTO `json:"owner"`
	Value          any       `json:"value"`
}

// searchProfiles answers GET /api/admin/workbench/profiles?field_id=&q=&min=&max=&after=: customers
// by one field (text prefix, choice, a multiple choice's item, or a range of numbers or dates).
func (h *WorkbenchAdminHandler) searchProfiles(c *gin.Context) {
	q := workbench.ProfileQuery{FieldID: c.Query("field_id"), Text: c.Query("q"), Min: c.Query("min"), Max: c.Query("max"), After: c.Query("after")}
	hits, err := h.d.Workbench.SearchProfiles(c.Request.Context(), guide(c), q)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]profileHitDTO, len(hits))
	for i, hit := range hits {
		out[i] = profileHitDTO{ExternalUserID: hit.ExternalUserID, Name: hit.Name, Value: hit.Value.Text}
		if hit.Value.Num != nil && hit.Value.MonthDay == nil {
			out[i].Value = *hit.Value.Num
		} else if hit.Value.Items != nil {
			out[i].Value = hit.Value.Items
		}
		if hit.OwnerUserID != "" {
			out[i].Owner = &guideDTO{UserID: hit.OwnerUserID, Name: hit.OwnerName}
		}
	}
	c.JSON(http.StatusOK, gin.H{"customers": out})
}

// corpLibrary answers GET /api/admin/workbench/library/:library: the corp's groups and items.
func (h *WorkbenchAdminHandler) corpLibrary(c *gin.Context) {
	a := guide(c)
	gs, err := h.d.Workbench.CorpLibrary(c.Request.Context(), a, c.Param("library"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"groups": toLibraryDTO(gs, a.UserID)})
}

type channelDTO struct {
	State string `json:"state"`
	Name  string `json:"name"`
}

// channels answers GET /api/admin/workbench/channels: the named state codes.
func (h *WorkbenchAdminHandler) channels(c *gin.Context) {
	cs, err := h.d.Workbench.Channels(c.Request.Context(), guide(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]channelDTO, len(cs))
	for i, ch := range cs {
		out[i] = channelDTO{State: ch.State, Name: ch.Name}
	}
	c.JSON(http.StatusOK, gin.H{"channels": out})
}

// setChannel answers PUT /api/admin/workbench/channels {state, name}.
func (h *WorkbenchAdminHandler) setChannel(c *gin.Context) {
	var req channelDTO
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	ch, err := h.d.Workbench.SetChannel(c.Request.Context(), guide(c), workbench.Channel{State: req.State, Name: req.Name})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, channelDTO{State: ch.State, Name: ch.Name})
}

// deleteChannel answers DELETE /api/admin/workbench/channels?state=.
func (h *WorkbenchAdminHandler) deleteChannel(c *gin.Context) {
	if err := h.d.Workbench.DeleteChannel(c.Request.Context(), guide(c), c.Query("state")); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// tagGroups answers GET /api/admin/tag-groups: the corp's tag groups with their single-choice rule.
func (h *WorkbenchAdminHandler) tagGroups(c *gin.Context) {
	gs, err := h.d.Sidebar.CorpTags(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"groups": toCorpTagGroups(gs)})
}

type tagGroupRequest struct {
	SingleChoice *bool `json:"single_choice"`
}

// setTagGroup answers PUT /api/admin/tag-groups/:group_id {single_choice}.
func (h *WorkbenchAdminHandler) setTagGroup(c *gin.Context) {
	var req tagGroupRequest
	if err := bind(c, &req); err != nil || req.SingleChoice == nil {
		fail(c, h.d.Log, service.Invalid("single_choice", "must be true or false"))
		return
	}
	if err := h.d.Sidebar.SetSingleChoice(c.Request.Context(), c.Param("group_id"), *req.SingleChoice); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"group_id": c.Param("group_id"), "single_choice": *req.SingleChoice})
}
