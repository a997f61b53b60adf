package handler

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

// WorkbenchDeps is what the workbench routes need.
type WorkbenchDeps struct {
	Workbench *workbench.Service
	Sessions  SessionVerifier
	Log       *slog.Logger
}

// WorkbenchHandler serves the guide's workbench under /api/sidebar (the sidebar's session): the home,
// follow-up notes, the profile, the reply and material libraries and sends.
type WorkbenchHandler struct{ d WorkbenchDeps }

var _ Mounter = (*WorkbenchHandler)(nil)

// NewWorkbenchHandler builds the workbench routes.
func NewWorkbenchHandler(d WorkbenchDeps) *WorkbenchHandler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &WorkbenchHandler{d: d}
}

// Mount implements Mounter.
func (h *WorkbenchHandler) Mount(r *gin.Engine) {
	api := r.Group("/api/sidebar", requireSession(h.d.Sessions, h.d.Log))
	api.GET("/home", h.home)
	api.GET("/stages", h.stages)
	api.GET("/customers/:external_userid/notes", h.notes)
	api.POST("/customers/:external_userid/notes", h.addNote)
	api.GET("/customers/:external_userid/profile", h.profile)
	api.PUT("/customers/:external_userid/profile", h.setProfile)
	h.mountLibrary(api)
}

// guide is the signed-in guide as the workbench's actor: an admin on the admin routes (which checked
// sidebar.admins), or when the session says so.
func guide(c *gin.Context) workbench.Actor {
	s := session(c)
	return workbench.Actor{UserID: s.UserID, Admin: s.Admin || c.GetString(adminKey) != ""}
}

// home answers GET /api/sidebar/home: the sidebar's entry without a chat.
func (h *WorkbenchHandler) home(c *gin.Context) {
	hm, err := h.d.Workbench.Home(c.Request.Context(), guide(c).UserID)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toHomeDTO(hm))
}

// stages answers GET /api/sidebar/stages: the pipeline, for the note form.
func (h *WorkbenchHandler) stages(c *gin.Context) {
	st, err := h.d.Workbench.Stages(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stages": toStageDTOs(st)})
}

// notes answers GET /api/sidebar/customers/:external_userid/notes?before_id=: 20 notes, newest first.
func (h *WorkbenchHandler) notes(c *gin.Context) {
	before, err := queryInt(c, "before_id")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	a := guide(c)
	ns, err := h.d.Workbench.Notes(c.Request.Context(), a, c.Param("external_userid"), before)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]noteDTO, len(ns))
	for i, n := range ns {
		out[i] = toNoteDTO(n, a.UserID)
	}
	c.JSON(http.StatusOK, gin.H{"notes": out})
}

type addNoteRequest struct {
	Body    string     `json:"body"`
	StageID string     `json:"stage_id"`
	NextAt  *time.Time `json:"next_at"`
}

// addNote answers POST /api/sidebar/customers/:external_userid/notes {body, stage_id?, next_at?}.
func (h *WorkbenchHandler) addNote(c *gin.Context) {
	var req addNoteRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {body, stage_id, next_at (RFC 3339)}"))
		return
	}
	a := guide(c)
	n, err := h.d.Workbench.AddNote(c.Request.Context(), a, c.Param("external_userid"),
		workbench.NoteInput{Body: req.Body, StageID: req.StageID, NextAt: req.NextAt})
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	n.AuthorName = session(c).Name
	c.JSON(http.StatusCreated, toNoteDTO(n, a.UserID))
}

// profile answers GET /api/sidebar/customers/:external_userid/profile: the fields and the values set.
func (h *WorkbenchHandler) profile(c *gin.Context) {
	p, err := h.d.Workbench.Profile(c.Request.Context(), guide(c), c.Param("external_userid"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toProfileDTO(p))
}

type setProfileRequest struct {
	Values map[string]any `json:"values"`
}

// setProfile answers PUT /api/sidebar/customers/:external_userid/profile {values: {field_id: value}};
// null or "" clears a value, a bad one is a 400 naming the field (values.<field_id>).
func (h *WorkbenchHandler) setProfile(c *gin.Context) {
	var req setProfileRequest
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		fail(c, h.d.Log, service.Invalid("body", "must be JSON {values: {field_id: value}}"))
		return
	}
	p, err := h.d.Workbench.SetProfile(c.Request.Context(), guide(c), c.Param("external_userid"), req.Values)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toProfileDTO(p))
}

// pathID parses a positive integer path parameter.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, service.Invalid(name, "must be a positive integer")
	}
	return id, nil
}
