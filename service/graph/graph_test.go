package graph_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/callback"
	"github.com/guidebox/guidebox/wecom/sim"
	"github.com/guidebox/guidebox/wecom/simtest"
)

// graphEnv is the graph service on a throwaway MySQL with the simulator as WeCom.
// The simulator's pushes are paused: tests take the callbacks it would send and apply them in any order.
type graphEnv struct {
	t     *testing.T
	svc   *graph.Service
	store *graphdb.Store
	inbox *graphdb.InboxStore
	wc    *simtest.Env
	db    *gorm.DB
}

func newGraphEnv(t *testing.T) *graphEnv {
	t.Helper()
	db := repotest.New(t)
	env := simtest.New(t)
	env.Sim.SetPushPaused(true)
	store := graphdb.New(db, simtest.CorpID)
	inbox := graphdb.NewInboxStore(db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := graph.NewService(store, inbox, env.Dir, repo.NewTxManager(db), nil, log)
	return &graphEnv{t: t, svc: svc, store: store, inbox: inbox, wc: env, db: db}
}

// take returns the callbacks the simulator queued since the last take.
func (g *graphEnv) take() []*callback.Message { return g.wc.Sim.TakeQueued() }

func (g *graphEnv) apply(msgs ...*callback.Message) {
	g.t.Helper()
	for _, m := range msgs {
		ev, err := wecom.ParseEvent(m.Marshal())
		require.NoError(g.t, err)
		require.NoError(g.t, g.svc.Apply(context.Background(), ev))
	}
}

func (g *graphEnv) guide(id string, dept int) {
	g.wc.Sim.AddUser(sim.User{UserID: id, Name: "导购" + id, Departments: []int{dept}, MainDepartment: dept})
}

func (g *graphEnv) follow(userID, extID string) service.Follow {
	g.t.Helper()
	f, err := g.store.GetFollow(context.Background(), userID, extID, false)
	require.NoError(g.t, err)
	return f
}

func TestAddExternalContactBuildsEdgeOwnerAndHistory(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.wc.Sim.AddDepartment(sim.Department{ID: 2, Name: "上海南京西路店", ParentID: 1})
	g.guide("g1", 2)
	grp, err := g.wc.Sim.CreateTagGroup("客户等级", "金卡", "银卡")
	require.NoError(t, err)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "李女士", Type: 1, Gender: 2, UnionID: "union-1"}, "qr-nanjing")
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.EditFollow("g1", ext, "李姐 老客", "喜欢美妆", []string{grp.Tags[0].ID}))
	g.apply(g.take()...)

	guide, err := g.store.GetGuide(ctx, "g1")
	require.NoError(t, err)
	assert.Equal(t, "导购g1", guide.Name)
	assert.Equal(t, int64(2), guide.StoreID)
	cust, err := g.store.GetCustomer(ctx, ext)
	require.NoError(t, err)
	assert.Equal(t, "李女士", cust.Name)
	assert.Equal(t, "union-1", cust.UnionID)
	assert.Equal(t, "g1", cust.OwnerUserID)
	f := g.follow("g1", ext)
	assert.True(t, f.Active)
	assert.Equal(t, "qr-nanjing", f.State)
	assert.Equal(t, 1, f.AddWay)
	assert.Equal(t, "李姐 老客", f.Remark)
	assert.Equal(t, "喜欢美妆", f.Description)
	fs, err := g.store.Followers(ctx, ext)
	require.NoError(t, err)
	require.Len(t, fs, 1)
	assert.Equal(t, []string{grp.Tags[0].ID}, fs[0].TagIDs)
	hist, err := g.store.OwnershipHistory(ctx, ext)
	require.NoError(t, err)
	require.Len(t, hist, 1)
	assert.Equal(t, graph.OwnershipChange{ExternalUserID: ext, ToUserID: "g1", Reason: service.OwnerAdded, At: hist[0].At}, hist[0])
	tags, err := g.store.ListTags(ctx)
	require.NoError(t, err)
	require.Len(t, tags, 1)
	assert.Equal(t, "客户等级", tags[0].Name)
	assert.Len(t, tags[0].Tags, 2)
}

func TestSameEventTwiceChangesNothing(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	g.guide("g2", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "王先生"}, "")
	require.NoError(t, err)
	g.wc.Clock.Advance(time.Minute)
	_, _, err = g.wc.Sim.CustomerAddsGuide("g2", sim.Customer{ExternalUserID: ext}, "")
	require.NoError(t, err)
	g.wc.Clock.Advance(time.Minute)
	require.NoError(t, g.wc.Sim.CustomerDeletesGuide("g1", ext))
	msgs := g.take()
	g.apply(msgs...)
	first := g.follow("g1", ext)
	hist1, err := g.store.OwnershipHistory(ctx, ext)
	require.NoError(t, err)
	g.apply(msgs...) // WeCom's retry, or a replay
	assert.Equal(t, first, g.follow("g1", ext))
	hist2, err := g.store.OwnershipHistory(ctx, ext)
	require.NoError(t, err)
	assert.Equal(t, hist1, hist2, "no history row is added twice")
	require.Len(t, hist2, 2)
	assert.Equal(t, "g2", hist2[1].ToUserID)
	assert.Equal(t, service.OwnerReassigned, hist2[1].Reason)
	assert.False(t, first.Active)
	assert.Equal(t, service.RemovedByCustomer, first.RemovedBy)
}

