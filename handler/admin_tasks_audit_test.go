package handler_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Creating, reminding and ending a task each leave a row in the audit log (操作日志): who, what, on which
// task, its store and the actor's scope.
func TestTaskWritesAreAudited(t *testing.T) {
	a := newTasksAdmin(t)
	deadline := time.Now().Add(24 * time.Hour).Format(time.RFC3339)
	code, created := a.do(t, http.MethodPost, "/api/admin/tasks", "tok-boss",
		`{"title":"周末新品","text":"您好","target":{"store_ids":[10]},"deadline":"`+deadline+`"}`)
	require.Equal(t, 201, code, created)
	id := int64(created["id"].(float64))
	_, err := a.svc.RunTask(t.Context(), id)
	require.NoError(t, err)
	path := fmt.Sprintf("/api/admin/tasks/%d", id)
	code, out := a.do(t, http.MethodPost, path+"/remind", "tok-boss", "")
	require.Equal(t, 200, code, out)
	require.Len(t, out["reminded"], 1)
	code, out = a.do(t, http.MethodPost, path+"/cancel", "tok-boss", "")
	require.Equal(t, 200, code, out)
	code, _ = a.do(t, http.MethodPost, path+"/cancel", "tok-boss", "")
	require.Equal(t, 409, code, "a second end changes nothing")

	code, log := a.do(t, http.MethodGet, "/api/admin/audit", "tok-boss", "")
	require.Equal(t, 200, code, log)
	entries := log["entries"].([]any)
	require.Len(t, entries, 3, "create, remind, cancel; the refused second cancel leaves none")
	want := []struct{ action, detail string }{{"cancel_task", "周末新品"}, {"remind_task", "周末新品：提醒 1 位导购"}, {"create_task", "周末新品"}}
	for i, w := range want {
		e := entries[i].(map[string]any)
		assert.Equal(t, w.action, e["action"])
		assert.Equal(t, w.detail, e["detail"])
		assert.Equal(t, "boss", e["actor"])
		assert.Equal(t, fmt.Sprintf("task:%d", id), e["target"])
		assert.EqualValues(t, 10, e["store_id"], "the task's only store")
		assert.Equal(t, "徐汇店", e["store_name"])
		assert.Equal(t, "all", e["scope"])
	}
}
