package handler_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

func TestTaskPreviewCountsWhomATaskReachesAndCreatesNothing(t *testing.T) {
	a := newTasksAdmin(t)
	code, out := a.do(t, http.MethodPost, "/api/admin/tasks/preview", "tok-boss", `{"target":{"store_ids":[10]}}`)
	require.Equal(t, 200, code, out)
	assert.EqualValues(t, 1, out["customers"])
	assert.EqualValues(t, 1, out["guides"])
	assert.Equal(t, false, out["capped"])
	assert.Equal(t, []any{map[string]any{"store_id": float64(10), "customers": float64(1), "guides": float64(1)}}, out["stores"])

	code, out = a.do(t, http.MethodPost, "/api/admin/tasks/preview", "tok-boss", `{"target":{"store_ids":[99]}}`)
	require.Equal(t, 200, code, out)
	assert.EqualValues(t, 0, out["customers"], "no guide of store 99")

	code, out = a.do(t, http.MethodPost, "/api/admin/tasks/preview", "tok-boss", `{"target":{"external_userids":["wm-nobody"]}}`)
	require.Equal(t, 200, code, out)
	assert.EqualValues(t, 0, out["customers"], "an unknown customer reaches nobody")

	code, out = a.do(t, http.MethodPost, "/api/admin/tasks/preview", "tok-boss", `{"target":{}}`)
	require.Equal(t, 400, code)
	assert.Contains(t, out["message"], "invalid target:")
	code, _ = a.do(t, http.MethodPost, "/api/admin/tasks/preview", "tok-guide", `{"target":{"store_ids":[10]}}`)
	assert.Equal(t, 403, code, "a guide is no admin")

	code, list := a.do(t, http.MethodGet, "/api/admin/tasks", "tok-boss", "")
	require.Equal(t, 200, code)
	assert.Empty(t, list["tasks"], "a preview creates no task")
	assert.Empty(t, a.sim.PendingGroupMsgs("anna"), "and sends nothing")

	// A store manager's preview: narrowed to their stores, another store refused.
	ctx := t.Context()
	list2 := tasks.Target{ExternalUserIDs: []string{a.customer}}
	r, err := a.svc.Preview(ctx, list2, tasks.Scope{StoreIDs: []int64{10}})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Customers, "no store named: the manager's stores")
	r, err = a.svc.Preview(ctx, list2, tasks.Scope{StoreIDs: []int64{11}})
	require.NoError(t, err)
	assert.Equal(t, 0, r.Customers, "the customer's guide is in store 10, outside the manager's store 11")
	_, err = a.svc.Preview(ctx, tasks.Target{StoreIDs: []int64{10}}, tasks.Scope{StoreIDs: []int64{11}})
	require.ErrorIs(t, err, service.ErrForbidden)
}
