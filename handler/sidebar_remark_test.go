package handler_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// anotherOfA is a customer of guide A that no other scenario uses.
func (st *sidebarStack) anotherOfA(t *testing.T, skip ...string) string {
	t.Helper()
	used := map[string]bool{st.mine: true, st.lost: true, st.inherited: true}
	for _, s := range skip {
		used[s] = true
	}
	for _, f := range st.corp.Follows {
		if f.UserID == st.guideA && !used[f.ExternalUserID] {
			return f.ExternalUserID
		}
	}
	t.Fatal("demo corp: guide A has no spare customer")
	return ""
}

// The remark is written to WeCom first, then to the graph; what WeCom refuses is not saved locally
// and comes back with its reason in Chinese, chosen by errcode.
func TestSidebarEditRemark(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	path := "/api/sidebar/customers/" + st.mine + "/remark"
	w := st.do(t, http.MethodPut, path, `{"remark":"周小姐-金卡","description":"喜欢大地色系，周末到店","mobiles":["13800001111"]}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	f, _ := st.sim.Follower(st.guideA, st.mine)
	assert.Equal(t, "周小姐-金卡", f.Remark, "WeCom (the simulator) has it")
	assert.Equal(t, "喜欢大地色系，周末到店", f.Description)
	assert.Equal(t, []string{"13800001111"}, f.RemarkMobiles)
	card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
	edge := card["edge"].(map[string]any)
	assert.Equal(t, "周小姐-金卡", edge["remark"], "and so does the graph")
	assert.Equal(t, []any{"13800001111"}, edge["mobiles"])

	w = st.do(t, http.MethodPut, path, `{"mobiles":[]}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	f, _ = st.sim.Follower(st.guideA, st.mine)
	assert.Empty(t, f.RemarkMobiles, "an empty list clears the numbers")
	assert.Equal(t, "周小姐-金卡", f.Remark, "fields not sent stay")

	for name, tt := range map[string]struct{ body, field string }{
		"remark over 20":       {`{"remark":"` + strings.Repeat("长", 21) + `"}`, "remark"},
		"description over 150": {`{"description":"` + strings.Repeat("长", 151) + `"}`, "description"},
		"not a phone number":   {`{"mobiles":["call me"]}`, "mobiles"},
		"nothing to change":    {`{}`, "remark"},
	} {
		t.Run(name, func(t *testing.T) {
			w := st.do(t, http.MethodPut, path, tt.body, me)
			assert.Equal(t, http.StatusBadRequest, w.Code)
			assert.Contains(t, decode(t, w)["message"], "invalid "+tt.field)
			f, _ := st.sim.Follower(st.guideA, st.mine)
			assert.Equal(t, "周小姐-金卡", f.Remark, "WeCom is not called")
		})
	}

	t.Run("WeCom refuses: nothing saved, the reason in Chinese", func(t *testing.T) {
		gone := st.anotherOfA(t)
		before := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+gone, "", me))["edge"].(map[string]any)["remark"]
		require.NoError(t, st.sim.CustomerDeletesGuide(st.guideA, gone)) // WeCom knows; the graph not yet
		st.sim.SetErrMsg("scrambled: decisions read errcode only")
		defer st.sim.SetErrMsg("")
		w := st.do(t, http.MethodPut, "/api/sidebar/customers/"+gone+"/remark", `{"remark":"新备注"}`, me)
		assert.Equal(t, http.StatusBadGateway, w.Code, w.Body.String())
		body := decode(t, w)
		assert.Equal(t, "refused", body["code"])
		assert.Equal(t, "该客户已不在你的企业微信联系人中，无法修改", body["message"], "84061 in the guide's words, not WeCom's errmsg")
		after := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+gone, "", me))["edge"].(map[string]any)["remark"]
		assert.Equal(t, before, after, "not saved locally")
	})
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPut, "/api/sidebar/customers/"+st.lost+"/remark", `{"remark":"x"}`, me).Code)
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPut, "/api/sidebar/customers/"+st.otherCus+"/remark", `{"remark":"x"}`, me).Code)
}

