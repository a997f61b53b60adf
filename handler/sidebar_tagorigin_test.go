package handler_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tagsOf maps a card's (or a tag edit's) tags by id to their fields.
func tagsOf(body map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, g := range body["tags"].([]any) {
		for _, tg := range g.(map[string]any)["tags"].([]any) {
			m := tg.(map[string]any)
			out[m["tag_id"].(string)] = m
		}
	}
	return out
}

// Each tag on the card says where it came from: read from WeCom, a guide's edit in the sidebar, or an
// auto-tag rule (named) — a rule's tag on the customer that is not on this guide's edge is marked auto.
func TestCardTagsSayWhereTheyCameFrom(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me := st.demoSession(t, st.guideA)
	card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
	before := tagsOf(card)
	require.NotEmpty(t, before)
	for id, tg := range before {
		assert.Equal(t, "wecom", tg["origin"], id)
		assert.Nil(t, tg["auto"], id)
	}
	var added, ruled string
	for _, g := range st.sim.TagGroups() {
		for _, tg := range g.Tags {
			if before[tg.ID] == nil && added == "" {
				added = tg.ID
			} else if before[tg.ID] == nil && ruled == "" {
				ruled = tg.ID
			}
		}
	}
	w := st.do(t, http.MethodPost, "/api/sidebar/customers/"+st.mine+"/tags", `{"add":["`+added+`"]}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, "guide", tagsOf(decode(t, w))[added]["origin"])

	require.NoError(t, st.db.Exec(`INSERT INTO autotag_rules (corp_id, name, kind, days, tag_id, to_wecom, created_at, updated_at)
		VALUES (?, '半年未购', 'dormant', 180, ?, 0, NOW(), NOW())`, sbCorp, ruled).Error)
	require.NoError(t, st.db.Exec(`INSERT INTO customer_auto_tags (corp_id, external_userid, rule_id, tag_id, since)
		SELECT corp_id, ?, id, tag_id, NOW() FROM autotag_rules WHERE corp_id = ?`, st.mine, sbCorp).Error)
	tags := tagsOf(decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me)))
	assert.Equal(t, "guide", tags[added]["origin"])
	require.NotNil(t, tags[ruled], "the rule's tag is on the card")
	assert.Equal(t, "rule", tags[ruled]["origin"])
	assert.Equal(t, "半年未购", tags[ruled]["rule"])
	assert.Equal(t, true, tags[ruled]["auto"], "the customer's by the rule, not on the guide's edge")
	for id := range before {
		assert.Equal(t, "wecom", tags[id]["origin"], id)
	}
}
