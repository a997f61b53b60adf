package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// startServe runs the real serve wiring on MySQL with the simulator as WeCom and returns the app.
// The simulator pushes signed, encrypted callbacks to it over HTTP.
func startServe(t *testing.T) (*app, *simtest.Env) {
	t.Helper()
	return startServeOn(t, "mysql")
}

// startServeOn is startServe on MySQL or on the embedded SQLite default.
func startServeOn(t *testing.T, driver string) (*app, *simtest.Env) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	env := simtest.New(t, simtest.WithCallbackURL("http://"+ln.Addr().String()+"/wecom/callback"))
	cfg, err := LoadConfig("")
	require.NoError(t, err)
	cfg.HTTP.Addr = ln.Addr().String()
	cfg.Database.Driver, cfg.Database.DSN = "mysql", ""
	if driver == "mysql" {
		cfg.Database.DSN = repotest.DSN(t)
	} else {
		cfg.Database.Driver, cfg.Database.DSN = "sqlite", filepath.Join(t.TempDir(), "guidebox.db")
	}
	cfg.Sidebar.SessionKey = "test-session-key-0123456789"
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: env.Secret, Token: simtest.Token, AESKey: simtest.AESKey,
		BaseURL: env.URL, CallbackMaxSkew: 0}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	srv, stop, err := a.buildServer(ctx)
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Shutdown(context.Background())
		stop()
		cancel()
		a.close()
	})
	return a, env
}

func waitApplied(t *testing.T, a *app) {
	t.Helper()
	require.Eventually(t, func() bool {
		st, err := a.inbox.Stats(context.Background())
		return err == nil && st.Pending == 0
	}, 30*time.Second, 20*time.Millisecond)
}

// TestEndToEndCallbacksBuildTheGraph: the simulator plays a store's day and pushes every callback
// to a running serve; the graph ends as WeCom's state says.
func TestEndToEndCallbacksBuildTheGraph(t *testing.T) {
	for _, driver := range []string{"mysql", "sqlite"} {
		t.Run(driver, func(t *testing.T) { endToEnd(t, driver) })
	}
}

func endToEnd(t *testing.T, driver string) {
	a, env := startServeOn(t, driver)
	ctx := context.Background()
	s := env.Sim
	s.AddDepartment(sim.Department{ID: 2, Name: "杭州湖滨店", ParentID: 1})
	for _, id := range []string{"g1", "g2"} {
		s.AddUser(sim.User{UserID: id, Name: "导购" + id, Departments: []int{2}, MainDepartment: 2})
	}
	grp, err := s.CreateTagGroup("偏好品类", "美妆", "服饰")
	require.NoError(t, err)
	var exts []string
	for i := range 30 {
		ext, _, err := s.CustomerAddsGuide("g1", sim.Customer{Name: "顾客", Type: 1}, "qr-hubin")
		require.NoError(t, err)
		exts = append(exts, ext)
		if i%3 == 0 {
			require.NoError(t, s.EditFollow("g1", ext, "常客", "", []string{grp.Tags[0].ID}))
		}
	}
	env.Clock.Advance(time.Minute)
	_, _, err = s.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: exts[0]}, "")
	require.NoError(t, err)
	require.NoError(t, s.CustomerDeletesGuide("g1", exts[0]))
	require.NoError(t, s.GuideDeletesCustomer("g1", exts[1]))
	chat, err := s.CreateGroup("g1", "湖滨店VIP群", []string{exts[2], exts[3]})
	require.NoError(t, err)
	require.NoError(t, s.JoinGroup(chat, []string{exts[4]}, 3, ""))
	require.NoError(t, s.Flush(ctx))
	waitApplied(t, a) // g2 worked a while before leaving: WeCom no longer describes a departed member
	require.NoError(t, s.ResignUser("g2"))
	require.NoError(t, s.Flush(ctx))
	for _, d := range s.Delivered() {
		require.Equal(t, 200, d.Status, "every callback acknowledged")
	}
	waitApplied(t, a)

	st, err := a.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.Parked)
	c0, err := a.graph.GetCustomer(ctx, exts[0])
	require.NoError(t, err)
	assert.Equal(t, "g2", c0.OwnerUserID, "g1 was deleted by the customer; g2 follows")
	f, err := a.graph.GetFollow(ctx, "g1", exts[1], false)
	require.NoError(t, err)
	assert.False(t, f.Active)
	assert.Equal(t, service.RemovedByGuide, f.RemovedBy)
	f, err = a.graph.GetFollow(ctx, "g1", exts[3], false)
	require.NoError(t, err)
	assert.Equal(t, "常客", f.Remark)
	assert.Equal(t, "qr-hubin", f.State)
	g, err := a.graph.GetGroup(ctx, chat)
	require.NoError(t, err)
	assert.Equal(t, "湖滨店VIP群", g.Name)
	assert.Len(t, g.Members, 4, "owner and three customers")
	gd, err := a.graph.GetGuide(ctx, "g2")
	require.NoError(t, err)
	assert.Equal(t, service.GuideResigned, gd.Status)
	assert.Equal(t, "导购g2", gd.Name, "a departed guide keeps name and store for the handover")
	assert.Equal(t, int64(2), gd.StoreID)
	fs, err := a.graph.Followers(ctx, exts[9])
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, []string{grp.Tags[0].ID}, fs[0].TagIDs)
}