// freshDB is the same simulator over a new empty database.
func (g *graphEnv) freshDB() *graphEnv {
	db := repotest.New(g.t)
	store := graphdb.New(db, simtest.CorpID)
	inbox := graphdb.NewInboxStore(db)
	svc := graph.NewService(store, inbox, g.wc.Dir, repo.NewTxManager(db), nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &graphEnv{t: g.t, svc: svc, store: store, inbox: inbox, wc: g.wc, db: db}
}

// TestInServiceTransferMovesOwnershipInEitherOrder: WeCom's takeover sends the handover's
// del_external_contact (DELETE_BY_TRANSFER) and the taker's add; the taker owns the customer,
// as "transferred", whichever arrives first, even when an older follower exists.
func TestInServiceTransferMovesOwnershipInEitherOrder(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	for _, id := range []string{"a", "b", "c"} {
		g.guide(id, 1)
	}
	ext, _, err := g.wc.Sim.CustomerAddsGuide("a", sim.Customer{Name: "吴女士"}, "")
	require.NoError(t, err)
	g.wc.Clock.Advance(time.Hour)
	_, _, err = g.wc.Sim.CustomerAddsGuide("c", sim.Customer{ExternalUserID: ext}, "")
	require.NoError(t, err)
	setup := g.take()
	res, err := g.wc.Client.TransferCustomer(ctx, "a", "b", []string{ext}, "")
	require.NoError(t, err)
	require.Len(t, res, 1)
	require.Zero(t, res[0].ErrCode)
	g.wc.Clock.Advance(24*time.Hour + time.Minute)
	g.wc.Sim.Tick()
	takeover := g.take()
	require.Len(t, takeover, 2, "del_external_contact for a, add_external_contact for b")

	for _, order := range [][]int{{0, 1}, {1, 0}} {
		fresh := g.freshDB()
		fresh.apply(setup...)
		fresh.apply(takeover[order[0]], takeover[order[1]])
		cust, err := fresh.store.GetCustomer(ctx, ext)
		require.NoError(t, err)
		assert.Equal(t, "b", cust.OwnerUserID, "order %v", order)
		hist, err := fresh.store.OwnershipHistory(ctx, ext)
		require.NoError(t, err)
		last := hist[len(hist)-1]
		assert.Equal(t, service.OwnerTransferred, last.Reason, "order %v", order)
		assert.Equal(t, "a", last.FromUserID)
		assert.Equal(t, service.RemovedByTransfer, fresh.follow("a", ext).RemovedBy)
	}
}

// TestMemberTagAndGroupEvents: a guide's new userid moves their edges, tag events re-read the corp's
// tags, a dismissed group is kept as a tombstone, and a plain message is kept without error.
func TestMemberTagAndGroupEvents(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("old", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("old", sim.Customer{Name: "郑女士"}, "")
	require.NoError(t, err)
	chat, err := g.wc.Sim.CreateGroup("old", "老客群", []string{ext})
	require.NoError(t, err)
	grp, err := g.wc.Sim.CreateTagGroup("会员", "新客")
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.RenameTag(grp.Tags[0].ID, "首单客户"))
	g.apply(g.take()...)

	g.guide("new", 1) // WeCom knows the member under the new userid
	g.take()
	rename := &callback.Message{ToUserName: simtest.CorpID, FromUserName: "sys", CreateTime: g.wc.Clock.Now().Unix(), MsgType: "event",
		Event: graph.EventContact, ChangeType: graph.ChangeUpdateUser, UserID: "old", NewUserID: "new"}
	g.apply(rename)
	assert.True(t, g.follow("new", ext).Active)
	c, err := g.store.GetCustomer(ctx, ext)
	require.NoError(t, err)
	assert.Equal(t, "new", c.OwnerUserID)
	tags, err := g.store.ListTags(ctx)
	require.NoError(t, err)
	require.Len(t, tags, 1)
	assert.Equal(t, "首单客户", tags[0].Tags[0].Name)

	require.NoError(t, g.wc.Sim.DismissGroup(chat))
	text := &callback.Message{ToUserName: simtest.CorpID, FromUserName: "new", CreateTime: 5, MsgType: "text", Content: "你好", MsgID: "1234567"}
	g.apply(append(g.take(), text)...)
	gr, err := g.store.GetGroup(ctx, chat)
	require.NoError(t, err)
	assert.NotNil(t, gr.DismissedAt)
}

// TestEveryEventVariantApplies covers the event variants the other tests do not: a half add
// (the customer added the guide without verification), group renames, notices, leaves and owner
// changes, tag deletion and reordering.
func TestEveryEventVariantApplies(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	g.guide("g2", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "冯先生"}, "half-qr")
	require.NoError(t, err)
	msgs := g.take()
	half := msgs[len(msgs)-1]
	require.Equal(t, graph.ChangeAddExternalContact, half.ChangeType)
	half.ChangeType = graph.ChangeAddHalfExternalContact
	g.apply(msgs...)
	assert.True(t, g.follow("g1", ext).Active)
	assert.Equal(t, "half-qr", g.follow("g1", ext).State)

	chat, err := g.wc.Sim.CreateGroup("g1", "新品群", []string{ext, "g2"})
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.RenameGroup(chat, "新品尝鲜群"))
	require.NoError(t, g.wc.Sim.SetGroupNotice(chat, "周六上新"))
	require.NoError(t, g.wc.Sim.LeaveGroup(chat, []string{"g2"}, true))
	grp, err := g.wc.Sim.CreateTagGroup("季节", "春", "夏")
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.DeleteTag(grp.Tags[0].ID))
	g.apply(g.take()...)
	shuffle := &callback.Message{ToUserName: simtest.CorpID, FromUserName: "sys", CreateTime: g.wc.Clock.Now().Unix(), MsgType: "event",
		Event: graph.EventExternalTag, ChangeType: graph.ChangeShuffle, ID: grp.ID}
	g.apply(shuffle)

	gr, err := g.store.GetGroup(ctx, chat)
	require.NoError(t, err)
	assert.Equal(t, "新品尝鲜群", gr.Name)
	assert.Equal(t, "周六上新", gr.Notice)
	var members []string
	for _, m := range gr.Members {
		members = append(members, m.MemberID)
	}
	assert.ElementsMatch(t, []string{"g1", ext}, members, "g2 was removed from the group")
	tags, err := g.store.ListTags(ctx)
	require.NoError(t, err)
	require.Len(t, tags, 1)
	require.Len(t, tags[0].Tags, 1, "the deleted tag is gone")
	assert.Equal(t, "夏", tags[0].Tags[0].Name)
}

