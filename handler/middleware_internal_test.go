package handler

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/service"
)

// TestInLane: a route group's lane reaches the WeCom client through the request's context.
func TestInLane(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	var got service.Lane
	r.GET("/x", inLane(service.LaneInteractive), func(c *gin.Context) { got = service.LaneOf(c.Request.Context()) })
	r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x", nil))
	assert.Equal(t, service.LaneInteractive, got)
}
