package handover_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom/sim"
)

// execute plans and starts a case.
func (e *hEnv) execute(id int64, p handover.Plan) {
	e.t.Helper()
	_, err := e.svc.SetPlan(e.ctx, "admin1", id, p)
	require.NoError(e.t, err)
	_, err = e.svc.Execute(e.ctx, "admin1", id)
	require.NoError(e.t, err)
}

// itemsOf maps target → item for a case.
func (e *hEnv) itemsOf(id int64) map[string]handover.Item {
	out := map[string]handover.Item{}
	var after int64
	for {
		page, err := e.store.ItemPage(e.ctx, id, handover.ItemFilter{AfterID: after, Limit: 500})
		require.NoError(e.t, err)
		if len(page) == 0 {
			return out
		}
		for _, it := range page {
			out[it.TargetID] = it
		}
		after = page[len(page)-1].ID
	}
}

func TestLimitMovesToNextCandidate(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone", "a", "b")
	e.customers("gone", 20)
	e.sim.SetCustomerLimit("a", 5) // a accepts at submit, but only 5 fit at takeover time (status 4)
	id := e.resign("gone")
	e.execute(id, handover.Plan{Strategy: handover.StrategyRoundRobin})
	e.run(id)
	e.clock.Advance(25 * time.Hour)
	assert.Equal(t, 5, e.deliverFails(), "WeCom pushes transfer_fail customer_limit_exceed")
	e.run(id) // limited ones go to b
	e.clock.Advance(25 * time.Hour)
	e.run(id)
	got := map[string]int{}
	for _, it := range e.itemsOf(id) {
		require.Equal(t, handover.ItemDone, it.State, it.Reason)
		got[it.TakeoverUserID]++
	}
	assert.Equal(t, map[string]int{"a": 5, "b": 15}, got)

	e.customers("b", 0)
	e.sim.SetCustomerLimit("b", 1) // now b is at its limit at submit: 40099
	e.guides(10, "gone2")
	e.customers("gone2", 3)
	id2 := e.resign("gone2")
	e.execute(id2, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "b"})
	e.run(id2)
	for _, it := range e.itemsOf(id2) {
		assert.Equal(t, handover.ItemFailed, it.State, "one taker: no next candidate")
		assert.Contains(t, it.Reason, "没有可用的接替成员")
	}
}

func TestRefusalAndErrcodes(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone", "a", "b", "x")
	exts := e.customers("gone", 4)
	e.sim.SetRefuses(exts[0], true)
	require.NoError(t, e.sim.Load(&sim.Corp{Customers: []sim.Customer{{ExternalUserID: "wmNotHis", Name: "别人的客户"}}}))
	e.follow("gone", "wmNotHis", "wmUnknown") // the graph knows them; WeCom does not list them as unassigned
	require.NoError(t, e.sim.Load(&sim.Corp{Follows: []sim.Follow{{UserID: "x", ExternalUserID: exts[1], CreateTime: e.clock.Now()}}}))
	_, err := e.wc.TransferCustomer(e.ctx, "x", "b", []string{exts[1]}, "") // another transfer of exts[1] is running
	require.NoError(t, err)
	e.sim.ResignUser("b") // b left WeCom, the graph has not heard yet: 60111 for the whole call
	id := e.resign("gone")
	e.execute(id, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "b"})
	e.run(id)
	items := e.itemsOf(id)
	assert.Equal(t, 60111, items[exts[2]].ErrCode)
	assert.Contains(t, items[exts[2]].Reason, "没有可用的接替成员", "60111: b is gone and strategy one has no next candidate")

	_, err = e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyRoundRobin})
	require.ErrorIs(t, err, service.ErrConflict)
	id2 := e.reopen(id)
	e.execute(id2, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "a"})
	e.run(id2)
	items = e.itemsOf(id2)
	assert.Equal(t, 40096, items["wmUnknown"].ErrCode)
	assert.Equal(t, 40131, items["wmNotHis"].ErrCode)
	assert.Equal(t, handover.ItemFailed, items["wmNotHis"].State)
	assert.Equal(t, 40129, items[exts[1]].ErrCode, "a transfer already running")
	assert.Equal(t, handover.ItemWaiting, items[exts[0]].State)
	e.clock.Advance(25 * time.Hour)
	assert.Equal(t, 1, e.deliverFails())
	items = e.itemsOf(id2)
	assert.Equal(t, handover.ItemRefused, items[exts[0]].State, "transfer_fail customer_refused, reconciled from the callback")
	e.run(id2)
	items = e.itemsOf(id2)
	assert.Equal(t, handover.ItemRefused, items[exts[0]].State)
	assert.Equal(t, "客户拒绝", items[exts[0]].Reason)
	assert.Equal(t, handover.ItemDone, items[exts[3]].State)
}

// reopen cancels a case and opens a fresh resigned case for the same guide.
func (e *hEnv) reopen(id int64) int64 {
	c, err := e.store.GetCase(e.ctx, id)
	require.NoError(e.t, err)
	if c.Active() {
		require.NoError(e.t, e.svc.Cancel(e.ctx, "admin1", id))
	}
	nc, err := e.svc.OpenResigned(e.ctx, "admin1", c.HandoverUserID)
	require.NoError(e.t, err)
	require.NotEqual(e.t, id, nc.ID)
	return nc.ID
}

