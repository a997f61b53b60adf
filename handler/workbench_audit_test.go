package handler_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The corp's workbench settings changed in the console (groups, replies, fields, stages, channels) are
// in the audit log with the admin and their scope; a guide's own replies are not.
func TestWorkbenchAdminWritesAreAudited(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	ok := func(method, path, body string) map[string]any {
		w := st.do(t, method, path, body, boss)
		require.Less(t, w.Code, 300, "%s %s: %s", method, path, w.Body.String())
		if w.Body.Len() == 0 {
			return nil
		}
		return decode(t, w)
	}
	g := ok(http.MethodPost, "/api/admin/workbench/library/groups", `{"library":"reply","name":"开场白"}`)
	gid := jsonNumber(g["id"])
	it := ok(http.MethodPost, "/api/admin/workbench/library/items", `{"group_id":`+gid+`,"kind":"text","content":"您好，我是您的专属导购"}`)
	ok(http.MethodDelete, "/api/admin/workbench/library/items/"+jsonNumber(it["id"]), "")
	ok(http.MethodPost, "/api/admin/workbench/fields", `{"field_id":"skin","name":"肤质","type":"select","options":["干性","油性"]}`)
	ok(http.MethodPut, "/api/admin/workbench/fields/skin", `{"name":"肤质","options":["干性","油性"],"archived":true}`)
	ok(http.MethodPut, "/api/admin/workbench/stages", `{"stages":[{"name":"初次接触"},{"name":"有意向"}]}`)
	ok(http.MethodPut, "/api/admin/workbench/channels", `{"state":"store_poster","name":"门店海报"}`)
	ok(http.MethodDelete, "/api/admin/workbench/channels?state=store_poster", "")
	w := st.do(t, http.MethodPost, "/api/sidebar/library/groups", `{"library":"reply","name":"我的话术"}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())

	var rows []struct{ Actor, Action, Target, Scope, Detail string }
	require.NoError(t, st.db.Raw("SELECT actor, action, target, scope, detail FROM admin_audit WHERE corp_id = ? ORDER BY id", sbCorp).Scan(&rows).Error)
	var got []string
	for _, r := range rows {
		assert.Equal(t, st.admin, r.Actor)
		assert.Equal(t, "all", r.Scope)
		got = append(got, fmt.Sprintf("%s %s %s", r.Action, r.Target, r.Detail))
	}
	assert.Equal(t, []string{
		"library_group_save library_group:" + gid + " 新建「开场白」",
		"library_item_save library_item:" + jsonNumber(it["id"]) + " 新建「您好，我是您的专属导购」",
		"library_item_delete library_item:" + jsonNumber(it["id"]) + " 「您好，我是您的专属导购」",
		"field_save field:skin 新建「肤质」",
		"field_save field:skin 停用「肤质」",
		"stages_save  初次接触 → 有意向",
		"channel_save channel:store_poster store_poster →「门店海报」",
		"channel_delete channel:store_poster store_poster",
	}, got, "a guide's own group is not logged")
}
