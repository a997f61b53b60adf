package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// Setup of BenchmarkCampaign: sizes, the simulator with WeCom's limits, serve, the corp before the
// campaign (in the simulator and already in the graph), the card load's guides signed in.

// campaignSize is one run's shape; GUIDEBOX_CAMPAIGN_* override each field.
type campaignSize struct {
	adds     int           // add_external_contact callbacks (ADDS, default 100,000)
	guides   int           // guides they spread over, uniformly at random (GUIDES, 4,000)
	existing int           // customers each guide has before the campaign (EXISTING, 50)
	window   time.Duration // the callbacks are pushed evenly over this (WINDOW, 10m)
	cardLoad int           // guides opening cards during the push (CARD_GUIDES, 50)
	cardPace time.Duration // each of them opens a card this often (CARD_PACE, 250ms)
	newShare float64       // share of those cards that are a customer of the campaign (NEW_CARDS, 0.05)
}

func campaignSizes() campaignSize {
	env := func(k string) string { return os.Getenv("GUIDEBOX_CAMPAIGN_" + k) }
	n := func(k string, def int) int {
		if v, err := strconv.Atoi(env(k)); err == nil && v > 0 {
			return v
		}
		return def
	}
	d := func(k string, def time.Duration) time.Duration {
		if v, err := time.ParseDuration(env(k)); err == nil && v > 0 {
			return v
		}
		return def
	}
	sz := campaignSize{adds: n("ADDS", 100000), guides: n("GUIDES", 4000), existing: n("EXISTING", 50),
		window: d("WINDOW", 10*time.Minute), cardLoad: n("CARD_GUIDES", 50), cardPace: d("CARD_PACE", 250*time.Millisecond), newShare: 0.05}
	if v, err := strconv.ParseFloat(env("NEW_CARDS"), 64); err == nil && v >= 0 && v <= 1 {
		sz.newShare = v
	}
	return sz
}

func campaignGuide(i int) string { return fmt.Sprintf("cg%05d", i) }

// campaignSim is the simulator on the wall clock with WeCom's documented call limits (Config.Limits
// left zero): per API per corp 10,000 a minute and 150,000 an hour, per IP 20,000 and 600,000.
func campaignSim(b *testing.B) (*sim.Sim, string) {
	s, err := sim.New(sim.Config{CorpID: simtest.CorpID, Secret: "campaign-secret-" + randomHex(4), Token: simtest.Token,
		AESKey: simtest.AESKey, Seed: 13, MaxDeliveries: 1})
	require.NoError(b, err)
	s.SetPushPaused(true) // the benchmark takes the callbacks and posts them itself, paced
	srv := httptest.NewServer(s.Handler())
	b.Cleanup(srv.Close)
	return s, srv.URL
}

// campaignServe starts serve's wiring (openApp + buildServer: callbacks, workers, sidebar) on a
// throwaway MariaDB database with the WeCom client's budget on (its defaults, a tenth under WeCom's
// limits, in the process: one replica). Reconciliation and the handover sweep are off, so every
// WeCom call counted is the campaign's or the cards'.
func campaignServe(b *testing.B, ctx context.Context, s *sim.Sim, simURL string) (*app, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	cfg, err := LoadConfig("")
	require.NoError(b, err)
	cfg.HTTP.Addr = ln.Addr().String()
	cfg.Database.Driver, cfg.Database.DSN = "mysql", repotest.DSN(b)
	cfg.Sidebar.SessionKey = "campaign-session-key-0123456789"
	cfg.Sidebar.TrustedDomains = []string{"127.0.0.1"}
	cfg.WeCom = WeComConfig{CorpID: simtest.CorpID, AgentID: 1000002, Secret: s.Config().Secret, Token: simtest.Token,
		AESKey: simtest.AESKey, BaseURL: simURL, CallbackMaxSkew: 10 * time.Minute, Quota: cfg.WeCom.Quota}
	cfg.Worker.Reconcile, cfg.Handover.Reconcile = 0, 0
	require.NoError(b, cfg.validate(needAll))
	var logTo io.Writer = io.Discard
	if f := os.Getenv("GUIDEBOX_CAMPAIGN_LOG"); f != "" { // serve's warnings and errors, to see what went wrong
		lf, err := os.Create(f)
		require.NoError(b, err)
		b.Cleanup(func() { _ = lf.Close() })
		logTo = lf
	}
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelWarn})))
	require.NoError(b, err)
	b.Cleanup(a.close)
	srv, stop, err := a.buildServer(ctx)
	require.NoError(b, err)
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Shutdown(context.Background()); stop() })
	return a, "http://" + ln.Addr().String()
}

