package handler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/handoverdb"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/handover"
	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

// playQueued applies the callbacks the simulator queued (push paused) through the graph, as the inbox
// workers do: parsed from WeCom's XML, enriched by reads of the simulator.
func (st *sidebarStack) playQueued(t *testing.T) {
	t.Helper()
	for _, m := range st.sim.TakeQueued() {
		ev, err := wecom.ParseEvent(m.Marshal())
		require.NoError(t, err)
		require.NoError(t, st.graph.Apply(context.Background(), ev))
	}
}

// timelineOf reads every page of a customer's timeline as guide c sees it.
func (st *sidebarStack) timelineOf(t *testing.T, c *http.Cookie, ext string) []map[string]any {
	t.Helper()
	var out []map[string]any
	before := ""
	for range 50 {
		w := st.do(t, http.MethodGet, "/api/sidebar/customers/"+ext+"/timeline?before="+url.QueryEscape(before), "", c)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		page := decode(t, w)
		for _, e := range page["entries"].([]any) {
			out = append(out, e.(map[string]any))
		}
		if before = page["next"].(string); before == "" {
			return out
		}
	}
	t.Fatal("timeline pages do not end")
	return nil
}

// ofKind lists the entries of one kind.
func ofKind(es []map[string]any, kind string) []map[string]any {
	var out []map[string]any
	for _, e := range es {
		if e["kind"] == kind {
			out = append(out, e)
		}
	}
	return out
}

// TestTimelineEntryKinds plays a customer's life through the real paths (WeCom callbacks applied by
// the graph against the simulator, the sidebar's and workbench's routes, the orders service, the
// handover store) and finds each change in the timeline once, newest first, with names not ids.
func TestTimelineEntryKinds(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	st.sim.SetPushPaused(true)
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	w := st.do(t, http.MethodPut, "/api/admin/workbench/channels", `{"state":"qr-poster","name":"门店海报"}`, boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())

	ext, _, err := st.sim.CustomerAddsGuide(st.guideA, sim.Customer{Name: "苏女士", UnionID: ""}, "qr-poster")
	require.NoError(t, err)
	st.playQueued(t)
	base := "/api/sidebar/customers/" + ext
	require.Equal(t, http.StatusOK, st.do(t, http.MethodPut, base+"/remark", `{"remark":"苏小姐"}`, me).Code)
	tagA, tagB := st.sim.TagGroups()[0].Tags[0], st.sim.TagGroups()[1].Tags[0]
	require.Equal(t, http.StatusOK, st.do(t, http.MethodPost, base+"/tags", `{"add":["`+tagA.ID+`"]}`, me).Code)
	st.playQueued(t) // the edits' own callbacks: nothing new to record
	require.NoError(t, st.sim.EditFollow(st.guideA, ext, "苏小姐-VIP", "", []string{tagA.ID, tagB.ID}))
	st.playQueued(t) // edited in WeCom's client: remark and tags changed by WeCom
	require.NoError(t, st.sim.JoinGroup(st.groupA, []string{ext}, 1, st.guideA))
	st.playQueued(t)
	require.NoError(t, st.sim.LeaveGroup(st.groupA, []string{ext}, false))
	st.playQueued(t)
	require.Equal(t, http.StatusCreated, st.do(t, http.MethodPost, "/api/sidebar/shares", `{"product_id":"P001","external_userid":"`+ext+`","msgtype":"news"}`, me).Code)
	reply, material := st.libraryItems(t, boss)
	for _, item := range []int64{reply, material} {
		w := st.do(t, http.MethodPost, "/api/sidebar/sends", fmt.Sprintf(`{"item_id":%d,"external_userid":"%s"}`, item, ext), me)
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	}
	st.orderAndRefund(t, ext)
	w = st.do(t, http.MethodPost, base+"/notes", `{"body":"试了大衣，约周六再来"}`, me)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	require.NoError(t, st.sim.GuideDeletesCustomer(st.guideA, ext))
	st.playQueued(t)
	nextSecond() // WeCom's event times are whole seconds: a re-add in the deletion's second does not follow it
	_, _, err = st.sim.CustomerAddsGuide(st.guideA, sim.Customer{ExternalUserID: ext}, "")
	require.NoError(t, err)
	require.NoError(t, st.sim.CustomerDeletesGuide(st.guideA, ext))
	st.playQueued(t)
	st.playQueued(t) // a replay records nothing

	es := st.timelineOf(t, me, ext)
	for kind, n := range map[string]int{
		service.ActivityCustomerAdded: 2, service.ActivityRemarkChanged: 2, service.ActivityTagsChanged: 2,
		service.ActivityGroupJoined: 1, service.ActivityGroupLeft: 1, service.ActivityProductShared: 1, service.ActivityReplySent: 1,
		service.ActivityMaterialSent: 1, service.ActivityOrderPaid: 2, service.ActivityOrderRefunded: 1, service.ActivityNoteAdded: 1,
		service.ActivityGuideDeletedCustomer: 1, service.ActivityCustomerDeletedGuide: 1,
	} {
		assert.Len(t, ofKind(es, kind), n, kind)
	}
	for i := 1; i < len(es); i++ {
		assert.GreaterOrEqual(t, es[i-1]["at"].(string)[:19], es[i]["at"].(string)[:19], "newest first")
	}
	first := ofKind(es, service.ActivityCustomerAdded)[1]
	assert.Contains(t, first["text"], "门店海报", "the channel by its name")
	assert.Equal(t, true, first["mine"])
	byWho := map[string]bool{}
	for _, e := range ofKind(es, service.ActivityTagsChanged) {
		byWho[e["by"].(string)] = true
	}
	assert.True(t, byWho["企业微信"], "WeCom's tag change")
	assert.Contains(t, fmt.Sprint(ofKind(es, service.ActivityTagsChanged)), tagB.Name, "tags by name")
	assert.Equal(t, productName(t, "P001"), ofKind(es, service.ActivityProductShared)[0]["text"], "the product by its name")
	assert.Contains(t, ofKind(es, service.ActivityGroupJoined)[0]["title"], "群聊「")
	assert.Contains(t, ofKind(es, service.ActivityOrderRefunded)[0]["title"], "¥1.00")
	for _, e := range es {
		assert.NotContains(t, fmt.Sprint(e["title"], e["text"], e["by"]), st.guideA, "no guide ids in the texts")
	}
}

