// Package handler is guidebox's HTTP edge: gin routes for the WeCom callback, health and
// metrics, the sidebar and the admin API. Handlers are thin: bind, call one service method, map.
package handler

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
)

// errorBody is every error response: {"code":"not_found","message":"…"}.
type errorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// status maps an error to its HTTP status and code; the one table for every route.
func status(err error) (int, string) {
	var ve *service.ValidationError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &ve):
		return http.StatusBadRequest, "invalid"
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, "too_large"
	case errors.Is(err, service.ErrNotFound):
		return http.StatusNotFound, "not_found"
	case errors.Is(err, service.ErrConflict):
		return http.StatusConflict, "conflict"
	case errors.Is(err, service.ErrUnauthenticated):
		return http.StatusUnauthorized, "unauthenticated"
	case errors.Is(err, service.ErrForbidden):
		return http.StatusForbidden, "forbidden"
	case errors.Is(err, service.ErrRateLimited):
		return http.StatusServiceUnavailable, "rate_limited" // WeCom's limits: the same request works later
	case errors.Is(err, service.ErrUpstream):
		return http.StatusBadGateway, "upstream"
	case errors.Is(err, service.ErrUnavailable):
		return http.StatusServiceUnavailable, "unavailable"
	}
	return http.StatusInternalServerError, "internal"
}

// fail writes err as JSON and logs it once: Error for 5xx, Info for 4xx. 5xx bodies are generic, but
// for a service.Explained error, whose sentence for the guide the body carries with the code "refused".
func fail(c *gin.Context, log *slog.Logger, err error) {
	code, name := status(err)
	msg := err.Error()
	var ve *service.ValidationError
	if errors.As(err, &ve) {
		msg = ve.Error()
	}
	var ex *service.Explained
	explained := errors.As(err, &ex)
	if code >= 500 {
		log.ErrorContext(c.Request.Context(), "request failed", "route", c.FullPath(), "status", code, "err", err)
		msg = http.StatusText(code)
	} else {
		log.InfoContext(c.Request.Context(), "request refused", "route", c.FullPath(), "status", code, "err", err)
	}
	if explained { // our own sentence for the person who asked (chosen by WeCom's errcode, never its errmsg)
		name, msg = "refused", ex.Message
	}
	c.AbortWithStatusJSON(code, errorBody{Code: name, Message: msg})
}
