package handler

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Mounter adds a feature's routes (sidebar, admin, demo) to the engine.
type Mounter interface {
	Mount(r *gin.Engine)
}

// Deps is everything the router needs; main and the tests build it the same way.
type Deps struct {
	Log      *slog.Logger
	Metrics  *Metrics
	Callback *CallbackHandler
	Ready    func(ctx context.Context) error // database reachable
	Features []Mounter
	// MetricsElsewhere leaves /metrics off this router: serve then answers it on http.metrics_addr
	// (Metrics.Handler), a listener kept off the internet.
	MetricsElsewhere bool
}

// NewRouter builds the gin engine with every route.
func NewRouter(d Deps) *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(recoverJSON(d.Log), requestLog(d.Log))
	r.NoRoute(func(c *gin.Context) {
		c.JSON(http.StatusNotFound, errorBody{Code: "not_found", Message: "no such route"})
	})
	r.NoMethod(func(c *gin.Context) {
		c.JSON(http.StatusMethodNotAllowed, errorBody{Code: "method_not_allowed", Message: "method not allowed"})
	})
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		if err := d.Ready(c.Request.Context()); err != nil {
			d.Log.WarnContext(c.Request.Context(), "not ready", "err", err)
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unreachable"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	})
	if !d.MetricsElsewhere {
		r.GET("/metrics", gin.WrapH(d.Metrics.Handler()))
	}
	if d.Callback != nil {
		r.GET("/wecom/callback", d.Callback.Verify)
		r.POST("/wecom/callback", d.Callback.Receive)
	}
	for _, f := range d.Features {
		f.Mount(r)
	}
	return r
}
