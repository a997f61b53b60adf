package handler_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGuideSeesTheirTask: GET /api/sidebar/tasks lists the signed-in guide's task, what to send, to
// how many customers, by when, and turns done once WeCom says the guide sent it.
func TestGuideSeesTheirTask(t *testing.T) {
	t.Parallel()
	st := newSidebarStack(t, stackOpts{demo: true, tasks: true})
	assert.Equal(t, http.StatusUnauthorized, st.do(t, http.MethodGet, "/api/sidebar/tasks", "").Code)

	w := st.do(t, http.MethodGet, "/api/sidebar/tasks", "", st.demoSession(t, st.guideA))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	list := decode(t, w)["tasks"].([]any)
	require.Len(t, list, 1)
	task := list[0].(map[string]any)
	assert.Equal(t, "周末新品上市", task["title"])
	assert.Equal(t, "您好，周末新品已到店，欢迎来试穿～", task["text"])
	assert.Equal(t, "waiting", task["status"])
	assert.EqualValues(t, 1, task["customers"])
	assert.Equal(t, "周末新品", task["attachments"].([]any)[0].(map[string]any)["title"])
	assert.NotEmpty(t, task["deadline"])

	w = st.do(t, http.MethodGet, "/api/sidebar/tasks", "", st.demoSession(t, st.guideOther))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, decode(t, w)["tasks"], "another guide has no part in it")

	for _, id := range st.sim.PendingGroupMsgs(st.guideA) {
		require.NoError(t, st.sim.ConfirmGroupMsg(st.guideA, id))
	}
	_, err := st.tasks.RunTask(t.Context(), st.task.ID)
	require.NoError(t, err)
	w = st.do(t, http.MethodGet, "/api/sidebar/tasks", "", st.demoSession(t, st.guideA))
	require.Equal(t, http.StatusOK, w.Code)
	task = decode(t, w)["tasks"].([]any)[0].(map[string]any)
	assert.Equal(t, "done", task["status"])
	assert.EqualValues(t, 1, task["sent"])
}
