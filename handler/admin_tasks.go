package handler

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

// mountTasks adds the tasks (导购任务) API under the admin group (sidebar.admins, JSON writes).
func (h *AdminHandler) mountTasks(g *gin.RouterGroup) {
	g.GET("/tasks", h.listTasks)
	g.POST("/tasks", h.createTask)
	g.POST("/tasks/preview", h.previewTask)
	g.GET("/tasks/:id", h.viewTask)
	g.POST("/tasks/:id/cancel", h.cancelTask)
	g.POST("/tasks/:id/remind", h.remindTask)
}

// adminScope is what the signed-in admin may act on: every store for a corp admin, a store manager's
// stores otherwise (service.Scope, set by requireAdmin).
func adminScope(c *gin.Context) tasks.Scope {
	s := service.ScopeOf(c.Request.Context())
	if s.All {
		return tasks.AllStores
	}
	return tasks.Scope{StoreIDs: append([]int64{}, s.Stores...)}
}

// createTask answers POST /api/admin/tasks: 201 with the task; its 群发 start at once.
func (h *AdminHandler) createTask(c *gin.Context) {
	var req createTaskRequest
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	var deadline time.Time
	if req.Deadline != "" {
		var err error
		if deadline, err = time.Parse(time.RFC3339, req.Deadline); err != nil {
			fail(c, h.d.Log, service.Invalid("deadline", "must be RFC 3339, e.g. 2026-11-08T18:00:00+08:00"))
			return
		}
	}
	n := tasks.NewTask{Title: req.Title, Text: req.Text, ProductIDs: req.ProductIDs, MaterialIDs: req.MaterialIDs,
		Target: tasks.Target(req.Target), Deadline: deadline}
	for _, l := range req.Links {
		n.Links = append(n.Links, tasks.Link(l))
	}
	t, err := h.d.Tasks.Create(c.Request.Context(), actor(c), n, adminScope(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	h.d.Tasks.Kick(t.ID)
	c.JSON(http.StatusCreated, toTaskDTO(t))
}

// listTasks answers GET /api/admin/tasks?status=&before=&limit=: newest first with counts.
func (h *AdminHandler) listTasks(c *gin.Context) {
	before, err := queryInt(c, "before")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	limit, err := queryInt(c, "limit")
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	status := c.Query("status")
	if err := oneOf("status", status, tasks.StatusActive, tasks.StatusClosed, tasks.StatusCancelled); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	list, err := h.d.Tasks.List(c.Request.Context(), tasks.TaskFilter{Status: status, BeforeID: before, Limit: int(limit)}, adminScope(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]taskSummaryDTO, len(list))
	for i, s := range list {
		out[i] = taskSummaryDTO{Task: toTaskDTO(s.Task), Totals: toTotalsDTO(s.Totals)}
	}
	c.JSON(http.StatusOK, gin.H{"tasks": out})
}

// viewTask answers GET /api/admin/tasks/:id: the task with completion per store and guide, by name.
func (h *AdminHandler) viewTask(c *gin.Context) {
	id, err := caseID(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	v, err := h.d.Tasks.View(c.Request.Context(), id, adminScope(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toTaskViewDTO(v))
}

// cancelTask answers POST /api/admin/tasks/:id/cancel: unsent 群发 are stopped in WeCom.
func (h *AdminHandler) cancelTask(c *gin.Context) {
	id, err := caseID(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	t, err := h.d.Tasks.Cancel(c.Request.Context(), id, actor(c), adminScope(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, toTaskDTO(t))
}

type remindRequest struct {
	UserIDs []string `json:"userids"`
}

// remindTask answers POST /api/admin/tasks/:id/remind {userids?}: WeCom reminds the named guides,
// or every guide who has not sent, within WeCom's 3 reminders per 群发 a day.
func (h *AdminHandler) remindTask(c *gin.Context) {
	id, err := caseID(c)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	var req remindRequest
	if c.Request.ContentLength != 0 {
		if err := bind(c, &req); err != nil {
			fail(c, h.d.Log, err)
			return
		}
	}
	if len(req.UserIDs) > 1000 {
		fail(c, h.d.Log, service.Invalid("userids", "at most 1000 at once"))
		return
	}
	rep, err := h.d.Tasks.Remind(c.Request.Context(), id, req.UserIDs, actor(c), adminScope(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	skipped := make([]gin.H, len(rep.Skipped))
	for i, s := range rep.Skipped {
		skipped[i] = gin.H{"userid": s.UserID, "reason": s.Reason}
	}
	c.JSON(http.StatusOK, gin.H{"reminded": append([]string{}, rep.Reminded...), "skipped": skipped})
}
