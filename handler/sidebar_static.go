package handler

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// mountUI serves the built sidebar-ui: hashed assets under /sidebar/assets/ (cached for a year)
// and index.html for /sidebar/ (hash routing: every page is the same document); /admin leads to #/admin.
// The site's root leads to the sidebar, or in the offline demo to the demo picker.
func (h *SidebarHandler) mountUI(r *gin.Engine) {
	home := "/sidebar/"
	if h.d.Demo {
		home = "/demo/"
	}
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, home) })
	r.GET("/sidebar", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/sidebar/") })
	// The admin pages are the app's #/admin routes; /admin is the address people type.
	toAdmin := func(c *gin.Context) { c.Redirect(http.StatusFound, "/sidebar/#/admin") }
	r.GET("/admin", toAdmin)
	r.GET("/admin/*filepath", toAdmin)
	r.GET("/sidebar/*filepath", h.serveUI)
}

func (h *SidebarHandler) serveUI(c *gin.Context) {
	p := strings.TrimPrefix(path.Clean(c.Param("filepath")), "/")
	if p == "" || p == "." || p == "index.html" || h.d.UI == nil {
		h.serveIndex(c)
		return
	}
	b, err := fs.ReadFile(h.d.UI, p)
	if err != nil {
		if strings.HasPrefix(p, "assets/") || strings.Contains(path.Base(p), ".") {
			c.JSON(http.StatusNotFound, errorBody{Code: "not_found", Message: "no such file"})
			return
		}
		h.serveIndex(c)
		return
	}
	if strings.HasPrefix(p, "assets/") {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	}
	c.Data(http.StatusOK, contentType(p), b)
}

func (h *SidebarHandler) serveIndex(c *gin.Context) {
	if h.d.UI == nil {
		c.JSON(http.StatusNotFound, errorBody{Code: "not_found", Message: "the sidebar UI is not built (make ui-build)"})
		return
	}
	b, err := fs.ReadFile(h.d.UI, "index.html")
	if err != nil {
		c.JSON(http.StatusNotFound, errorBody{Code: "not_found", Message: "the sidebar UI is not built (make ui-build)"})
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".woff2":
		return "font/woff2"
	case ".json":
		return "application/json"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}