func productName(t *testing.T, sku string) string {
	t.Helper()
	for _, p := range sim.DemoProducts() {
		if p.ID == sku {
			return p.Name
		}
	}
	t.Fatalf("no demo product %s", sku)
	return ""
}

// nextSecond waits for the wall clock's next second (the simulator stamps callbacks by it).
func nextSecond() {
	now := time.Now()
	time.Sleep(now.Truncate(time.Second).Add(time.Second).Sub(now) + time.Millisecond)
}

// libraryItems creates a corp reply and a corp link material and returns their ids.
func (st *sidebarStack) libraryItems(t *testing.T, boss *http.Cookie) (reply, material int64) {
	t.Helper()
	ids := make([]int64, 2)
	for i, lib := range []string{"reply", "material"} {
		w := st.do(t, http.MethodPost, "/api/admin/workbench/library/groups", `{"library":"`+lib+`","name":"常用"}`, boss)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		g := int64(decode(t, w)["id"].(float64))
		body := fmt.Sprintf(`{"group_id":%d,"kind":"text","title":"问候","content":"您好～"}`, g)
		if lib == "material" {
			body = fmt.Sprintf(`{"group_id":%d,"kind":"link","title":"新品手册","url":"https://shop.example.com/new"}`, g)
		}
		w = st.do(t, http.MethodPost, "/api/admin/workbench/library/items", body, boss)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		ids[i] = int64(decode(t, w)["id"].(float64))
	}
	return ids[0], ids[1]
}

// orderAndRefund posts an order of ext (1 yuan) and its refund through the orders service, and an order
// known only by a unionid that the link pass gives to ext once the graph knows ext's unionid.
func (st *sidebarStack) orderAndRefund(t *testing.T, ext string) {
	t.Helper()
	ctx := context.Background()
	store := st.guideStore(t, st.guideA)
	fen := int64(100)
	in := catalog.OrderInput{OrderID: "TL-1", ExternalUserID: ext, StoreID: store, GuideUserID: st.guideA, PaidAt: time.Now().Add(-time.Hour).Format(time.RFC3339),
		TotalFen: &fen, Status: service.OrderPaid, Lines: []catalog.LineInput{{SKU: "P002", Qty: 1, PriceFen: &fen}}}
	_, _, err := st.cat.Ingest(ctx, in)
	require.NoError(t, err)
	in.Status = service.OrderRefunded
	_, _, err = st.cat.Ingest(ctx, in)
	require.NoError(t, err)
	un := catalog.OrderInput{OrderID: "TL-2", UnionID: "union-timeline", StoreID: store, PaidAt: time.Now().Add(-48 * time.Hour).Format(time.RFC3339),
		TotalFen: &fen, Status: service.OrderPaid, Lines: []catalog.LineInput{{SKU: "P003", Qty: 1, PriceFen: &fen}}}
	_, _, err = st.cat.Ingest(ctx, un)
	require.NoError(t, err)
	require.NoError(t, st.db.Exec("UPDATE customers SET unionid = ? WHERE corp_id = ? AND external_userid = ?", "union-timeline", sbCorp, ext).Error)
	n, err := st.cat.LinkOrders(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
}

// TestTimelineAcrossAHandover: the taker of a customer reads the previous guide's entries, marked as
// theirs; before the handover the customer is another guide's (403, as the card), after it the taker's.
func TestTimelineAcrossAHandover(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, prev := st.demoSession(t, st.guideA), st.demoSession(t, st.guidePrev)
	w := st.do(t, http.MethodPost, "/api/sidebar/customers/"+st.inherited+"/notes", `{"body":"老顾客，偏爱羊绒"}`, prev)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())

	es := st.timelineOf(t, me, st.inherited)
	moved := ofKind(es, service.ActivityCustomerTransferred)
	require.Len(t, moved, 1, "the setup's transfer to guide A")
	prevName := guideName(t, st, st.guidePrev)
	assert.Contains(t, moved[0]["title"], "由 "+prevName+" 转接给 ")
	notes := ofKind(es, service.ActivityNoteAdded)
	require.Len(t, notes, 1)
	assert.Equal(t, false, notes[0]["mine"])
	assert.Equal(t, prevName, notes[0]["guide_name"])
	for _, e := range ofKind(es, service.ActivityCustomerAdded) {
		if e["guide_userid"] == st.guidePrev {
			assert.Equal(t, false, e["mine"], "the previous guide's add is theirs")
		}
	}

	// 离职继承 of another guide's customer: 403 before, the previous guide's history after.
	path := "/api/sidebar/customers/" + st.otherCus + "/timeline"
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodGet, path, "", me).Code)
	require.NoError(t, handoverdb.New(st.db, sbCorp).Inherit(context.Background(), []handover.Inheritance{{ExternalUserID: st.otherCus,
		From: st.guideOther, To: st.guideA, Reason: service.OwnerInherited, At: time.Now(), Note: "离职继承", CopyEdge: true}}))
	es = st.timelineOf(t, me, st.otherCus)
	inh := ofKind(es, service.ActivityCustomerInherited)
	require.Len(t, inh, 1)
	assert.Equal(t, true, inh[0]["mine"])
	assert.Contains(t, inh[0]["title"], "由 "+guideName(t, st, st.guideOther)+" 离职继承给 ")
	added := ofKind(es, service.ActivityCustomerAdded)
	require.NotEmpty(t, added)
	assert.Equal(t, false, added[len(added)-1]["mine"])
}

