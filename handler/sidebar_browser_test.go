package handler_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler"
)

// probe exposes the scenario and the simulator's WeCom state to the browser tests (test binary only).
type probe struct {
	st *sidebarStack
	wb wbScenario
}

func (p *probe) Mount(r *gin.Engine) {
	r.GET("/test/scenario", func(c *gin.Context) {
		st := p.st
		prev := ""
		for _, u := range st.corp.Users {
			if u.UserID == st.guidePrev {
				prev = u.Name
			}
		}
		c.JSON(http.StatusOK, gin.H{"guide_a": st.guideA, "mine": st.mine, "inherited": st.inherited, "prev_name": prev,
			"lost": st.lost, "other": st.otherCus, "group_a": st.groupA, "new_tag_id": p.newTag(),
			"task_id": st.task.ID, "task_title": st.task.Title,
			"due_today": p.wb.dueToday, "overdue": p.wb.overdue, "reply_id": p.wb.replyID, "reply_text": p.wb.replyText,
			"level_group": p.wb.levelGroup})
	})
	p.mountWorkbenchProbes(r)
	r.GET("/test/sim/follower", func(c *gin.Context) {
		f, ok := p.st.sim.Follower(c.Query("userid"), c.Query("external_userid"))
		if !ok {
			c.JSON(http.StatusNotFound, gin.H{"code": "not_found"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"tag_ids": f.TagIDs, "remark": f.Remark, "description": f.Description})
	})
}

// newTag is a live corp tag that guide A has not put on the customer yet.
func (p *probe) newTag() string {
	f, _ := p.st.sim.Follower(p.st.guideA, p.st.mine)
	have := map[string]bool{}
	for _, id := range f.TagIDs {
		have[id] = true
	}
	for _, g := range p.st.sim.TagGroups() {
		for _, tg := range g.Tags {
			if !tg.Deleted && !have[tg.ID] {
				return tg.ID
			}
		}
	}
	return ""
}

// TestSidebarBrowser drives the built sidebar in headless Chromium (playwright-core, Debian's chromium)
// against the real router on MySQL with the simulator as WeCom, in demo mode.
// It runs only with GUIDEBOX_BROWSER=1: scripts/test-ui.sh (make test-ui) sets it after building the UI.
func TestSidebarBrowser(t *testing.T) {
	if os.Getenv("GUIDEBOX_BROWSER") != "1" {
		t.Skip("browser tests run from scripts/test-ui.sh (GUIDEBOX_BROWSER=1)")
	}
	dist, err := filepath.Abs("../sidebar-ui/dist")
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dist, "index.html"))
	require.NoError(t, err, "build the UI first: make ui-build")
	p := &probe{}
	st := newSidebarStack(t, stackOpts{demo: true, tasks: true, ui: os.DirFS(dist), extra: []handler.Mounter{p}})
	st.seedOrders(t)
	p.st = st
	p.wb = st.seedWorkbench(t)
	st.seedTimeline(t)
	srv := httptest.NewServer(st.router)
	defer srv.Close()
	runBrowserScript(t, "e2e/run.mjs", srv.URL)
}

// runBrowserScript runs one of sidebar-ui's playwright-core scripts against baseURL; screenshots
// go to test-artifacts/.
func runBrowserScript(t *testing.T, script, baseURL string) {
	t.Helper()
	artifacts, err := filepath.Abs("../test-artifacts")
	require.NoError(t, err)
	cmd := exec.Command("node", script, baseURL)
	cmd.Dir = "../sidebar-ui"
	cmd.Env = append(os.Environ(), "GUIDEBOX_ARTIFACTS="+artifacts)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	require.NoError(t, cmd.Run(), "browser tests in %s failed", script)
}