func TestResignedGroupsRespectDailyQuota(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "gone", "a")
	corp := &sim.Corp{}
	for i := 0; i < 350; i++ {
		corp.Groups = append(corp.Groups, sim.Group{Name: "群", Owner: "gone", CreateTime: e.clock.Now(),
			Members: []sim.GroupMember{{UserID: "gone", Type: 1, JoinTime: e.clock.Now()}}})
	}
	require.NoError(t, e.sim.Load(corp))
	id := e.resign("gone")
	e.execute(id, handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "a"})
	e.run(id)
	got := e.states(id)[handover.ItemGroup]
	assert.Equal(t, 300, got[handover.ItemDone])
	assert.Equal(t, 50, got[handover.ItemPending], "over the 300/day quota: tomorrow")
	assert.Equal(t, 3, e.callCount("groupchat/transfer"))
	c, _ := e.store.GetCase(e.ctx, id)
	assert.Equal(t, handover.CaseWaiting, c.Status)
	e.clock.Advance(24 * time.Hour)
	e.run(id)
	assert.Equal(t, 350, e.states(id)[handover.ItemGroup][handover.ItemDone])
	assert.Equal(t, 4, e.callCount("groupchat/transfer"))
	g, _ := e.sim.Group(e.sim.GroupIDs()[0])
	assert.Equal(t, "a", g.Owner)
}

func TestOnjobTransferNinetyDayRuleAndGroups(t *testing.T) {
	e := newHEnv(t)
	e.guides(10, "x", "a", "b")
	exts := e.customers("x", 3)
	chat, err := e.sim.CreateGroup("x", "老客群", nil)
	require.NoError(t, err)
	e.sim.SetRefuses(exts[2], true)
	open := func(from, to string, customers []string, groups []string) int64 {
		v, err := e.svc.OpenOnjob(e.ctx, "admin1", handover.OnjobRequest{HandoverUserID: from, Customers: customers, Groups: groups,
			Message: "您好，您的专属导购已更换", Plan: handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: to}})
		require.NoError(t, err)
		_, err = e.svc.Execute(e.ctx, "admin1", v.Case.ID)
		require.NoError(t, err)
		e.run(v.Case.ID)
		e.clock.Advance(25 * time.Hour)
		e.run(v.Case.ID)
		return v.Case.ID
	}
	id1 := open("x", "a", exts, []string{chat})
	items := e.itemsOf(id1)
	assert.Equal(t, handover.ItemDone, items[exts[0]].State)
	assert.Equal(t, handover.ItemRefused, items[exts[2]].State)
	assert.Equal(t, handover.ItemDone, items[chat].State)
	g, _ := e.sim.Group(chat)
	assert.Equal(t, "a", g.Owner, "groupchat/onjob_transfer")
	hist, _ := e.graph.OwnershipHistory(e.ctx, exts[0])
	assert.Equal(t, service.OwnerTransferred, hist[len(hist)-1].Reason)

	open("a", "b", exts[:1], nil)
	before := e.callCount("transfer_customer")
	id3 := open("b", "a", exts[:1], nil)
	it := e.itemsOf(id3)[exts[0]]
	assert.Equal(t, 40128, it.ErrCode, "third transfer in 90 days")
	assert.True(t, strings.Contains(it.Reason, "未发送"), it.Reason)
	assert.Equal(t, before, e.callCount("transfer_customer"), "blocked before sending")

	_, err = e.svc.OpenOnjob(e.ctx, "admin1", handover.OnjobRequest{HandoverUserID: "a", Customers: exts, Message: strings.Repeat("长", 201)})
	var ve *service.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "message", ve.Field)
}

// TestWholeCall60111ReadsErrcodeNotErrmsg: a transfer answered 60111 as a whole does not say which
// member is gone. The runner tells them apart by asking WeCom about the taker (user/get's errcode),
// never by WeCom's errmsg: with every errmsg scrambled, or worded to mislead, the outcome is the same.
func TestWholeCall60111ReadsErrcodeNotErrmsg(t *testing.T) {
	for _, errmsg := range []string{"", "handover userid not found", "system busy"} {
		t.Run("errmsg="+errmsg, func(t *testing.T) {
			e := newHEnv(t)
			e.sim.SetErrMsg(errmsg)
			e.guides(10, "x", "a", "b")
			exts := e.customers("x", 2)

			// The taker left WeCom; the graph has not heard yet: the next candidate is tried (none with
			// strategy one), the handover guide is not blamed.
			e.sim.ResignUser("b")
			v, err := e.svc.OpenOnjob(e.ctx, "admin1", handover.OnjobRequest{HandoverUserID: "x", Customers: exts[:1],
				Plan: handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "b"}})
			require.NoError(t, err)
			_, err = e.svc.Execute(e.ctx, "admin1", v.Case.ID)
			require.NoError(t, err)
			e.run(v.Case.ID)
			it := e.itemsOf(v.Case.ID)[exts[0]]
			assert.Equal(t, 60111, it.ErrCode)
			assert.Contains(t, it.Reason, "没有可用的接替成员", "taker gone")
			assert.NotContains(t, it.Reason, "原跟进成员")

			// The handover guide left WeCom (in-service transfer of a guide the graph still thinks works here);
			// the taker is fine: the items fail, naming the handover guide.
			v, err = e.svc.OpenOnjob(e.ctx, "admin1", handover.OnjobRequest{HandoverUserID: "x", Customers: exts[1:],
				Plan: handover.Plan{Strategy: handover.StrategyOne, TakeoverUserID: "a"}})
			require.NoError(t, err)
			_, err = e.svc.Execute(e.ctx, "admin1", v.Case.ID)
			require.NoError(t, err)
			e.sim.ResignUser("x")
			e.run(v.Case.ID)
			it = e.itemsOf(v.Case.ID)[exts[1]]
			assert.Equal(t, handover.ItemFailed, it.State)
			assert.Equal(t, 60111, it.ErrCode)
			assert.Contains(t, it.Reason, "原跟进成员不存在", "handover guide gone")
		})
	}
}
