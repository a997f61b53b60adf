package handler_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/guidebox/guidebox/service/graph"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tagIDsOf(card map[string]any) map[string]bool {
	out := map[string]bool{}
	for _, g := range card["tags"].([]any) {
		for _, tg := range g.(map[string]any)["tags"].([]any) {
			out[tg.(map[string]any)["tag_id"].(string)] = true
		}
	}
	return out
}

func TestSidebarEditTags(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	before, ok := st.sim.Follower(st.guideA, st.mine)
	require.True(t, ok)
	require.NotEmpty(t, before.TagIDs)
	removed := before.TagIDs[0]
	added := ""
	for _, g := range st.sim.TagGroups() {
		for _, tg := range g.Tags {
			if added == "" && !contains(before.TagIDs, tg.ID) {
				added = tg.ID
			}
		}
	}
	path := "/api/sidebar/customers/" + st.mine + "/tags"

	w := st.do(t, http.MethodPost, path, `{"add":["`+added+`"],"remove":["`+removed+`"]}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	after, _ := st.sim.Follower(st.guideA, st.mine)
	assert.Contains(t, after.TagIDs, added, "WeCom (the simulator) has the new tag")
	assert.NotContains(t, after.TagIDs, removed)
	card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
	assert.True(t, tagIDsOf(card)[added], "and so does the graph")
	assert.False(t, tagIDsOf(card)[removed])

	t.Run("WeCom refuses: nothing saved locally", func(t *testing.T) {
		st.sim.SetFail5xx("/cgi-bin/externalcontact/mark_tag", 3)
		w := st.do(t, http.MethodPost, path, `{"remove":["`+added+`"]}`, me)
		assert.Equal(t, http.StatusBadGateway, w.Code, w.Body.String())
		card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
		assert.True(t, tagIDsOf(card)[added])
	})
	for name, body := range map[string]string{
		"unknown tag":             `{"add":["etNOSUCHTAG"]}`,
		"nothing to do":           `{"add":[],"remove":[]}`,
		"added and removed":       `{"add":["` + added + `"],"remove":["` + added + `"]}`,
		"not JSON":                `add=1`,
		"wrong type":              `{"add":"x"}`,
		"tags of a lost customer": `{"add":["` + added + `"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			p := path
			want := http.StatusBadRequest
			if name == "tags of a lost customer" {
				p, want = "/api/sidebar/customers/"+st.lost+"/tags", http.StatusForbidden
			}
			assert.Equal(t, want, st.do(t, http.MethodPost, p, body, me).Code)
		})
	}
	t.Run("another guide's customer", func(t *testing.T) {
		was, _ := st.sim.Follower(st.guideOther, st.otherCus)
		w := st.do(t, http.MethodPost, "/api/sidebar/customers/"+st.otherCus+"/tags", `{"remove":["`+was.TagIDs[0]+`"]}`, me)
		assert.Equal(t, http.StatusForbidden, w.Code)
		now, _ := st.sim.Follower(st.guideOther, st.otherCus)
		assert.Equal(t, was.TagIDs, now.TagIDs, "WeCom untouched")
	})
	// Last: mark_tag stays blocked for a minute after this.
	t.Run("WeCom's frequency limit: 503, try again later", func(t *testing.T) {
		st.sim.SetFail5xx("/cgi-bin/externalcontact/mark_tag", 0) // what the 5xx case left
		st.sim.SetRateLimit("/cgi-bin/externalcontact/mark_tag", 1)
		w := st.do(t, http.MethodPost, path, `{"remove":["`+added+`"]}`, me)
		for range 2 { // the sim counts in clock minutes: a new one may have begun since the last edit
			if w.Code == http.StatusOK {
				w = st.do(t, http.MethodPost, path, `{"add":["`+added+`"]}`, me)
			}
		}
		assert.Equal(t, http.StatusServiceUnavailable, w.Code, w.Body.String())
		assert.Contains(t, w.Body.String(), `"rate_limited"`)
		w = st.do(t, http.MethodPost, path, `{"add":["`+added+`"]}`, me)
		assert.Equal(t, http.StatusServiceUnavailable, w.Code, "the client leaves mark_tag alone for WeCom's block")
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestSidebarSharesAndGroups(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)

	w := st.do(t, http.MethodPost, "/api/sidebar/shares", `{"product_id":"P001","external_userid":"`+st.mine+`","msgtype":"news"}`, me)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
	shares := card["recent_shares"].([]any)
	require.Len(t, shares, 1)
	assert.Equal(t, "P001", shares[0].(map[string]any)["product_id"])
	for _, r := range card["recommendations"].([]any) {
		rec := r.(map[string]any)
		assert.NotEqual(t, "P001", rec["product"].(map[string]any)["product_id"], "what was sent in the last 7 days is not offered again")
	}

	w = st.do(t, http.MethodGet, "/api/sidebar/groups/"+st.groupA, "", me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	g := decode(t, w)
	assert.Equal(t, st.guideA, g["owner"].(map[string]any)["userid"])
	assert.Greater(t, g["member_count"].(float64), float64(1))
	assert.NotEmpty(t, g["customers"])

	w = st.do(t, http.MethodPost, "/api/sidebar/shares", `{"product_id":"P001","chat_id":"`+st.groupA+`","msgtype":"miniprogram"}`, me)
	assert.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	w = st.do(t, http.MethodPost, "/api/sidebar/shares", `{"product_id":"P001","chat_id":"`+st.groupOther+`","msgtype":"news"}`, me)
	assert.Equal(t, http.StatusForbidden, w.Code, w.Body.String())
	w = st.do(t, http.MethodPost, "/api/sidebar/shares", `{"product_id":"P001","external_userid":"`+st.mine+`","msgtype":"news"}`)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
}

func TestSidebarStatic(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	assert.Equal(t, http.StatusNotFound, st.do(t, http.MethodGet, "/sidebar/", "").Code, "UI not built: a clear 404")
	assert.Equal(t, http.StatusFound, st.do(t, http.MethodGet, "/demo/", "").Code)
}

// A guide's tag edit is newer than a WeCom read that started before it: when that older read is
// applied afterwards (an edit_external_contact enriched just before the guide tapped), the graph
// keeps the guide's tags (issue 9 item 6: newest-wins for tags edited through guidebox too).
func TestSidebarTagEditBeatsAnOlderRead(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	before, ok := st.sim.Follower(st.guideA, st.mine)
	require.True(t, ok)
	added := ""
	for _, g := range st.sim.TagGroups() {
		for _, tg := range g.Tags {
			if added == "" && !contains(before.TagIDs, tg.ID) {
				added = tg.ID
			}
		}
	}
	ev := graph.Event{Key: "edit-before-tap", Event: graph.EventExternalContact, ChangeType: graph.ChangeEditExternalContact,
		UserID: st.guideA, ExternalUserID: st.mine, Time: time.Now()}
	older, err := st.graph.Prepare(context.Background(), graph.Lease{}, ev) // WeCom read with the old tags
	require.NoError(t, err)

	w := st.do(t, http.MethodPost, "/api/sidebar/customers/"+st.mine+"/tags", `{"add":["`+added+`"]}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.NoError(t, st.graph.ApplyPrepared(context.Background(), []graph.Prepared{older}))

	card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
	assert.True(t, tagIDsOf(card)[added], "the older read does not undo the guide's edit")
	for _, id := range before.TagIDs {
		assert.True(t, tagIDsOf(card)[id], "the tags the customer had stay")
	}
}
