package graph_test

import (
	"context"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// history is one WeCom history played on the simulator's clock, with every callback enriched the
// moment WeCom sent it, once for each of several graphs (each its own database): prepared[i] holds
// graph i's events, each carrying WeCom's state as it was at the event's own time.
type history struct {
	g        *graphEnv
	graphs   []*graphEnv
	prepared [][]graph.Prepared
}

func newHistory(g *graphEnv, n int) *history {
	h := &history{g: g, graphs: make([]*graphEnv, n), prepared: make([][]graph.Prepared, n)}
	for i := range h.graphs {
		h.graphs[i] = g.freshDB()
		h.graphs[i].svc.SetClock(g.wc.Clock.Now) // reads are stamped on WeCom's timeline
	}
	return h
}

// step makes one change in WeCom a second after the previous one and enriches the callbacks it
// caused right away, as a worker that claimed them at once would.
func (h *history) step(change func() error) {
	t := h.g.t
	t.Helper()
	h.g.wc.Clock.Advance(time.Second)
	require.NoError(t, change())
	for _, m := range h.g.take() {
		ev, err := wecom.ParseEvent(m.Marshal())
		require.NoError(t, err)
		for i, gr := range h.graphs {
			p, err := gr.svc.Prepare(context.Background(), graph.Lease{}, ev)
			require.NoError(t, err)
			h.prepared[i] = append(h.prepared[i], p)
		}
	}
}

// applyByTwoWorkers applies ps in the given order, in chunks of one to three events per
// transaction, by two workers at once; a chunk that fails (a deadlock) is tried again, as the
// inbox would.
func applyByTwoWorkers(t *testing.T, svc *graph.Service, ps []graph.Prepared, order []int, rng *rand.Rand) {
	t.Helper()
	chunks := make(chan []graph.Prepared)
	errs := make(chan error, 2)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range chunks {
				var err error
				for range 5 {
					if err = svc.ApplyPrepared(context.Background(), chunk); err == nil {
						break
					}
				}
				if err != nil {
					errs <- err
					for range chunks { // drain
					}
					return
				}
			}
		}()
	}
	for i := 0; i < len(order); {
		n := min(1+rng.IntN(3), len(order)-i)
		chunk := make([]graph.Prepared, n)
		for k := range n {
			chunk[k] = ps[order[i+k]]
		}
		chunks <- chunk
		i += n
	}
	close(chunks)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestOutOfOrderDeliveryEndsAsWeCom plays a history of adds and deletes, remark, description and
// tag edits, profile changes, corp tag renames, group renames, notices and member changes, and a
// guide's new name. Every callback is enriched with WeCom's state at its own time; the enriched
// events are then applied in shuffled orders, by two workers at once, each order on its own
// database. Whatever the order, the graph ends equal to WeCom's final state: no attribute keeps an
// older snapshot than the newest one read.
func TestOutOfOrderDeliveryEndsAsWeCom(t *testing.T) {
	g := newGraphEnv(t)
	h := newHistory(g, 5)
	s := g.wc.Sim
	var c1, c2, chat string
	var tags sim.TagGroup
	s.AddDepartment(sim.Department{ID: 2, Name: "南京西路店", ParentID: 1})
	h.step(func() error { g.guide("g1", 1); return nil })
	h.step(func() error { g.guide("g2", 1); return nil })
	h.step(func() (err error) { tags, err = s.CreateTagGroup("等级", "金卡", "银卡", "铜卡"); return err })
	gold, silver, bronze := tags.Tags[0].ID, tags.Tags[1].ID, tags.Tags[2].ID
	h.step(func() (err error) {
		c1, _, err = s.CustomerAddsGuide("g1", sim.Customer{Name: "李女士", UnionID: "u-1", Gender: 2}, "qr-a")
		return err
	})
	h.step(func() error { _, _, err := s.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: c1}, ""); return err })
	h.step(func() (err error) {
		c2, _, err = s.CustomerAddsGuide("g1", sim.Customer{Name: "王先生"}, "")
		return err
	})
	h.step(func() error { return s.EditFollow("g1", c1, "李姐", "喜欢美妆", []string{gold}) })
	h.step(func() error {
		require.NoError(t, s.UpdateCustomer(sim.Customer{ExternalUserID: c1, Name: "李美丽", UnionID: "u-1", Gender: 2, Avatar: "https://img/1.png"}))
		return s.EditFollow("g1", c1, "李姐 VIP", "", []string{gold, silver})
	})
	h.step(func() error { return s.EditFollow("g2", c1, "老客", "常买口红", []string{bronze}) })
	h.step(func() error { return s.CustomerDeletesGuide("g2", c1) })
	h.step(func() error {
		_, _, err := s.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: c1}, "qr-b")
		return err
	})
	h.step(func() error { return s.RenameTag(gold, "金卡会员") })
	h.step(func() error {
		require.NoError(t, s.UpdateCustomer(sim.Customer{ExternalUserID: c2, Name: "王总", CorpName: "王氏贸易", Type: 2}))
		return s.EditFollow("g1", c2, "王总", "大客户", []string{silver})
	})
	h.step(func() (err error) { chat, err = s.CreateGroup("g1", "新品群", []string{c1, "g2"}); return err })
	h.step(func() error { return s.RenameGroup(chat, "新品尝鲜群") })
	h.step(func() error { return s.JoinGroup(chat, []string{c2}, 3, "") })
	h.step(func() error { return s.SetGroupNotice(chat, "周六上新") })
	h.step(func() error { return s.LeaveGroup(chat, []string{"g2"}, true) })
	h.step(func() error { return s.RenameGroup(chat, "会员群") })
	h.step(func() error {
		s.AddUser(sim.User{UserID: "g2", Name: "导购二号", Departments: []int{2}, MainDepartment: 2})
		return nil
	})
	h.step(func() error { return s.EditFollow("g1", c1, "李姐 老客", "换季", []string{bronze}) })
	h.step(func() error { return s.GuideDeletesCustomer("g1", c2) })
	h.step(func() error {
		_, _, err := s.CustomerAddsGuide("g1", sim.Customer{ExternalUserID: c2}, "qr-c")
		return err
	})
	h.step(func() error { return s.RenameTag(silver, "银卡会员") })
	h.step(func() error {
		require.NoError(t, s.UpdateCustomer(sim.Customer{ExternalUserID: c1, Name: "李美丽", UnionID: "u-1", Gender: 2, Avatar: "https://img/2.png"}))
		return s.EditFollow("g2", c1, "二号的客户", "", []string{gold, bronze})
	})
	h.step(func() error { return s.JoinGroup(chat, []string{"g2"}, 1, "g1") })
	h.step(func() error { return s.CustomerDeletesGuide("g1", c2) })

	rng := rand.New(rand.NewPCG(3, 4))
	var first []any
	for i, gr := range h.graphs {
		ps := h.prepared[i]
		order := rng.Perm(len(ps))
		if i == 0 { // newest first: every older snapshot arrives after a newer one
			order = make([]int, len(ps))
			for k := range order {
				order[k] = len(ps) - 1 - k
			}
		}
		applyByTwoWorkers(t, gr.svc, ps, order, rng)
		gr.assertEqualsWeCom([]string{c1, c2}, []string{chat}, []string{"g1", "g2"})
		// and what WeCom does not show ends the same too: registers, tombstones, owners (not the
		// owner's reason, which tells how the graph got there: added, or reassigned to the longest-
		// standing follower after a later follower's add came first)
		var got []any
		for _, ext := range []string{c1, c2} {
			c, err := gr.store.GetCustomer(context.Background(), ext)
			require.NoError(t, err)
			c.OwnerReason = ""
			fs, err := gr.store.Followers(context.Background(), ext)
			require.NoError(t, err)
			got = append(got, c, fs)
		}
		if i == 0 {
			first = got
		}
		assert.Equal(t, first, got, "graph %d (order %v) ends as graph 0", i, order)
	}
	gone := h.graphs[0].follow("g1", c2)
	assert.False(t, gone.Active)
	assert.Equal(t, service.RemovedByCustomer, gone.RemovedBy, "the newest event on the edge is the customer's delete")
}

