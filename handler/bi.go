package handler

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/kpi"
)

// BIDeps is what the BI API needs.
type BIDeps struct {
	KPI  *kpi.Service
	Keys []string // api.keys, as for the orders API
	Log  *slog.Logger
}

// BIHandler serves /api/bi: the guides' performance numbers for the retailer's BI, machine to machine,
// by API key ("Authorization: Bearer KEY", api.keys). The answers are the console's (/api/admin/kpi)
// for the whole corp: a key is not a person and has no store scope.
type BIHandler struct {
	d    BIDeps
	keys apiKeys
}

var _ Mounter = (*BIHandler)(nil)

// NewBIHandler builds the BI API; without keys it refuses every request (401).
func NewBIHandler(d BIDeps) *BIHandler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &BIHandler{d: d, keys: newAPIKeys(d.Keys)}
}

// Mount implements Mounter.
func (h *BIHandler) Mount(r *gin.Engine) {
	g := r.Group("/api/bi", h.keys.require(h.d.Log))
	g.GET("/kpi/overview", func(c *gin.Context) { kpiOverview(c, h.d.KPI, h.d.Log) })
	g.GET("/kpi/stores", func(c *gin.Context) { kpiStores(c, h.d.KPI, h.d.Log) })
	g.GET("/kpi/guides", func(c *gin.Context) { kpiGuides(c, h.d.KPI, h.d.Log) })
}
