package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

// An order file has one row per line; an order with any bad row is refused whole, every row reported,
// and the import goes through the same idempotency as the API.
func TestImportOrders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, _, err := e.svc.Ingest(ctx, anOrder("EXISTS"))
	require.NoError(t, err)
	file := strings.Join([]string{
		"订单号,客户ID,UnionID,门店,导购,支付时间,订单金额(元),状态,货号,数量,单价(元)",
		"A1,wm-alice,,上海南京西路店,zhangsan,2025-05-01 14:30:00,298,已支付,P001,1,199",
		"A1,wm-alice,,上海南京西路店,zhangsan,2025-05-01 14:30:00,298,已支付,P002,1,99",
		"A2,,o-carol,3,,2025-05-02T10:00:00+08:00,10,,P003,2,5",
		"A3,wm-bob,,成都店,,2025-05-03 10:00,10,,P003,1,10",
		"A4,wm-bob,,2,,昨天,10,,P003,1,10",
		"A5,wm-bob,,2,,2025-05-03 10:00,10,,P003,1,10",
		"A5,wm-bob,,3,,2025-05-03 10:00,10,,P004,0,10",
		"EXISTS,wm-alice,,2,zhangsan,2025-05-01 14:30:00,1,,P001,1,199",
		"A6,wm-bob,,2,,2025-05-04 10:00,1.5,,P003,1,1.5",
		"EXISTS,wm-alice,,2,zhangsan,2025-05-01 14:30:00,298,已退款,P001,1,199",
		"EXISTS,wm-alice,,2,zhangsan,2025-05-01 14:30:00,298,已退款,P002,1,99",
	}, "\n")
	rep, err := e.svc.ImportOrders(ctx, rows(t, gbk(t, file)))
	require.NoError(t, err)
	assert.Equal(t, 11, rep.Rows)
	assert.Equal(t, 6, rep.Imported, "A1 (2 rows), A2, A6, and the refund of EXISTS (2 rows)")
	assert.Equal(t, 4, rep.Orders)
	assert.Equal(t, 5, rep.Refused)
	want := []catalog.RowError{
		{Line: 5, Field: "门店", Reason: "未知门店「成都店」（填写企业微信部门 ID 或门店名称）"},
		{Line: 6, Field: "支付时间", Reason: "「昨天」不是有效时间（如 2024-05-01 14:30:00 或 2024-05-01T14:30:00+08:00）"},
		{Line: 7, Reason: "同一订单的第 8 行有误，整单未导入"},
		{Line: 8, Field: "门店", Reason: "与同一订单第 7 行不一致"},
		{Line: 8, Field: "数量", Reason: "不能小于 1"},
		{Line: 9, Field: "订单号", Reason: "订单「EXISTS」已存在且内容不同（同一订单号只能对应同一订单；退款请只改状态）"},
	}
	assert.Equal(t, want, rep.Errors)

	a2, _, err := e.store.GetOrder(ctx, "A2")
	require.NoError(t, err)
	assert.Equal(t, "o-carol", a2.UnionID)
	assert.Equal(t, int64(1000), a2.TotalFen)
	ex, _, err := e.store.GetOrder(ctx, "EXISTS")
	require.NoError(t, err)
	assert.Equal(t, service.OrderRefunded, ex.Status, "a file listing a paid order as refunded refunds it")
	alice, err := e.svc.RecentOrders(ctx, "wm-alice", 5)
	require.NoError(t, err)
	require.Len(t, alice, 2)
	assert.Equal(t, "A1", alice[0].OrderID)
	assert.Len(t, alice[0].Lines, 2)
	assert.Equal(t, int64(29800), alice[0].TotalFen)

	again, err := e.svc.ImportOrders(ctx, rows(t, []byte("order_id,external_userid,store_id,paid_at,sku,qty,price_fen\n"+
		"A1,wm-alice,2,2025-05-01 14:30:00,P001,1,19900\n")))
	require.NoError(t, err)
	assert.Equal(t, 1, again.Refused, "A1 with one line is another body under a known order id")
	none, err := e.svc.ImportOrders(ctx, rows(t, []byte("order_id,external_userid,store_id,paid_at,sku,qty,price_fen\nB1,wm-dan,2,2025-05-01 14:30:00,P001,2,100\n")))
	require.NoError(t, err)
	assert.Equal(t, catalog.Report{Rows: 1, Imported: 1, Orders: 1}, none)
	b1, _, err := e.store.GetOrder(ctx, "B1")
	require.NoError(t, err)
	assert.Equal(t, int64(200), b1.TotalFen, "without an amount column the total is the lines' sum")
}

func TestImportOrdersRefusesAFileWithoutCustomerOrPrice(t *testing.T) {
	e := newEnv(t)
	for file, want := range map[string]string{
		"order_id,store_id,paid_at,sku,qty,price\n":                         "缺少客户列",
		"order_id,unionid,store_id,paid_at,sku,qty\n":                       "单价",
		"order_id,unionid,store_id,paid_at,qty,price\n":                     "缺少必需的列「货号」",
		"order_id,unionid,store_id,paid_at,sku,qty,price,total,total_fen\n": "订单金额只能有一列",
	} {
		_, err := e.svc.ImportOrders(context.Background(), rows(t, []byte(file)))
		var ve *service.ValidationError
		require.ErrorAs(t, err, &ve, file)
		assert.Contains(t, ve.Reason, want)
	}
}
