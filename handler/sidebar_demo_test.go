package handler_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemoDirectoryMarksAdmins: the demo picker learns which demo guides may open the admin pages, and
// the demo login says so, so the picker can offer them the way in.
func TestDemoDirectoryMarksAdmins(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true, admins: []string{"chentingting"}})
	w := st.do(t, http.MethodGet, "/demo/api/directory", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	var admins []string
	for _, g := range decode(t, w)["guides"].([]any) {
		if g := g.(map[string]any); g["admin"] == true {
			admins = append(admins, g["userid"].(string))
		}
	}
	assert.Equal(t, []string{"chentingting"}, admins)

	w = st.do(t, http.MethodPost, "/demo/api/login", `{"userid":"chentingting"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, true, decode(t, w)["admin"])
	w = st.do(t, http.MethodPost, "/demo/api/login", `{"userid":"`+st.guideA+`"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, false, decode(t, w)["admin"])
}
