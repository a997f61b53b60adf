package handler_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// homeIDs are the customers the home lists as due (today or overdue).
func homeIDs(home map[string]any, lists ...string) []string {
	var out []string
	for _, l := range lists {
		for _, e := range home[l].([]any) {
			out = append(out, e.(map[string]any)["external_userid"].(string))
		}
	}
	return out
}

func TestWorkbenchNotesAndHome(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	w := st.do(t, http.MethodPut, "/api/admin/workbench/stages", `{"stages":[{"stage_id":"contact","name":"初次接触"},{"stage_id":"intent","name":"有意向"}]}`, boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPut, "/api/admin/workbench/stages", `{"stages":[]}`, me).Code)

	next := time.Now().Add(time.Minute).UTC().Format(time.RFC3339)
	path := "/api/sidebar/customers/" + st.mine + "/notes"
	w = st.do(t, http.MethodPost, path, `{"body":"试了大衣，约周六再来","stage_id":"intent","next_at":"`+next+`"}`, me)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	note := decode(t, w)
	assert.Equal(t, true, note["mine"])
	assert.Equal(t, "有意向", note["stage_name"])

	notes := decode(t, st.do(t, http.MethodGet, path, "", me))["notes"].([]any)
	require.Len(t, notes, 1)
	home := decode(t, st.do(t, http.MethodGet, "/api/sidebar/home", "", me))
	assert.Contains(t, homeIDs(home, "due_today", "overdue"), st.mine, "today's follow-up is on the home")
	card := decode(t, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.mine, "", me))
	assert.Equal(t, "有意向", card["workbench"].(map[string]any)["stage"])
	assert.NotNil(t, card["workbench"].(map[string]any)["next_follow_up"])

	for name, tt := range map[string]struct {
		path, body, field string
		want              int
	}{
		"next follow-up in the past": {path, `{"body":"x","next_at":"2020-01-01T00:00:00Z"}`, "next_at", http.StatusBadRequest},
		"no body":                    {path, `{"body":""}`, "body", http.StatusBadRequest},
		"unknown stage":              {path, `{"body":"x","stage_id":"nope"}`, "stage_id", http.StatusBadRequest},
		"not a time":                 {path, `{"body":"x","next_at":"tomorrow"}`, "body", http.StatusBadRequest},
		"another guide's customer":   {"/api/sidebar/customers/" + st.otherCus + "/notes", `{"body":"x"}`, "", http.StatusForbidden},
		"a lost customer":            {"/api/sidebar/customers/" + st.lost + "/notes", `{"body":"x"}`, "", http.StatusForbidden},
	} {
		t.Run(name, func(t *testing.T) {
			w := st.do(t, http.MethodPost, tt.path, tt.body, me)
			assert.Equal(t, tt.want, w.Code, w.Body.String())
			if tt.field != "" {
				assert.Contains(t, decode(t, w)["message"], "invalid "+tt.field)
			}
		})
	}
	assert.Equal(t, http.StatusOK, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.lost+"/notes", "", me).Code, "a lost customer's notes stay readable")
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.otherCus+"/notes", "", me).Code)
	assert.Equal(t, http.StatusUnauthorized, st.do(t, http.MethodGet, "/api/sidebar/home", "").Code)
}

