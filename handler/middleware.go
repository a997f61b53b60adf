package handler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestID returns the request id carried on ctx, if any.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// inLane marks the request's WeCom calls with lane l (service.WithLane): the sidebar's are
// interactive, so a guide's tap goes before handover, enrichment and reconciliation.
func inLane(l service.Lane) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request = c.Request.WithContext(service.WithLane(c.Request.Context(), l))
		c.Next()
	}
}

// requestLog sets a request id (X-Request-ID or generated) on the context and response,
// and logs method, route, status and latency of every request.
func requestLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-ID")
		if id == "" || len(id) > 64 {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Header("X-Request-ID", id)
		c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), requestIDKey, id))
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "/wecom/callback" || route == "/metrics" || route == "/healthz" {
			return // hot or noisy paths are counted in metrics instead
		}
		log.InfoContext(c.Request.Context(), "http request", "method", c.Request.Method, "route", route,
			"status", c.Writer.Status(), "latency_ms", time.Since(start).Milliseconds())
	}
}

// recoverJSON turns a panic into a logged, generic 500 instead of a dropped connection.
func recoverJSON(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				log.ErrorContext(c.Request.Context(), "panic", "route", c.FullPath(), "panic", r)
				c.AbortWithStatusJSON(500, errorBody{Code: "internal", Message: "Internal Server Error"})
			}
		}()
		c.Next()
	}
}

// LogHandler wraps a slog.Handler so every record logged with a request's context carries its request_id.
type LogHandler struct{ slog.Handler }

// Handle adds request_id from ctx.
func (h LogHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the wrapper.
func (h LogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return LogHandler{h.Handler.WithAttrs(as)}
}

// WithGroup keeps the wrapper.
func (h LogHandler) WithGroup(name string) slog.Handler { return LogHandler{h.Handler.WithGroup(name)} }