// seedCampaign gives the simulator and the graph the corp before the campaign: the guides (in 40
// stores) and sz.existing customers of each, their edges read from WeCom already (complete cards).
// It returns each guide's customers.
func seedCampaign(b *testing.B, ctx context.Context, s *sim.Sim, a *app, sz campaignSize) [][]string {
	corp := &sim.Corp{}
	for d := range 40 {
		corp.Departments = append(corp.Departments, sim.Department{ID: 2 + d, Name: fmt.Sprintf("门店%02d", d), ParentID: 1})
	}
	now := time.Now().Add(-30 * 24 * time.Hour)
	mine := make([][]string, sz.guides)
	for g := range sz.guides {
		id, dept := campaignGuide(g), 2+g%40
		corp.Users = append(corp.Users, sim.User{UserID: id, Name: "导购" + id, Departments: []int{dept}, MainDepartment: dept, Status: 1})
		require.NoError(b, a.graph.UpsertGuide(ctx, service.Guide{UserID: id, Name: "导购" + id, StoreID: int64(dept), Status: service.GuideActive, DetailsAt: now}))
		for k := range sz.existing {
			ext := fmt.Sprintf("wmold%05d%04d", g, k)
			corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: ext, Name: "老客" + ext[5:], Type: 1})
			corp.Follows = append(corp.Follows, sim.Follow{UserID: id, ExternalUserID: ext, CreateTime: now, AddWay: 1, State: "store"})
			mine[g] = append(mine[g], ext)
		}
	}
	require.NoError(b, s.Load(corp))
	for from := 0; from < len(corp.Follows); from += 1000 {
		part := corp.Follows[from:min(len(corp.Follows), from+1000)]
		require.NoError(b, a.tx.InTx(ctx, func(ctx context.Context) error { return seedEdges(ctx, a, part, now) }))
	}
	return mine
}

// seedEdges writes customers with a profile and an owner, and their edges with details, as a
// reconciliation would have left them.
func seedEdges(ctx context.Context, a *app, fs []sim.Follow, at time.Time) error {
	custs := make([]service.Customer, len(fs))
	writes := make([]graph.EdgeWrite, len(fs))
	for i, f := range fs {
		custs[i] = service.Customer{ExternalUserID: f.ExternalUserID, Name: "老客" + f.ExternalUserID[5:], Type: 1, ProfileAt: at,
			OwnerUserID: f.UserID, OwnerReason: service.OwnerAdded}
		d := graph.FollowDetail{UserID: f.UserID, AddWay: f.AddWay, State: f.State, CreatedAt: f.CreateTime}
		writes[i] = graph.EdgeWrite{D: &d, F: service.Follow{UserID: f.UserID, ExternalUserID: f.ExternalUserID, AddWay: f.AddWay,
			State: f.State, AddedAt: f.CreateTime, Active: true, EventAt: f.CreateTime, DetailsAt: at, TagsAt: at}}
	}
	if _, err := a.graph.LockCustomers(ctx, custs); err != nil {
		return err
	}
	if err := a.graph.SaveEdges(ctx, writes); err != nil {
		return err
	}
	return a.graph.SaveCustomers(ctx, custs)
}

// signInGuides signs n guides in through WeCom's OAuth (the simulator's codes), as their sidebars do.
func signInGuides(b *testing.B, base string, s *sim.Sim, n int) []*http.Cookie {
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var out []*http.Cookie
	for g := range n {
		resp, err := noRedirect.Get(base + "/oauth/start?next=/sidebar/")
		require.NoError(b, err)
		resp.Body.Close()
		loc, err := url.Parse(resp.Header.Get("Location"))
		require.NoError(b, err)
		req, err := http.NewRequest(http.MethodGet, base+"/oauth/callback?"+url.Values{"code": {s.IssueOAuthCode(campaignGuide(g))},
			"state": {loc.Query().Get("state")}}.Encode(), nil)
		require.NoError(b, err)
		for _, c := range resp.Cookies() {
			req.AddCookie(c)
		}
		resp, err = noRedirect.Do(req)
		require.NoError(b, err)
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == "gb_session" {
				out = append(out, c)
			}
		}
		require.Len(b, out, g+1, "guide %d signed in", g)
	}
	return out
}

// campaignPlan is who adds whom: add i is customer wmcamp<i> adding a random guide.
func campaignPlan(sz campaignSize) []int {
	rng := rand.New(rand.NewPCG(7, 11))
	out := make([]int, sz.adds)
	for i := range out {
		out[i] = rng.IntN(sz.guides)
	}
	return out
}

func campaignCustomer(i int) string { return fmt.Sprintf("wmcamp%07d", i) }
