package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// guideTasks answers GET /api/sidebar/tasks: the signed-in guide's tasks (导购任务), what to send,
// to how many customers, by when, and whether they have sent it.
func (h *SidebarHandler) guideTasks(c *gin.Context) {
	ts, err := h.d.Tasks.GuideTasks(c.Request.Context(), session(c).UserID)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]guideTaskDTO, len(ts))
	for i, t := range ts {
		out[i] = toGuideTaskDTO(t)
	}
	c.JSON(http.StatusOK, gin.H{"tasks": out})
}
