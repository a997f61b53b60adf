package service_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/guidebox/guidebox"

// pkg is what `go list -deps -json` says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
	Module     *struct{ Path string }
}

// listPackages runs `go list -json` over the module's non-test packages, with their direct imports
// and every package they depend on.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps,Module", module+"/...")
	cmd.Dir = ".."
	out, err := cmd.Output()
	require.NoError(t, err, "go list")
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs = append(pkgs, p)
	}
	require.NotEmpty(t, pkgs)
	return pkgs
}

func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

// under reports whether path is dir or inside it (module-relative dirs).
func under(path, dir string) bool {
	r := rel(path)
	return r == dir || strings.HasPrefix(r, dir+"/")
}

// TestImportRules keeps the layering of docs/architecture.md true: the domain under service/ depends
// on no framework and no adapter, a domain reaches a sibling only through a port it declares itself
// (wired in cmd/guidebox), and the simulator stays out of the production packages.
func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	forbiddenForService := []string{
		module + "/handler", module + "/repo", module + "/wecom", module + "/cmd",
		"gorm.io/", "github.com/gin-gonic/", "github.com/spf13/viper", "github.com/ArtisanCloud/",
		"github.com/go-sql-driver/", "github.com/redis/", "github.com/xuri/excelize", module + "/handler/sheet",
	}
	seen := 0
	for _, p := range pkgs {
		if !under(p.ImportPath, "service") {
			continue
		}
		seen++
		for _, d := range p.Deps {
			for _, f := range forbiddenForService {
				assert.False(t, strings.HasPrefix(d, f), "%s depends on %s: service/ imports no framework, handler, repo or wecom", rel(p.ImportPath), d)
			}
		}
		domain := domainOf(p.ImportPath)
		for _, imp := range p.Imports {
			if !under(imp, "service") || rel(imp) == "service" {
				continue
			}
			assert.Equal(t, domain, domainOf(imp), "%s imports %s: a domain reaches a sibling only through a port it declares, wired in cmd/guidebox",
				rel(p.ImportPath), rel(imp))
		}
	}
	assert.GreaterOrEqual(t, seen, 5, "service and its domains are listed")

	for _, p := range pkgs {
		for _, imp := range p.Imports {
			if !under(imp, "wecom/sim") {
				continue
			}
			ok := rel(p.ImportPath) == "cmd/guidebox" || under(p.ImportPath, "wecom/sim") || rel(p.ImportPath) == "wecom/simtest"
			assert.True(t, ok, "%s imports the simulator: only cmd/guidebox (offline demo, guidebox sim) and tests may", rel(p.ImportPath))
		}
		switch {
		case under(p.ImportPath, "handler/sheet"): // file formats only: no domain, no adapter
			assertNoImport(t, p, "service", "handler", "repo", "wecom", "cmd")
		case under(p.ImportPath, "repo"):
			assertNoImport(t, p, "handler", "wecom", "cmd")
		case under(p.ImportPath, "wecom"):
			assertNoImport(t, p, "handler", "repo", "cmd")
		case under(p.ImportPath, "handler"):
			assertNoImport(t, p, "repo", "cmd")
		}
	}
}

// domainOf names the domain of a package under service/: "graph" for service/graph/..., "" for the root.
func domainOf(path string) string {
	r := strings.TrimPrefix(rel(path), "service")
	r = strings.TrimPrefix(r, "/")
	return strings.SplitN(r, "/", 2)[0]
}

// assertNoImport fails if p imports (directly) anything under the given module-relative dirs.
func assertNoImport(t *testing.T, p pkg, dirs ...string) {
	t.Helper()
	for _, imp := range p.Imports {
		for _, d := range dirs {
			assert.False(t, under(imp, d), "%s imports %s", rel(p.ImportPath), rel(imp))
		}
	}
}