// assertEqualsWeCom compares the graph with the simulator's current state: customers' profiles,
// every edge (active exactly when WeCom has it, with its remark, description, add_way, state and
// tags), groups with their members, the corp tags, and the guides.
func (g *graphEnv) assertEqualsWeCom(customers, chats, guides []string) {
	t := g.t
	t.Helper()
	ctx := context.Background()
	s := g.wc.Sim
	for _, ext := range customers {
		want, ok := s.Customer(ext)
		require.True(t, ok)
		got, err := g.store.GetCustomer(ctx, ext)
		require.NoError(t, err)
		assert.Equal(t, [6]any{want.Name, want.Avatar, want.UnionID, want.Type, want.Gender, want.CorpName},
			[6]any{got.Name, got.Avatar, got.UnionID, got.Type, got.Gender, got.CorpName}, "profile of %s", ext)
		inWeCom := map[string]sim.Follow{}
		for _, f := range s.Followers(ext) {
			inWeCom[f.UserID] = f
		}
		edges, err := g.store.Followers(ctx, ext)
		require.NoError(t, err)
		for _, e := range edges {
			w, ok := inWeCom[e.UserID]
			assert.Equal(t, ok, e.Active, "edge %s→%s is active exactly when WeCom has it", e.UserID, ext)
			if !ok {
				continue
			}
			delete(inWeCom, e.UserID)
			assert.Equal(t, [5]any{w.Remark, w.Description, w.AddWay, w.State, sorted(w.TagIDs)},
				[5]any{e.Remark, e.Description, e.AddWay, e.State, sorted(e.TagIDs)}, "details of %s→%s", e.UserID, ext)
		}
		assert.Empty(t, inWeCom, "every edge WeCom has is in the graph")
	}
	for _, chat := range chats {
		want, ok := s.Group(chat)
		require.True(t, ok)
		got, err := g.store.GetGroup(ctx, chat)
		require.NoError(t, err)
		var wm, gm []string
		for _, m := range want.Members {
			wm = append(wm, m.UserID)
		}
		for _, m := range got.Members {
			gm = append(gm, m.MemberID)
		}
		assert.Equal(t, [5]any{want.Name, want.Notice, want.Owner, want.MemberVersion, sorted(wm)},
			[5]any{got.Name, got.Notice, got.OwnerUserID, got.MemberVersion, sorted(gm)}, "group %s", chat)
	}
	tags, err := g.store.ListTags(ctx)
	require.NoError(t, err)
	var wantTags, gotTags []string
	for _, tg := range s.TagGroups() {
		for _, tag := range tg.Tags {
			wantTags = append(wantTags, tg.Name+"/"+tag.ID+"/"+tag.Name)
		}
	}
	for _, tg := range tags {
		for _, tag := range tg.Tags {
			gotTags = append(gotTags, tg.Name+"/"+tag.TagID+"/"+tag.Name)
		}
	}
	assert.Equal(t, sorted(wantTags), sorted(gotTags), "corp tags")
	for _, id := range guides {
		want, ok := s.User(id)
		require.True(t, ok)
		got, err := g.store.GetGuide(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, [2]any{want.Name, int64(want.MainDepartment)}, [2]any{got.Name, got.StoreID}, "guide %s", id)
	}
}

func sorted(ids []string) []string {
	out := append([]string{}, ids...)
	sort.Strings(out)
	return out
}
