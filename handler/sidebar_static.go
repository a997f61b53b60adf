package handler

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"
)

// mountUI serves the built sidebar-ui: hashed assets under /sidebar/assets/ (cached for a year),
// index.html for /sidebar/ (hash routing: every page is the same document) and the admin console's
// console.html for /admin/ and every path below it.
// The site's root leads to the sidebar, or in the offline demo to the demo picker.
func (h *SidebarHandler) mountUI(r *gin.Engine) {
	home := "/sidebar/"
	if h.d.Demo {
		home = "/demo/"
	}
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, home) })
	r.GET("/sidebar", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/sidebar/") })
	// The admin console is a second page of the same build (console.html, its assets under
	// /sidebar/assets/ with the sidebar's); it routes by path under /admin/, so every /admin/... is it.
	r.GET("/admin", func(c *gin.Context) { c.Redirect(http.StatusFound, "/admin/") })
	r.GET("/admin/*filepath", func(c *gin.Context) { h.servePage(c, "console.html") })
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

func (h *SidebarHandler) serveIndex(c *gin.Context) { h.servePage(c, "index.html") }

// servePage answers one of the build's HTML pages, never cached (it names the hashed assets).
func (h *SidebarHandler) servePage(c *gin.Context, page string) {
	if h.d.UI == nil {
		c.JSON(http.StatusNotFound, errorBody{Code: "not_found", Message: "the sidebar UI is not built (make ui-build)"})
		return
	}
	b, err := fs.ReadFile(h.d.UI, page)
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
