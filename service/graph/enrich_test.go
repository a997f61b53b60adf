package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

const (
	apiGet   = "/cgi-bin/externalcontact/get"
	apiBatch = "/cgi-bin/externalcontact/batch/get_by_user"
	apiTags  = "/cgi-bin/externalcontact/get_corp_tag_list"
	apiGroup = "/cgi-bin/externalcontact/groupchat/get"
)

// calls counts what the simulator answered on api since the last ResetCalls.
func (g *graphEnv) calls(api string) int { return g.wc.Sim.Calls()[api].Calls }

// drain runs a worker until the inbox has nothing due.
func (g *graphEnv) drain(w *graph.Worker) int {
	g.t.Helper()
	total := 0
	for {
		n, err := w.RunOnce(context.Background())
		require.NoError(g.t, err)
		if n == 0 {
			return total
		}
		total += n
	}
}

// TestEventsWaitingTogetherShareOneRead: a customer added by three guides a minute apart and edited
// by one, three tag changes and three changes of one group, all waiting in one batch: one
// externalcontact/get for the customer, one get_corp_tag_list and one groupchat/get. Every event keeps
// its own effect: each add registers at its own time, and the edit's remark is there.
func TestEventsWaitingTogetherShareOneRead(t *testing.T) {
	g := newGraphEnv(t)
	g.svc.SetClock(g.wc.Clock.Now)
	for _, id := range []string{"g1", "g2", "g3"} {
		g.guide(id, 1)
	}
	g.apply(g.take()...)
	var added []time.Time
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "周女士"}, "qr-1")
	require.NoError(t, err)
	added = append(added, g.wc.Clock.Now())
	for _, id := range []string{"g2", "g3"} {
		g.wc.Clock.Advance(time.Minute)
		_, _, err = g.wc.Sim.CustomerAddsGuide(id, sim.Customer{ExternalUserID: ext}, "qr-"+id)
		require.NoError(t, err)
		added = append(added, g.wc.Clock.Now())
	}
	require.NoError(t, g.wc.Sim.EditFollow("g2", ext, "周姐", "常买童装", nil))
	grp, err := g.wc.Sim.CreateTagGroup("等级", "金卡")
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.RenameTag(grp.Tags[0].ID, "黑金卡"))
	_, err = g.wc.Sim.CreateTagGroup("偏好", "美妆")
	require.NoError(t, err)
	chat, err := g.wc.Sim.CreateGroup("g1", "周末群", []string{ext})
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.RenameGroup(chat, "周末福利群"))
	require.NoError(t, g.wc.Sim.SetGroupNotice(chat, "周六见"))
	msgs := g.take()
	require.Len(t, msgs, 4+3+3)
	g.accept(msgs...)
	g.wc.Clock.Advance(time.Minute) // the reads start after every event
	g.wc.Sim.ResetCalls()

	assert.Equal(t, len(msgs), g.drain(g.worker("w", time.Minute)))
	assert.Equal(t, 1, g.calls(apiGet), "one read for the customer's four events")
	assert.Equal(t, 0, g.calls(apiBatch), "one customer of each guide: no batch read")
	assert.Equal(t, 1, g.calls(apiTags), "one read for three tag events")
	assert.Equal(t, 1, g.calls(apiGroup), "one read for three events of one group")
	for i, id := range []string{"g1", "g2", "g3"} {
		f := g.follow(id, ext)
		assert.True(t, f.Active)
		assert.Equal(t, added[i].Unix(), f.AddedAt.Unix(), "%s's add at its own time", id)
		assert.Equal(t, []string{"qr-1", "qr-g2", "qr-g3"}[i], f.State)
		assert.False(t, f.DetailsAt.IsZero())
	}
	assert.Equal(t, "周姐", g.follow("g2", ext).Remark)
	gr, err := g.store.GetGroup(context.Background(), chat)
	require.NoError(t, err)
	assert.Equal(t, "周末福利群", gr.Name)
	tags, err := g.store.ListTags(context.Background())
	require.NoError(t, err)
	require.Len(t, tags, 2)
	hist, err := g.store.OwnershipHistory(context.Background(), ext)
	require.NoError(t, err)
	require.Len(t, hist, 1, "one owner decision for the customer")
	assert.Equal(t, "g1", hist[0].ToUserID)
}

// TestEventAnsweredByANewerReadIsNotReadAgain: an add whose edge and customer were read (and applied)
// more than ReadMargin after it needs no read of its own; an edge that read did not apply, or a read
// that started within the margin, is read again.
func TestEventAnsweredByANewerReadIsNotReadAgain(t *testing.T) {
	g := newGraphEnv(t)
	g.svc.SetClock(g.wc.Clock.Now)
	g.guide("g1", 1)
	g.guide("g2", 1)
	g.apply(g.take()...)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "吴先生"}, "qr")
	require.NoError(t, err)
	_, _, err = g.wc.Sim.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: ext}, "")
	require.NoError(t, err)
	adds := g.take()

	g.wc.Clock.Advance(graph.ReadMargin + time.Second)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "吴哥", "", nil))
	g.apply(g.take()...) // the edit overtook the adds: g1's edge read after both adds and their margin
	g.wc.Sim.ResetCalls()
	g.apply(adds[0])
	assert.Zero(t, g.calls(apiGet), "the edit's read answered g1's add")
	f := g.follow("g1", ext)
	assert.Equal(t, "吴哥", f.Remark)
	assert.Equal(t, "qr", f.State)
	g.apply(adds[1])
	assert.Equal(t, 1, g.calls(apiGet), "the edit applied g1's edge only: g2's add is read")

	g.wc.Clock.Advance(time.Minute)
	_, _, err = g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "郑女士"}, "")
	require.NoError(t, err)
	late := g.take()
	g.wc.Clock.Advance(graph.ReadMargin / 2)
	g.apply(late...)
	g.wc.Sim.ResetCalls()
	g.apply(late...)
	assert.Equal(t, 1, g.calls(apiGet), "the first read started within the add's margin: read again")
}

