package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// handoverWorld is a corp in the simulator and the graph: store 2 with the departing guide "gone"
// (120 customers, 2 groups) and three colleagues; the config points the CLI at both.
type handoverWorld struct {
	cfg  Config
	env  *simtest.Env
	app  *app
	exts []string
}

func newHandoverWorld(t *testing.T) *handoverWorld {
	t.Helper()
	env := simtest.New(t)
	cfg, err := LoadConfig("")
	require.NoError(t, err)
	cfg.Database.Driver, cfg.Database.DSN = "mysql", repotest.DSN(t)
	cfg.Sidebar.SessionKey = "test-session-key-0123456789"
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: env.Secret, Token: simtest.Token, AESKey: simtest.AESKey,
		BaseURL: env.URL}
	cfg.Handover.InheritToWeCom = false
	ctx := context.Background()
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	t.Cleanup(a.close)

	w := &handoverWorld{cfg: cfg, env: env, app: a}
	s := env.Sim
	s.AddDepartment(sim.Department{ID: 2, Name: "杭州湖滨店", ParentID: 1})
	for _, id := range []string{"gone", "t1", "t2", "t3"} {
		s.AddUser(sim.User{UserID: id, Name: "导购" + id, Departments: []int{2}, MainDepartment: 2})
	}
	corp := &sim.Corp{}
	for i := range 120 {
		ext := fmt.Sprintf("wmcli%04d", i)
		w.exts = append(w.exts, ext)
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: ext, Name: "顾客" + strconv.Itoa(i), Type: 1})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: "gone", ExternalUserID: ext, CreateTime: env.Clock.Now(), Remark: "老客户", AddWay: 1})
	}
	require.NoError(t, s.Load(corp))
	for i := range 2 {
		_, err := s.CreateGroup("gone", fmt.Sprintf("湖滨店VIP群%d", i), w.exts[i*3:i*3+3])
		require.NoError(t, err)
	}
	gs := a.newGraphService(nil)
	require.NoError(t, gs.SyncDirectory(ctx))
	for _, id := range []string{"gone", "t1", "t2", "t3"} {
		require.NoError(t, gs.SyncGuide(ctx, id))
		_, err := gs.ReconcileGuide(ctx, id, time.Now())
		require.NoError(t, err)
	}
	return w
}

// cli runs `guidebox handover args...` and returns what it printed.
func (w *handoverWorld) cli(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := handoverCmd(context.Background(), w.cfg, args, &out, slog.New(slog.DiscardHandler))
	return out.String(), err
}

func (w *handoverWorld) mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, err := w.cli(t, args...)
	require.NoError(t, err, out)
	return out
}