// TestGroupMemberChangeAlreadyHeldNeedsNoWeComCall: a member change whose CurMemVer the graph
// already stores (WeCom's retry) is applied without calling groupchat/get, which fails here.
func TestGroupMemberChangeAlreadyHeldNeedsNoWeComCall(t *testing.T) {
	g := newGraphEnv(t)
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "褚女士"}, "")
	require.NoError(t, err)
	chat, err := g.wc.Sim.CreateGroup("g1", "会员群", nil)
	require.NoError(t, err)
	require.NoError(t, g.wc.Sim.JoinGroup(chat, []string{ext}, 3, ""))
	msgs := g.take()
	join := msgs[len(msgs)-1]
	require.NotEmpty(t, join.CurMemVer)
	g.apply(msgs...)
	g.wc.Sim.SetFail5xx("/cgi-bin/externalcontact/groupchat/get", 100)
	g.apply(join) // the retry: nothing to fetch
	ev, err := wecom.ParseEvent(join.Marshal())
	require.NoError(t, err)
	ev.CurMemVer = "a-version-the-graph-lacks"
	assert.ErrorIs(t, g.svc.Apply(context.Background(), ev), service.ErrUpstream, "an unknown version is fetched")
}

// The phone numbers a guide noted with the remark (备注手机号) come with WeCom's read, like the remark.
func TestRemarkMobilesComeFromWeComsRead(t *testing.T) {
	g := newGraphEnv(t)
	ctx := context.Background()
	g.guide("g1", 1)
	ext, _, err := g.wc.Sim.CustomerAddsGuide("g1", sim.Customer{Name: "周女士"}, "")
	require.NoError(t, err)
	g.apply(g.take()...)
	assert.Empty(t, g.follow("g1", ext).RemarkMobiles)

	require.NoError(t, g.wc.Client.Remark(ctx, wecom.RemarkRequest{UserID: "g1", ExternalUserID: ext, RemarkMobiles: []string{"13800000001", "13800000002"}}))
	ev := graph.Event{Key: "edit-mobiles", Event: graph.EventExternalContact, ChangeType: graph.ChangeEditExternalContact,
		UserID: "g1", ExternalUserID: ext, Time: time.Now()}
	require.NoError(t, g.svc.Apply(ctx, ev))
	assert.Equal(t, []string{"13800000001", "13800000002"}, g.follow("g1", ext).RemarkMobiles)
}