// TestGuidesWithManyCustomersWaitingAreReadInPages: a guide with 30 customers waiting (and 50
// already known) is read with one batch/get_by_user call instead of 30 gets, including the events
// beyond the claimed batch (the worker claims the guide's backlog with it); a customer who removed
// the guide before the read is read alone. A guide with 250 customers and two waiting is read with
// two gets (three pages would cost more).
func TestGuidesWithManyCustomersWaitingAreReadInPages(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.svc.SetClock(g.wc.Clock.Now)
	corp := &sim.Corp{}
	for _, u := range []struct {
		id string
		n  int
	}{{"big", 250}, {"many", 50}, {"one", 0}} {
		corp.Users = append(corp.Users, sim.User{UserID: u.id, Name: u.id, Departments: []int{1}, MainDepartment: 1, Status: 1})
		for i := range u.n {
			ext := fmt.Sprintf("wm%s%04d", u.id, i)
			corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: ext, Name: "老客", Type: 1})
			corp.Follows = append(corp.Follows, sim.Follow{UserID: u.id, ExternalUserID: ext, CreateTime: g.wc.Clock.Now(), AddWay: 1})
		}
	}
	require.NoError(t, g.wc.Sim.Load(corp))
	for _, id := range []string{"big", "many"} {
		_, err := g.svc.ReconcileGuide(ctx, id, g.wc.Clock.Now())
		require.NoError(t, err)
	}
	g.wc.Clock.Advance(time.Minute)
	_, _, err := g.wc.Sim.CustomerAddsGuide("one", sim.Customer{Name: "单客"}, "") // an older event of another guide
	require.NoError(t, err)
	var mine []string
	for i := range 30 {
		ext, _, err := g.wc.Sim.CustomerAddsGuide("many", sim.Customer{Name: fmt.Sprintf("新客%d", i)}, "campaign")
		require.NoError(t, err)
		mine = append(mine, ext)
	}
	require.NoError(t, g.wc.Sim.CustomerDeletesGuide("many", mine[29]))
	var bigs []string
	for i := range 2 {
		ext, _, err := g.wc.Sim.CustomerAddsGuide("big", sim.Customer{Name: fmt.Sprintf("大客%d", i)}, "")
		require.NoError(t, err)
		bigs = append(bigs, ext)
	}
	g.accept(g.take()...)
	g.wc.Clock.Advance(time.Minute)
	g.wc.Sim.ResetCalls()

	w := graph.NewWorker(graph.WorkerConfig{Owner: "w", Batch: 4, Backlog: 100, TxBatch: 8, Concurrency: 4, Lease: time.Minute,
		MaxAttempts: 3, BaseBackoff: time.Millisecond}, g.inbox, g.svc, wecom.ParseEvent, nil, slog.New(slog.DiscardHandler))
	n, err := w.RunOnce(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4+27, n, "the batch and the rest of many's customers waiting (its removal needs no read)")
	g.drain(w)
	assert.Equal(t, 1, g.calls(apiBatch), "many's 80 customers fit one page")
	assert.Equal(t, 1+1+2, g.calls(apiGet), "one's customer, the customer who left, big's two")
	for _, ext := range mine[:29] {
		f := g.follow("many", ext)
		assert.True(t, f.Active)
		assert.Equal(t, "campaign", f.State)
		assert.False(t, f.DetailsAt.IsZero(), "details from the batch read")
		c, err := g.store.GetCustomer(ctx, ext)
		require.NoError(t, err)
		assert.NotEmpty(t, c.Name)
	}
	assert.False(t, g.follow("many", mine[29]).Active)
	for _, ext := range bigs {
		assert.False(t, g.follow("big", ext).DetailsAt.IsZero())
	}
	st, err := g.inbox.Stats(ctx)
	require.NoError(t, err)
	assert.Equal(t, graph.InboxStats{}, st)
}

// TestEnrichmentDrainCountsPlannedCalls: the drain estimate counts the calls the workers will make
// (a guide's 30 customers in one batch read, one get for each of 41 guides with one customer, a
// customer's two events as one) at the enrichment lane's budget, here a small one: 23 calls at once,
// then 0.15 a second.
func TestEnrichmentDrainCountsPlannedCalls(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	for i := range 42 {
		g.guide(fmt.Sprintf("g%02d", i), 1)
	}
	g.take()
	for i := range 42 {
		n := 1
		if i == 0 {
			n = 30
		}
		for range n {
			ext, _, err := g.wc.Sim.CustomerAddsGuide(fmt.Sprintf("g%02d", i), sim.Customer{Name: "客"}, "")
			require.NoError(t, err)
			if i == 1 {
				require.NoError(t, g.wc.Sim.EditFollow("g01", ext, "备注", "", nil))
			}
		}
	}
	g.accept(g.take()...)
	c, err := wecom.NewClient(wecom.Config{CorpID: simtest.CorpID, AgentID: 1000002, Secret: g.wc.Secret, BaseURL: g.wc.URL,
		Quota: wecom.QuotaConfig{PerMinute: 60, PerHour: 600}}, wecom.WithClock(g.wc.Clock.Now))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	svc := graph.NewService(g.store, g.inbox, wecom.NewDirectory(c), repo.NewTxManager(g.db), nil, slog.New(slog.DiscardHandler))
	d, err := svc.EnrichmentDrain(ctx)
	require.NoError(t, err)
	assert.Equal(t, 120*time.Second, d.Round(time.Second), "41 gets: 18 past the 23 at once, at 0.15/s; the batch read at once")
}
