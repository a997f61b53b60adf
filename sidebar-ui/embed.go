// Package sidebarui embeds the built guide sidebar and admin console (sidebar-ui/dist: index.html,
// console.html and their assets) into the guidebox binary.
// `make ui-build` fills dist; on a fresh clone it holds only .gitkeep and the pages answer 404.
package sidebarui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built UI rooted at dist/ (index.html, console.html, assets/…).
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil { // cannot happen: dist is embedded
		return dist
	}
	return sub
}
