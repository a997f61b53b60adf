package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service"
)

// orderColumns are the columns of an order file: one row per order line, the order's own columns
// repeated on each of its rows, the rows of one order next to each other.
var orderColumns = []column{
	{key: "order_id", names: []string{"order_id", "订单号", "订单编号"}, need: true},
	{key: "external_userid", names: []string{"external_userid", "客户ID", "外部联系人ID"}},
	{key: "unionid", names: []string{"unionid", "UnionID"}},
	{key: "store", names: []string{"store_id", "门店", "门店ID", "门店名称"}, need: true},
	{key: "guide_userid", names: []string{"guide_userid", "导购", "导购ID"}},
	{key: "paid_at", names: []string{"paid_at", "支付时间", "下单时间", "付款时间"}, need: true},
	{key: "total", names: []string{"total", "订单金额(元)", "订单金额", "实付金额", "实付金额(元)"}},
	{key: "total_fen", names: []string{"total_fen", "订单金额(分)", "实付金额(分)"}},
	{key: "status", names: []string{"status", "状态", "订单状态"}},
	{key: "sku", names: []string{"sku", "货号", "商品编码"}, need: true},
	{key: "qty", names: []string{"qty", "数量"}, need: true},
	{key: "price", names: []string{"price", "单价(元)", "单价"}},
	{key: "price_fen", names: []string{"price_fen", "单价(分)"}},
}

// orderHead are the order's own columns, which every row of the order repeats.
var orderHead = []string{"external_userid", "unionid", "store", "guide_userid", "paid_at", "total", "total_fen", "status"}

// importOrders stores the orders of a file through Ingest, so a file and the API agree: an order
// already stored the same is kept as it is, a paid one listed as refunded is refunded, a different
// body under a known order id is refused. An order with any bad row is refused whole, each of its
// rows reported. Without an amount column the total is the sum of the lines.
func (s *Service) importOrders(ctx context.Context, rows Rows) (Report, error) {
	var rep Report
	t, err := openTable(rows, orderColumns)
	if err != nil {
		return rep, err
	}
	switch {
	case !t.has("external_userid") && !t.has("unionid"):
		return rep, unreadable("缺少客户列：「客户ID」（external_userid）或「UnionID」（unionid）")
	case t.has("price") == t.has("price_fen"):
		return rep, unreadable("需要且只能有一列单价：「单价(元)」（price）或「单价(分)」（price_fen）")
	case t.has("total") && t.has("total_fen"):
		return rep, unreadable("订单金额只能有一列：「订单金额(元)」（total）或「订单金额(分)」（total_fen）")
	}
	n, err := loadNames(ctx, s.store)
	if err != nil {
		return rep, fmt.Errorf("import orders: %w", err)
	}
	var group []orderRow
	for {
		r, errs, err := t.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return rep, errors.Join(err, s.importOrder(ctx, group, n, &rep))
		}
		rep.Rows++
		if errs != nil { // a row whose shape is wrong belongs to no order
			rep.refuse(errs)
			continue
		}
		row := orderRow{rec: r}
		if len(group) > 0 && r.get("order_id") != group[0].rec.get("order_id") {
			if err := s.importOrder(ctx, group, n, &rep); err != nil {
				return rep, err
			}
			group = group[:0]
		}
		group = append(group, row)
	}
}

// orderRow is one row of an order in a file, with what is wrong with it.
type orderRow struct {
	rec  record
	errs []RowError
}

func (r *orderRow) bad(key, why string) {
	if why != "" {
		r.errs = append(r.errs, RowError{Line: r.rec.line, Field: r.rec.t.name(key), Reason: why})
	}
}

// importOrder checks the rows of one order and stores it, reporting every row.
func (s *Service) importOrder(ctx context.Context, rows []orderRow, n *names, rep *Report) error {
	if len(rows) == 0 {
		return nil
	}
	in := readOrderHead(&rows[0], n)
	for i := range rows {
		r := &rows[i]
		for _, key := range orderHead {
			if i > 0 && r.rec.get(key) != rows[0].rec.get(key) {
				r.bad(key, fmt.Sprintf("与同一订单第 %d 行不一致", rows[0].rec.line))
			}
		}
		in.Lines = append(in.Lines, readOrderLine(r))
	}
	if in.TotalFen == nil && !rows[0].rec.t.has("total") && !rows[0].rec.t.has("total_fen") {
		sum := int64(0)
		for _, l := range in.Lines {
			if l.PriceFen != nil {
				sum += l.Qty * *l.PriceFen
			}
		}
		in.TotalFen = &sum
	}
	if refuseOrder(rows, rep) {
		return nil
	}
	_, _, err := s.Ingest(ctx, in)
	var ve *service.ValidationError
	switch {
	case err == nil:
		rep.Imported += len(rows)
		rep.Orders++
		return nil
	case errors.As(err, &ve):
		key, i := apiField(ve.Field)
		if t := rows[0].rec.t; !t.has(key) && t.has(key+"_fen") {
			key += "_fen"
		}
		rows[i].bad(key, ve.Reason)
	case errors.Is(err, service.ErrConflict):
		rows[0].bad("order_id", fmt.Sprintf("订单「%s」已存在且内容不同（同一订单号只能对应同一订单；退款请只改状态）", in.OrderID))
	default:
		return fmt.Errorf("import order %s: %w", in.OrderID, err)
	}
	refuseOrder(rows, rep)
	return nil
}

