package sim

import (
	"testing"
	"time"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/transfer/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResignedTransfer(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	e.clock.Advance(time.Hour)
	require.NoError(t, e.sim.ResignUser("zhangsan"))

	u, err := e.app.User.Get(e.ctx, "zhangsan")
	require.NoError(t, err)
	assert.Equal(t, 60111, u.ErrCode, "resigned members are gone from the directory")

	un, err := e.app.ExternalContactTransfer.GetUnassignedList(e.ctx, 0, "", 100)
	require.NoError(t, err)
	require.Len(t, un.Info, 1)
	assert.Equal(t, "zhangsan", (*un.Info[0])["handover_userid"])
	assert.Equal(t, ext, (*un.Info[0])["external_userid"])
	assert.Equal(t, float64(t0.Add(time.Hour).Unix()), (*un.Info[0])["dimission_time"])
	assert.True(t, un.IsLast)

	assertResignedRejections(t, e, ext)
	res, err := e.app.ExternalContactTransfer.ResignedTransferCustomer(e.ctx,
		&request.RequestResignedTransferCustomer{HandoverUserID: "zhangsan", TakeoverUserID: "lisi", ExternalUserID: []string{ext}})
	require.NoError(t, err)
	assert.Equal(t, float64(0), (*res.Customer[0])["errcode"])

	e.clock.Advance(24 * time.Hour)
	// PowerWeChat's ResignedTransferResult drops next_cursor: page by hand.
	var out struct {
		ErrCode  int `json:"errcode"`
		Customer []struct {
			ExternalUserID string `json:"external_userid"`
			Status         int    `json:"status"`
			TakeoverTime   int64  `json:"takeover_time"`
		} `json:"customer"`
		NextCursor string `json:"next_cursor"`
	}
	e.postJSON(t, "cgi-bin/externalcontact/resigned/transfer_result",
		map[string]string{"handover_userid": "zhangsan", "takeover_userid": "lisi", "cursor": ""}, &out)
	require.Len(t, out.Customer, 1)
	assert.Equal(t, 1, out.Customer[0].Status)
	assert.Empty(t, out.NextCursor)

	_, ok := e.sim.Follower("lisi", ext)
	assert.True(t, ok)
	assert.Empty(t, e.sim.Unassigned())
	e.flush(t)
	assert.Equal(t, []string{"add_external_contact:zhangsan:" + ext, "add_external_contact:lisi:" + ext},
		changes(e.recv.messages()), "no del_external_contact: the handover is gone")
	msgs := e.recv.messages()
	assert.Equal(t, "delete_user", msgs[3].ChangeType)
}

// assertResignedRejections checks the whole-call and per-customer refusals
// around a resigned handover (zhangsan) and adds the member wangwu.
func assertResignedRejections(t *testing.T, e *env, ext string) {
	inService, err := e.app.ExternalContactTransfer.TransferCustomer(e.ctx, &request.RequestTransferCustomer{
		HandoverUserID: "zhangsan", TakeoverUserID: "lisi", ExternalUserID: []string{ext}})
	require.NoError(t, err)
	assert.Equal(t, 60111, inService.ErrCode, "a resigned handover needs the resigned API")

	notResigned, err := e.app.ExternalContactTransfer.ResignedTransferCustomer(e.ctx,
		&request.RequestResignedTransferCustomer{HandoverUserID: "lisi", TakeoverUserID: "zhangsan", ExternalUserID: []string{ext}})
	require.NoError(t, err)
	assert.Equal(t, 60111, notResigned.ErrCode, "takeover must be active")

	e.sim.AddUser(User{UserID: "wangwu", Name: "王五"})
	res, err := e.app.ExternalContactTransfer.ResignedTransferCustomer(e.ctx,
		&request.RequestResignedTransferCustomer{HandoverUserID: "lisi", TakeoverUserID: "wangwu", ExternalUserID: []string{ext}})
	require.NoError(t, err)
	assert.Equal(t, float64(40097), (*res.Customer[0])["errcode"], "handover has not resigned")
}

func TestUnassignedListPaging(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	for range 4 {
		_, _, err := e.sim.CustomerAddsGuide("zhangsan", Customer{Name: "客户"}, "")
		require.NoError(t, err)
	}
	require.NoError(t, e.sim.ResignUser("zhangsan"))
	var seen []string
	cursor := ""
	for range 5 {
		res, err := e.app.ExternalContactTransfer.GetUnassignedList(e.ctx, 0, cursor, 2)
		require.NoError(t, err)
		for _, it := range res.Info {
			seen = append(seen, (*it)["external_userid"].(string))
		}
		if res.IsLast {
			break
		}
		cursor = res.NextCursor
	}
	assert.ElementsMatch(t, e.unassignedIDs(), seen)
	assert.Len(t, seen, 5)

	tooFar, err := e.app.ExternalContactTransfer.GetUnassignedList(e.ctx, 50, "", 1000)
	require.NoError(t, err)
	assert.Equal(t, 40058, tooFar.ErrCode, "page_id*page_size must stay below 50000")
}

func (e *env) unassignedIDs() []string {
	var ids []string
	for _, u := range e.sim.Unassigned() {
		ids = append(ids, u.ExternalUserID)
	}
	return ids
}
