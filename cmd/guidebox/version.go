package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Set by `make build` with -ldflags "-X main.version=… -X main.commit=… -X main.date=…" (git describe,
// the commit and the build time). A plain `go build` leaves them empty and versionText falls back to
// the VCS stamp Go embeds, when it embedded one.
var version, commit, date string

// versionText is `guidebox version`: version, commit and build date, saying where each one came from.
func versionText() string {
	v, c, d := version, commit, date
	if v == "" {
		v = "devel (built without make build's -ldflags)"
	}
	if info, ok := debug.ReadBuildInfo(); ok && (c == "" || d == "") {
		vcs := map[string]string{}
		for _, s := range info.Settings {
			vcs[s.Key] = s.Value
		}
		if c == "" && vcs["vcs.revision"] != "" {
			c = vcs["vcs.revision"]
			if vcs["vcs.modified"] == "true" {
				c += " (with uncommitted changes)"
			}
		}
		if d == "" && vcs["vcs.time"] != "" {
			d = vcs["vcs.time"] + " (commit time; build date unknown)"
		}
	}
	if c == "" {
		c = "unknown (no -ldflags and no VCS stamp)"
	}
	if d == "" {
		d = "unknown"
	}
	return fmt.Sprintf("guidebox %s\ncommit  %s\nbuilt   %s\ngo      %s\n", v, c, d, runtime.Version())
}