// TestHandoverCLI drives `guidebox handover list|plan|run|status` against MySQL and the simulator:
// the guide leaves in WeCom, reconciliation files the case, and an admin plans and runs it from the CLI.
func TestHandoverCLI(t *testing.T) {
	w := newHandoverWorld(t)
	ctx := context.Background()
	require.NoError(t, w.env.Sim.ResignUser("gone"))
	svc, err := newHandoverService(w.app, w.cfg.Handover)
	require.NoError(t, err)
	n, err := svc.Reconcile(ctx) // get_unassigned_list: the departure the service did not hear of
	require.NoError(t, err)
	require.Equal(t, 120, n)
	c, err := w.app.graph.GetGuide(ctx, "gone")
	require.NoError(t, err)
	require.Equal(t, int64(2), c.StoreID)
	cases, err := svc.ListCases(ctx, handover.CaseFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, cases, 1)
	id := strconv.FormatInt(cases[0].ID, 10)

	out := w.mustCLI(t, "list")
	assert.Regexp(t, `(?m)^ID\s+KIND\s+GUIDE\s+STATUS\s+STRATEGY\s+OPENED$`, out)
	assert.Regexp(t, `(?m)^`+id+`\s+resigned\s+gone\s+open\s`, out)
	assert.Equal(t, out, w.mustCLI(t, "list", "--status", "open", "--kind", "resigned"))
	assert.NotContains(t, w.mustCLI(t, "list", "--status", "done"), "gone")

	// Preview without a strategy: collected (the graph's customers and WeCom's groups), nothing planned.
	out = w.mustCLI(t, "plan", id)
	assert.Contains(t, out, "case "+id+"  resigned  guide gone  open  strategy \n")
	assert.Regexp(t, `customers\s+pending 120\n`, out)
	assert.Regexp(t, `groups\s+pending 2\n`, out)

	out = w.mustCLI(t, "plan", id, "--strategy", "round_robin")
	assert.Contains(t, out, "open  strategy round_robin")
	for _, taker := range []string{"t1", "t2", "t3"} {
		assert.Regexp(t, `(?m)^\s+`+taker+`\s+导购`+taker+`\s+0\s+40\s+[01]$`, out, "40 customers each, the groups spread")
	}
	assert.Zero(t, len(w.env.Sim.Transfers()), "a plan sends nothing")

	// Bad input: clear errors, nothing changed.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", id, "--strategy", "random"}, "invalid strategy: want one, round_robin or least_loaded"},
		{[]string{"plan", id, "--strategy", "one"}, "invalid takeover_userid: required for strategy one"},
		{[]string{"plan", id, "--strategy", "one", "--takeover", "gone"}, "the taker cannot be the handover guide"},
		{[]string{"plan", id, "--strategy", "one", "--takeover", "nobody"}, "nobody is not an active guide"},
		{[]string{"plan", id, "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"status", "999999"}, "case 999999: not found"},
		{[]string{"plan", "999999"}, "case 999999: not found"},
		{[]string{"run", "999999"}, "case 999999: not found"},
		{[]string{"status", "abc"}, `case id "abc": want a positive integer`},
		{[]string{"status"}, "missing case id"},
		{[]string{"frobnicate"}, `unknown handover command "frobnicate"`},
		{nil, "usage: guidebox handover"},
	} {
		_, err := w.cli(t, tc.args...)
		require.Error(t, err, "%v", tc.args)
		assert.Contains(t, err.Error(), tc.want, "%v", tc.args)
	}
	assert.Contains(t, w.mustCLI(t, "status", id), "open  strategy round_robin", "the bad plans changed nothing")

	// A case another runner holds is not run twice.
	ok, err := handoverdb.New(w.app.db, simtest.CorpID).ClaimCase(ctx, cases[0].ID, "replica-elsewhere", time.Now(), time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	_, err = w.cli(t, "run", id)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "case "+id+" is being run by another runner")
	assert.Zero(t, len(w.env.Sim.Transfers()))
	require.NoError(t, handoverdb.New(w.app.db, simtest.CorpID).ReleaseCase(ctx, cases[0].ID, "replica-elsewhere"))

	// Run: executes the plan, sends (3 calls of 40), moves the groups, and prints a summary line (not a tty).
	out = w.mustCLI(t, "run", id)
	assert.Contains(t, out, "[##############################] 120/120 customers (done 0, waiting 120, refused 0, failed 0)  groups done 2/2\n")
	assert.Contains(t, out, "case "+id+"  resigned  guide gone  waiting  strategy round_robin")
	assert.NotContains(t, out, "\r", "no progress bar redraws outside a terminal")
	assert.Len(t, w.env.Sim.Transfers(), 120)
	_, err = w.cli(t, "plan", id, "--strategy", "least_loaded")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "only open cases can be changed")

	out = w.mustCLI(t, "status", id)
	assert.Regexp(t, `customers\s+waiting 120\n`, out)
	assert.Regexp(t, `groups\s+done 2\n`, out)

	// WeCom takes over 24 h later; run --wait polls until every customer is final.
	w.env.Clock.Advance(24*time.Hour + time.Minute)
	out = w.mustCLI(t, "run", id, "--wait", "--every", "10ms")
	assert.Contains(t, out, "120/120 customers (done 120, waiting 0, refused 0, failed 0)")
	out = w.mustCLI(t, "status", id)
	assert.Contains(t, out, "guide gone  done  strategy round_robin")
	assert.Regexp(t, `customers\s+done 120\n`, out)
	assert.Regexp(t, regexp.QuoteMeta("  TAKER")+`\s+NAME\s+LOAD\s+CUSTOMERS\s+GROUPS`, out)
	owner, err := w.app.graph.GetCustomer(ctx, w.exts[0])
	require.NoError(t, err)
	assert.Contains(t, []string{"t1", "t2", "t3"}, owner.OwnerUserID, "the graph follows the handover")
	assert.Regexp(t, `(?m)^`+id+`\s+resigned\s+gone\s+done\s+round_robin\s`, w.mustCLI(t, "list"))
	audit, err := svc.AuditLog(ctx, cases[0].ID, 10)
	require.NoError(t, err)
	require.NotEmpty(t, audit)
	assert.Regexp(t, `^cli:`, audit[0].Actor, "CLI actions are audited")
}