func guideName(t *testing.T, st *sidebarStack, userID string) string {
	t.Helper()
	var name string
	require.NoError(t, st.db.Raw("SELECT name FROM guides WHERE corp_id = ? AND userid = ?", sbCorp, userID).Scan(&name).Error)
	require.NotEmpty(t, name)
	return name
}

// TestTimelineRefusalsAndPaging: the card's fence and bad input; pages of 20 by a cursor, no entry
// twice, none missed; a sidebar opened twice within minutes records once.
func TestTimelineRefusalsAndPaging(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	base := "/api/sidebar/customers/"
	for name, tt := range map[string]struct {
		path string
		want int
	}{
		"another guide's customer": {base + st.otherCus + "/timeline", http.StatusForbidden},
		"unknown customer":         {base + "wmnosuchcustomer/timeline", http.StatusForbidden},
		"overlong id":              {base + strings.Repeat("x", 65) + "/timeline", http.StatusBadRequest},
		"bad cursor":               {base + st.mine + "/timeline?before=yesterday", http.StatusBadRequest},
		"a lost customer":          {base + st.lost + "/timeline", http.StatusOK},
	} {
		t.Run(name, func(t *testing.T) {
			w := st.do(t, http.MethodGet, tt.path, "", me)
			assert.Equal(t, tt.want, w.Code, w.Body.String())
		})
	}
	assert.Equal(t, http.StatusUnauthorized, st.do(t, http.MethodGet, base+st.mine+"/timeline", "").Code)

	start := len(st.timelineOf(t, me, st.mine))
	require.Less(t, start, 20)
	for i := range 20 - start { // exactly one page
		w := st.do(t, http.MethodPost, base+st.mine+"/notes", fmt.Sprintf(`{"body":"第%d次跟进"}`, i+1), me)
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	}
	page := decode(t, st.do(t, http.MethodGet, base+st.mine+"/timeline", "", me))
	assert.Len(t, page["entries"], 20)
	assert.Equal(t, "", page["next"], "twenty entries: one page, no next")
	for i := range 21 {
		w := st.do(t, http.MethodPost, base+st.mine+"/notes", fmt.Sprintf(`{"body":"再跟进%d"}`, i+1), me)
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	}
	page = decode(t, st.do(t, http.MethodGet, base+st.mine+"/timeline", "", me))
	assert.Len(t, page["entries"], 20)
	assert.NotEmpty(t, page["next"])
	es := st.timelineOf(t, me, st.mine)
	assert.Len(t, es, 41)
	seen := map[float64]bool{}
	for _, e := range es {
		assert.False(t, seen[e["id"].(float64)], "an entry twice")
		seen[e["id"].(float64)] = true
	}

	for range 3 {
		require.Equal(t, http.StatusOK, st.do(t, http.MethodGet, base+st.mine, "", me).Code)
	}
	require.Equal(t, http.StatusOK, st.do(t, http.MethodGet, "/api/sidebar/home", "", me).Code)
	var opens []string
	require.NoError(t, st.db.Raw("SELECT ref FROM activity_log WHERE corp_id = ? AND guide_userid = ? AND kind = ? ORDER BY id",
		sbCorp, st.guideA, service.ActivitySidebarOpen).Scan(&opens).Error)
	assert.Equal(t, []string{st.mine, ""}, opens, "the card once within minutes, and the home")
	assert.Empty(t, ofKind(st.timelineOf(t, me, st.mine), service.ActivitySidebarOpen), "opens are not the customer's history")
}
