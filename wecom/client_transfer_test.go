package wecom_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom"
	"github.com/guidebox/guidebox/wecom/sim"
)

func TestTransferCustomer(t *testing.T) {
	e := newEnv(t)
	e.seed(t)

	res, err := e.client.TransferCustomer(ctx, "zhangsan", "lisi", []string{"wmwang", "wmunknown"}, "您好，后续由李四为您服务")
	require.NoError(t, err)
	assert.Equal(t, []wecom.CustomerResult{{"wmwang", 0}, {"wmunknown", wecom.CodeInvalidExternalID}}, res)

	again, err := e.client.TransferCustomer(ctx, "zhangsan", "lisi", []string{"wmwang"}, "")
	require.NoError(t, err)
	require.Len(t, again, 1)
	assert.NotZero(t, again[0].ErrCode, "a transfer is already running")

	page, err := e.client.TransferResult(ctx, "zhangsan", "lisi", "")
	require.NoError(t, err)
	require.Len(t, page.Customers, 1)
	assert.Equal(t, wecom.TransferWaiting, page.Customers[0].Status)
	assert.Equal(t, e.sim.Now().Add(24*time.Hour).Unix(), page.Customers[0].TakeoverTime)
	assert.Empty(t, page.NextCursor)

	e.clock.Advance(24*time.Hour + time.Second)
	page, err = e.client.TransferResult(ctx, "zhangsan", "lisi", "")
	require.NoError(t, err)
	assert.Equal(t, wecom.TransferDone, page.Customers[0].Status)
	ids, err := e.client.ListExternalContacts(ctx, "lisi")
	require.NoError(t, err)
	assert.Contains(t, ids, "wmwang")

	same, err := e.client.TransferCustomer(ctx, "lisi", "lisi", []string{"wmwang"}, "")
	require.NoError(t, err)
	assert.Equal(t, wecom.CodeTransferSameUser, same[0].ErrCode)
}

func TestResignedTransferPages(t *testing.T) {
	e := newEnv(t)
	e.seed(t)
	corp := &sim.Corp{}
	for i := range 1005 {
		id := fmt.Sprintf("wmleft%04d", i)
		corp.Customers = append(corp.Customers, sim.Customer{ExternalUserID: id, Name: id})
		corp.Follows = append(corp.Follows, sim.Follow{UserID: "lisi", ExternalUserID: id, CreateTime: t0})
	}
	require.NoError(t, e.sim.Load(corp))

	res, err := e.client.ResignedTransferCustomer(ctx, "lisi", "zhangsan", []string{"wmleft0000"})
	require.NoError(t, err)
	assert.Equal(t, wecom.CodeHandoverNotLeft, res[0].ErrCode)

	require.NoError(t, e.sim.ResignUser("lisi"))
	var unassigned []string
	cursor := ""
	for range 10 {
		page, err := e.client.GetUnassignedList(ctx, cursor, 400)
		require.NoError(t, err)
		for _, u := range page.Items {
			assert.Equal(t, "lisi", u.HandoverUserID)
			unassigned = append(unassigned, u.ExternalUserID)
		}
		if page.IsLast {
			break
		}
		cursor = page.NextCursor
	}
	require.Len(t, unassigned, 1005)

	for i := 0; i < len(unassigned); i += 100 {
		res, err := e.client.ResignedTransferCustomer(ctx, "lisi", "zhangsan", unassigned[i:min(i+100, len(unassigned))])
		require.NoError(t, err)
		for _, r := range res {
			require.Zero(t, r.ErrCode, r.ExternalUserID)
		}
	}
	first, err := e.client.ResignedTransferResult(ctx, "lisi", "zhangsan", "")
	require.NoError(t, err)
	assert.Len(t, first.Customers, 1000)
	require.NotEmpty(t, first.NextCursor, "next_cursor survives, unlike PowerWeChat's typed call")
	second, err := e.client.ResignedTransferResult(ctx, "lisi", "zhangsan", first.NextCursor)
	require.NoError(t, err)
	assert.Len(t, second.Customers, 5)
	assert.Empty(t, second.NextCursor)
	assert.Equal(t, wecom.TransferWaiting, second.Customers[0].Status)
}
