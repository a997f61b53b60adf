package handler

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/tasks"
)

type previewTaskRequest struct {
	Target targetDTO `json:"target"`
}

type storeReachDTO struct {
	StoreID   int64 `json:"store_id"`
	Customers int   `json:"customers"`
	Guides    int   `json:"guides"`
}

// previewTask answers POST /api/admin/tasks/preview {target}: how many guides and customers a task
// with this target would reach, per store (the admin's stores only); nothing is created or sent.
// capped says the counts are a lower bound (a corp-wide target is not counted to the end).
func (h *AdminHandler) previewTask(c *gin.Context) {
	var req previewTaskRequest
	if err := bind(c, &req); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	r, err := h.d.Tasks.Preview(c.Request.Context(), tasks.Target(req.Target), adminScope(c))
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	stores := make([]storeReachDTO, len(r.Stores))
	for i, s := range r.Stores {
		stores[i] = storeReachDTO(s)
	}
	c.JSON(http.StatusOK, gin.H{"customers": r.Customers, "guides": r.Guides, "stores": stores, "capped": r.Capped})
}
