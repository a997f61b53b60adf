package handler_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/service/graph"
)

// TestConsolePages: /admin leads to the console, which routes by path, so every /admin/... answers
// console.html (never cached: it names the hashed assets); the sidebar keeps index.html.
func TestConsolePages(t *testing.T) {
	ui := fstest.MapFS{
		"index.html":        {Data: []byte("sidebar")},
		"console.html":      {Data: []byte("console")},
		"assets/console.js": {Data: []byte("js")},
	}
	log := slog.New(slog.DiscardHandler)
	side := handler.NewSidebarHandler(handler.SidebarDeps{UI: ui, Log: log})
	r := handler.NewRouter(handler.Deps{Log: log, Metrics: handler.NewMetrics(func(context.Context) (graph.InboxStats, error) { return graph.InboxStats{}, nil }),
		Ready: func(context.Context) error { return nil }, Features: []handler.Mounter{side}})
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	w := get("/admin")
	assert.Equal(t, http.StatusFound, w.Code)
	assert.Equal(t, "/admin/", w.Header().Get("Location"))
	for _, p := range []string{"/admin/", "/admin/cases/12", "/admin/resigned?tab=cases"} {
		w = get(p)
		assert.Equal(t, http.StatusOK, w.Code, p)
		assert.Equal(t, "console", w.Body.String(), p)
		assert.Equal(t, "no-cache", w.Header().Get("Cache-Control"), p)
	}
	assert.Equal(t, "sidebar", get("/sidebar/").Body.String())
	assert.Equal(t, "js", get("/sidebar/assets/console.js").Body.String(), "the console's assets are the build's, under /sidebar/assets/")
}