// A single-choice tag group (客户等级) takes one tag: the service refuses a second (400) before WeCom.
func TestSidebarSingleChoiceTagGroup(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	levels := map[string]bool{}
	groupID := ""
	for _, g := range st.sim.TagGroups() {
		if g.Name == "客户等级" {
			groupID = g.ID
			for _, tg := range g.Tags {
				levels[tg.ID] = true
			}
		}
	}
	require.NotEmpty(t, groupID)
	w := st.do(t, http.MethodPut, "/api/admin/tag-groups/"+groupID, `{"single_choice":true}`, boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPut, "/api/admin/tag-groups/"+groupID, `{"single_choice":false}`, me).Code)
	assert.Equal(t, http.StatusNotFound, st.do(t, http.MethodPut, "/api/admin/tag-groups/etNOSUCH", `{"single_choice":true}`, boss).Code)
	for _, g := range decode(t, st.do(t, http.MethodGet, "/api/sidebar/tags", "", me))["groups"].([]any) {
		gm := g.(map[string]any)
		assert.Equal(t, gm["group_id"] == groupID, gm["single_choice"], gm["name"])
	}

	f, _ := st.sim.Follower(st.guideA, st.mine)
	have, other := "", ""
	for _, id := range f.TagIDs {
		if levels[id] {
			have = id
		}
	}
	for id := range levels {
		if id != have {
			other = id
		}
	}
	require.NotEmpty(t, have, "demo edges carry one level")
	path := "/api/sidebar/customers/" + st.mine + "/tags"
	w = st.do(t, http.MethodPost, path, `{"add":["`+other+`"]}`, me)
	assert.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
	assert.Contains(t, decode(t, w)["message"], "客户等级 is single-choice")
	after, _ := st.sim.Follower(st.guideA, st.mine)
	assert.ElementsMatch(t, f.TagIDs, after.TagIDs, "WeCom untouched")
	w = st.do(t, http.MethodPost, path, `{"add":["`+other+`"],"remove":["`+have+`"]}`, me)
	assert.Equal(t, http.StatusOK, w.Code, "switching the level is fine")
}

// The group card lists its guides by name; customers' tags come in WeCom's order.
func TestSidebarGroupCardGuidesAndTagOrder(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	g := decode(t, st.do(t, http.MethodGet, "/api/sidebar/groups/"+st.groupA, "", me))
	guides := g["guides"].([]any)
	require.Len(t, guides, int(g["guide_count"].(float64)), "every guide listed, not only counted")
	assert.Equal(t, st.guideA, guides[0].(map[string]any)["userid"], "the owner first")
	for _, gd := range guides {
		assert.NotEmpty(t, gd.(map[string]any)["name"])
	}
	rank := map[string]int{}
	for gi, tg := range st.sim.TagGroups() {
		for ti, tag := range tg.Tags {
			rank[tag.ID] = gi*100 + ti
		}
	}
	for _, c := range g["customers"].([]any) {
		var last = -1
		for _, tag := range c.(map[string]any)["tags"].([]any) {
			r := rank[tag.(map[string]any)["tag_id"].(string)]
			assert.Greater(t, r, last, "tag group order, then tag order")
			last = r
		}
	}
}

// The card names the channel (state code) the corp named, and how the customer was added.
func TestSidebarCardChannelName(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	ext, state := "", ""
	for _, f := range st.corp.Follows {
		if f.UserID == st.guideA && f.State != "" && f.ExternalUserID != st.lost {
			ext, state = f.ExternalUserID, f.State
			break
		}
	}
	require.NotEmpty(t, ext, "demo corp: a customer of A from a QR code")
	edge := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+ext, "", me))["edge"].(map[string]any)
	assert.Equal(t, state, edge["state"])
	assert.Equal(t, "", edge["channel"], "not named yet")
	assert.Equal(t, "扫描二维码", edge["add_way_name"])
	w := st.do(t, http.MethodPut, "/api/admin/workbench/channels", `{"state":"`+state+`","name":"南京西路店 · 柜台二维码"}`, boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	edge = decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+ext, "", me))["edge"].(map[string]any)
	assert.Equal(t, "南京西路店 · 柜台二维码", edge["channel"])
}
