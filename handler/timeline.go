package handler

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/timeline"
)

// TimelineDeps is what the timeline route needs.
type TimelineDeps struct {
	Timeline *timeline.Service
	Sessions SessionVerifier
	Log      *slog.Logger
}

// TimelineHandler serves the customer timeline (客户轨迹) under /api/sidebar (the sidebar's session).
type TimelineHandler struct{ d TimelineDeps }

var _ Mounter = (*TimelineHandler)(nil)

// NewTimelineHandler builds the timeline route.
func NewTimelineHandler(d TimelineDeps) *TimelineHandler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &TimelineHandler{d: d}
}

// Mount implements Mounter.
func (h *TimelineHandler) Mount(r *gin.Engine) {
	api := r.Group("/api/sidebar", requireSession(h.d.Sessions, h.d.Log))
	api.GET("/customers/:external_userid/timeline", h.page)
}

type timelineEntryDTO struct {
	ID            int64     `json:"id"`
	At            time.Time `json:"at"`
	Kind          string    `json:"kind"`
	Title         string    `json:"title"`
	Text          string    `json:"text,omitempty"`
	By            string    `json:"by,omitempty"`
	GuideUserID   string    `json:"guide_userid,omitempty"`
	GuideName     string    `json:"guide_name,omitempty"`
	GuideResigned bool      `json:"guide_resigned,omitempty"`
	Mine          bool      `json:"mine"`
}

// page answers GET /api/sidebar/customers/:external_userid/timeline?before=: 20 entries, newest
// first, and the cursor of the next page ("" at the end).
func (h *TimelineHandler) page(c *gin.Context) {
	p, err := h.d.Timeline.Page(c.Request.Context(), session(c).UserID, c.Param("external_userid"), c.Query("before"))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]timelineEntryDTO, len(p.Entries))
	for i, e := range p.Entries {
		out[i] = timelineEntryDTO{ID: e.ID, At: e.At, Kind: e.Kind, Title: e.Title, Text: e.Text, By: e.By, GuideUserID: e.GuideUserID,
			GuideName: e.GuideName, GuideResigned: e.GuideResigned, Mine: e.Mine}
	}
	c.JSON(http.StatusOK, gin.H{"entries": out, "next": p.Next})
}