// refuseOrder reports every row of an order if any row is bad, and says whether it did.
func refuseOrder(rows []orderRow, rep *Report) bool {
	first := 0
	for first < len(rows) && len(rows[first].errs) == 0 {
		first++
	}
	if first == len(rows) {
		return false
	}
	for _, r := range rows {
		if len(r.errs) == 0 {
			r.errs = []RowError{{Line: r.rec.line, Reason: fmt.Sprintf("同一订单的第 %d 行有误，整单未导入", rows[first].rec.line)}}
		}
		rep.refuse(r.errs)
	}
	return true
}

// readOrderHead reads the order's own columns from its first row.
func readOrderHead(r *orderRow, n *names) OrderInput {
	in := OrderInput{OrderID: r.rec.get("order_id"), ExternalUserID: r.rec.get("external_userid"), UnionID: r.rec.get("unionid"),
		GuideUserID: r.rec.get("guide_userid"), Status: service.OrderPaid}
	if err := checkID("order_id", in.OrderID, true); err != nil {
		r.bad("order_id", idReason(in.OrderID))
	}
	if in.ExternalUserID == "" && in.UnionID == "" {
		r.bad(firstOf(r.rec.t, "external_userid", "unionid"), "客户ID 与 UnionID 至少填写一个")
	}
	for _, key := range []string{"external_userid", "unionid", "guide_userid"} {
		if v := r.rec.get(key); checkID(key, v, false) != nil {
			r.bad(key, idReason(v))
		}
	}
	var why string
	if in.StoreID, why = n.store(r.rec.get("store")); r.rec.get("store") == "" {
		why = "不能为空"
	}
	r.bad("store", why)
	paid, why := parseTime(r.rec.get("paid_at"))
	r.bad("paid_at", why)
	in.PaidAt = paid.Format(time.RFC3339Nano)
	var total int64
	switch {
	case r.rec.t.has("total_fen"):
		total, why = parseFen(r.rec.get("total_fen"))
		r.bad("total_fen", why)
		in.TotalFen = &total
	case r.rec.t.has("total"):
		total, why = parseYuan(r.rec.get("total"))
		r.bad("total", why)
		in.TotalFen = &total
	}
	switch strings.ToLower(r.rec.get("status")) {
	case "", "paid", "已支付", "支付", "已付款", "已完成":
	case "refunded", "已退款", "退款":
		in.Status = service.OrderRefunded
	default:
		r.bad("status", fmt.Sprintf("「%s」应为 已支付 或 已退款（paid / refunded）", r.rec.get("status")))
	}
	return in
}

// readOrderLine reads the line columns of a row.
func readOrderLine(r *orderRow) LineInput {
	l := LineInput{SKU: r.rec.get("sku")}
	r.bad("sku", skuReason(l.SKU))
	var why string
	l.Qty, why = parseCount(r.rec.get("qty"), 1, 1_000_000)
	r.bad("qty", why)
	var price int64
	if r.rec.t.has("price_fen") {
		price, why = parseFen(r.rec.get("price_fen"))
		r.bad("price_fen", why)
	} else {
		price, why = parseYuan(r.rec.get("price"))
		r.bad("price", why)
	}
	l.PriceFen = &price
	return l
}

func idReason(v string) string {
	if v == "" {
		return "不能为空"
	}
	if len(v) > 64 {
		return "过长（最多 64 个字节）"
	}
	return "不能含空格、换行或无法识别的字符"
}

func firstOf(t *table, keys ...string) string {
	for _, k := range keys {
		if t.has(k) {
			return k
		}
	}
	return keys[0]
}

var lineField = regexp.MustCompile(`^lines\[(\d+)\]\.(\w+)$`)

// apiField maps a field Ingest names to the column and the row (of the order) it came from.
func apiField(f string) (key string, row int) {
	if m := lineField.FindStringSubmatch(f); m != nil {
		i, _ := strconv.Atoi(m[1])
		key = m[2]
		if key == "price_fen" {
			key = "price" // the name maps back to whichever price column the file has
		}
		return key, i
	}
	switch f {
	case "store_id":
		return "store", 0
	case "total_fen":
		return "total", 0
	case "lines":
		return "sku", 0
	}
	return f, 0
}