// Profile fields are defined by admins; each type's bad values are a 400 naming the field.
func TestWorkbenchProfileAPI(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	for _, f := range []string{
		`{"field_id":"birthday","name":"生日","type":"date","birthday":true}`,
		`{"field_id":"skin","name":"肤质","type":"multiselect","options":["干性","油性","混合","敏感"]}`,
		`{"field_id":"size","name":"尺码","type":"select","options":["S","M","L"]}`,
		`{"field_id":"points","name":"会员积分","type":"number"}`,
		`{"field_id":"prefer","name":"偏好说明","type":"text"}`,
	} {
		w := st.do(t, http.MethodPost, "/api/admin/workbench/fields", f, boss)
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	}
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPost, "/api/admin/workbench/fields", `{"field_id":"x","name":"x","type":"text"}`, me).Code)
	w := st.do(t, http.MethodPost, "/api/admin/workbench/fields", `{"field_id":"shoe","name":"鞋码","type":"select"}`, boss)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, decode(t, w)["message"], "invalid options")

	path := "/api/sidebar/customers/" + st.mine + "/profile"
	w = st.do(t, http.MethodPut, path, `{"values":{"birthday":"1990-05-03","skin":["敏感","干性"],"size":"M","points":1280,"prefer":"大地色系"}}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	p := decode(t, w)
	assert.Equal(t, []any{"干性", "敏感"}, p["values"].(map[string]any)["skin"])
	assert.Equal(t, 1280.0, p["values"].(map[string]any)["points"])
	for body, field := range map[string]string{
		`{"values":{"birthday":"1990-02-30"}}`: "values.birthday",
		`{"values":{"skin":["中性"]}}`:           "values.skin",
		`{"values":{"size":"XXL"}}`:            "values.size",
		`{"values":{"points":"很多"}}`:           "values.points",
		`{"values":{"prefer":["x"]}}`:          "values.prefer",
		`{"values":{"shoe":"42"}}`:             "values.shoe",
	} {
		w := st.do(t, http.MethodPut, path, body, me)
		assert.Equal(t, http.StatusBadRequest, w.Code, body)
		assert.Contains(t, decode(t, w)["message"], "invalid "+field, body)
	}
	p = decode(t, st.do(t, http.MethodGet, path, "", me))
	assert.Equal(t, "M", p["values"].(map[string]any)["size"], "a refused edit changes nothing")
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPut, "/api/sidebar/customers/"+st.lost+"/profile", `{"values":{"size":"S"}}`, me).Code)
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodGet, "/api/sidebar/customers/"+st.otherCus+"/profile", "", me).Code)

	hits := decode(t, st.do(t, http.MethodGet, "/api/admin/workbench/profiles?field_id=size&q=M", "", boss))["customers"].([]any)
	require.Len(t, hits, 1)
	assert.Equal(t, st.mine, hits[0].(map[string]any)["external_userid"])
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodGet, "/api/admin/workbench/profiles?field_id=size&q=M", "", me).Code)
}

// Another guide's personal replies do not exist for a guide (404 whatever the operation); corp
// replies are read by all and edited by admins only (403 through the guides' API).
func TestWorkbenchReplyVisibility(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, other, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.guideOther), st.demoSession(t, st.admin)
	w := st.do(t, http.MethodPost, "/api/admin/workbench/library/groups", `{"library":"reply","name":"开场问候"}`, boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	corpGroup := int64(decode(t, w)["id"].(float64))
	w = st.do(t, http.MethodPost, "/api/admin/workbench/library/items", fmt.Sprintf(`{"group_id":%d,"kind":"text","title":"问候","content":"您好～"}`, corpGroup), boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	corpItem := int64(decode(t, w)["id"].(float64))
	w = st.do(t, http.MethodPost, "/api/sidebar/library/groups", `{"library":"reply","name":"我的话术"}`, me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	mine := int64(decode(t, w)["id"].(float64))
	w = st.do(t, http.MethodPost, "/api/sidebar/library/items", fmt.Sprintf(`{"group_id":%d,"kind":"text","content":"周末到店有礼"}`, mine), me)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	myItem := int64(decode(t, w)["id"].(float64))

	lib := decode(t, st.do(t, http.MethodGet, "/api/sidebar/library/reply", "", other))["groups"].([]any)
	require.Len(t, lib, 1, "the other guide sees the corp's group only")
	assert.Equal(t, true, lib[0].(map[string]any)["corp"])
	lib = decode(t, st.do(t, http.MethodGet, "/api/sidebar/library/reply", "", me))["groups"].([]any)
	require.Len(t, lib, 2)

	item := fmt.Sprintf("/api/sidebar/library/items/%d", myItem)
	toOther := `{"external_userid":"` + st.otherCus + `"}`
	for name, req := range map[string][3]string{
		"message":      {http.MethodPost, item + "/message", toOther},
		"record send":  {http.MethodPost, "/api/sidebar/sends", fmt.Sprintf(`{"item_id":%d,"external_userid":"%s"}`, myItem, st.otherCus)},
		"edit":         {http.MethodPut, item, `{"content":"改了"}`},
		"delete":       {http.MethodDelete, item, ""},
		"rename group": {http.MethodPut, fmt.Sprintf("/api/sidebar/library/groups/%d", mine), `{"name":"改了"}`},
		"picture":      {http.MethodGet, item + "/image", ""},
	} {
		t.Run("another guide's reply: "+name, func(t *testing.T) {
			w := st.do(t, req[0], req[1], req[2], other)
			assert.Equal(t, http.StatusNotFound, w.Code, w.Body.String())
		})
	}
	w = st.do(t, http.MethodPut, fmt.Sprintf("/api/sidebar/library/items/%d", corpItem), `{"content":"改了"}`, me)
	assert.Equal(t, http.StatusForbidden, w.Code, "corp replies are the admins'")
	assert.Equal(t, http.StatusForbidden, st.do(t, http.MethodPost, "/api/admin/workbench/library/groups", `{"library":"reply","name":"x"}`, me).Code)

	w = st.do(t, http.MethodPost, fmt.Sprintf("/api/sidebar/library/items/%d/message", corpItem), toOther, other)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, map[string]any{"msgtype": "text", "text": map[string]any{"content": "您好～"}}, decode(t, w))
	w = st.do(t, http.MethodPost, "/api/sidebar/sends", fmt.Sprintf(`{"item_id":%d,"external_userid":"%s"}`, corpItem, st.otherCus), other)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	assert.Equal(t, "问候", decode(t, w)["title"])
	w = st.do(t, http.MethodPost, "/api/sidebar/sends", fmt.Sprintf(`{"item_id":%d,"external_userid":"%s"}`, corpItem, st.mine), other)
	assert.Equal(t, http.StatusForbidden, w.Code, "only into the guide's own chats")
}

// An image material is uploaded to WeCom once and its media id reused by every send.
func TestWorkbenchImageUploadedOnce(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true})
	me, boss := st.demoSession(t, st.guideA), st.demoSession(t, st.admin)
	w := st.do(t, http.MethodPost, "/api/admin/workbench/library/groups", `{"library":"material","name":"新品"}`, boss)
	group := int64(decode(t, w)["id"].(float64))
	w = st.do(t, http.MethodPost, "/api/admin/workbench/library/items", fmt.Sprintf(`{"group_id":%d,"kind":"image","title":"海报"}`, group), boss)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	id := int64(decode(t, w)["id"].(float64))
	png := append([]byte("\x89PNG\r\n\x1a\n"), []byte(strings.Repeat("x", 100))...)
	w = st.do(t, http.MethodPut, fmt.Sprintf("/api/admin/workbench/library/items/%d/image", id), `{"data":"`+base64.StdEncoding.EncodeToString(png)+`"}`, boss)
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	w = st.do(t, http.MethodPut, fmt.Sprintf("/api/admin/workbench/library/items/%d/image", id), `{"data":"R0lGODlh"}`, boss)
	assert.Equal(t, http.StatusBadRequest, w.Code, "a GIF is refused before WeCom")

	msg := fmt.Sprintf("/api/sidebar/library/items/%d/message", id)
	first := decode(t, st.do(t, http.MethodPost, msg, `{"external_userid":"`+st.mine+`"}`, me))
	require.Equal(t, "image", first["msgtype"], first)
	mediaID := first["image"].(map[string]any)["mediaid"].(string)
	assert.True(t, st.sim.MediaValid(mediaID))
	again := decode(t, st.do(t, http.MethodPost, msg, `{"chat_id":"`+st.groupA+`"}`, me))
	assert.Equal(t, mediaID, again["image"].(map[string]any)["mediaid"], "the media id is reused")
	assert.Len(t, st.sim.MediaUploads(), 1, "uploaded once")
	pic := st.do(t, http.MethodGet, fmt.Sprintf("/api/sidebar/library/items/%d/image", id), "", me)
	assert.Equal(t, "image/png", pic.Header().Get("Content-Type"))
	assert.Equal(t, png, pic.Body.Bytes())
}
