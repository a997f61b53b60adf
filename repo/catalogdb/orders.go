package catalogdb

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

type orderRow struct {
	CorpID         string `gorm:"primaryKey"`
	OrderID        string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"column:external_userid"`
	UnionID        string `gorm:"column:unionid"`
	StoreID        int64
	GuideUserID    string `gorm:"column:guide_userid"`
	PaidAt         time.Time
	TotalFen       int64
	Status         string
	RefundedAt     *time.Time
	BodyHash       string
	ReceivedAt     time.Time
}

func (orderRow) TableName() string { return "orders" }

type lineRow struct {
	CorpID         string `gorm:"primaryKey"`
	OrderID        string `gorm:"primaryKey"`
	LineNo         int    `gorm:"primaryKey;autoIncrement:false"`
	SKU            string `gorm:"column:sku"`
	Qty            int64
	PriceFen       int64
	ExternalUserID string `gorm:"column:external_userid"`
	StoreID        int64
	PaidAt         time.Time
	Refunded       bool
}

func (lineRow) TableName() string { return "order_lines" }

func toOrder(r orderRow) service.Order {
	return service.Order{OrderID: r.OrderID, ExternalUserID: r.ExternalUserID, UnionID: r.UnionID, StoreID: r.StoreID,
		GuideUserID: r.GuideUserID, PaidAt: r.PaidAt.UTC(), TotalFen: r.TotalFen, Status: r.Status, RefundedAt: sqlstore.UTCPtr(r.RefundedAt)}
}

// ExistingOrders says which of the order ids are stored (the primary key).
func (s *Store) ExistingOrders(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []string
	if err := sqlstore.Conn(ctx, s.db).Model(&orderRow{}).Where("corp_id = ? AND order_id IN ?", s.corp, ids).
		Pluck("order_id", &found).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// InsertOrders inserts orders and their lines in two multi-row statements (the caller's transaction
// makes them one). A taken order id is ErrConflict.
func (s *Store) InsertOrders(ctx context.Context, os []service.Order, hashes []string) error {
	if len(os) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]orderRow, len(os))
	var lines []lineRow
	for i, o := range os {
		rows[i] = orderRow{CorpID: s.corp, OrderID: o.OrderID, ExternalUserID: o.ExternalUserID, UnionID: o.UnionID, StoreID: o.StoreID,
			GuideUserID: o.GuideUserID, PaidAt: o.PaidAt.UTC(), TotalFen: o.TotalFen, Status: o.Status, RefundedAt: sqlstore.UTCPtr(o.RefundedAt),
			BodyHash: hashes[i], ReceivedAt: now}
		for j, l := range o.Lines {
			lines = append(lines, lineRow{CorpID: s.corp, OrderID: o.OrderID, LineNo: j + 1, SKU: l.SKU, Qty: l.Qty, PriceFen: l.PriceFen,
				ExternalUserID: o.ExternalUserID, StoreID: o.StoreID, PaidAt: rows[i].PaidAt, Refunded: o.Status == service.OrderRefunded})
		}
	}
	db := sqlstore.Conn(ctx, s.db)
	if err := db.Create(&rows).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if err := db.CreateInBatches(&lines, 2000).Error; err != nil {
		return sqlstore.Translate(err)
	}
	return s.recordOrders(ctx, rows, true)
}

// GetOrder reads an order's head and body hash.
func (s *Store) GetOrder(ctx context.Context, orderID string) (service.Order, string, error) {
	var row orderRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND order_id = ?", s.corp, orderID).Take(&row).Error; err != nil {
		return service.Order{}, "", sqlstore.Translate(err)
	}
	return toOrder(row), row.BodyHash, nil
}

// MarkRefunded refunds a paid order and its lines (call in a transaction).
func (s *Store) MarkRefunded(ctx context.Context, orderID string, at time.Time) (bool, error) {
	db := sqlstore.Conn(ctx, s.db)
	res := db.Model(&orderRow{}).Where("corp_id = ? AND order_id = ? AND status = ?", s.corp, orderID, service.OrderPaid).
		Updates(map[string]any{"status": service.OrderRefunded, "refunded_at": at.UTC()})
	if res.Error != nil {
		return false, sqlstore.Translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return false, nil
	}
	if err := db.Model(&lineRow{}).Where("corp_id = ? AND order_id = ?", s.corp, orderID).Update("refunded", true).Error; err != nil {
		return false, sqlstore.Translate(err)
	}
	var row orderRow
	if err := db.Where("corp_id = ? AND order_id = ?", s.corp, orderID).Take(&row).Error; err != nil {
		return false, sqlstore.Translate(err)
	}
	return true, s.recordOrders(ctx, []orderRow{row}, false)
}

type unionRow struct {
	UnionID        string `gorm:"column:unionid"`
	ExternalUserID string `gorm:"column:external_userid"`
}

// CustomersByUnionID finds the customers with the unionids (idx_customers_unionid); of two customers
// with one unionid (never in WeCom) the first by external_userid wins.
func (s *Store) CustomersByUnionID(ctx context.Context, unionIDs []string) (map[string]string, error) {
	out := map[string]string{}
	if len(unionIDs) == 0 {
		return out, nil
	}
	var rows []unionRow
	err := sqlstore.Conn(ctx, s.db).Table("customers").Select("unionid, external_userid").
		Where("corp_id = ? AND unionid IN ?", s.corp, unionIDs).Order("external_userid").Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, r := range rows {
		if _, ok := out[r.UnionID]; !ok {
			out[r.UnionID] = r.ExternalUserID
		}
	}
	return out, nil
}

type namedOrderRow struct {
	O         orderRow `gorm:"embedded"`
	StoreName *string
}

type namedLineRow struct {
	OrderID  string
	SKU      string `gorm:"column:sku"`
	Qty      int64
	PriceFen int64
	Name     *string
}

// RecentOrders lists a customer's latest orders with store and product names: those linked to the
// customer (idx_orders_customer) and those still unlinked under the customer's unionid
// (idx_orders_unionid), merged; then their lines by the primary key.
func (s *Store) RecentOrders(ctx context.Context, extID string, limit int) ([]service.Order, error) {
	q := func() *gorm.DB {
		return sqlstore.Conn(ctx, s.db).Table("orders o").Select("o.*, st.name AS store_name").
			Joins("LEFT JOIN stores st ON st.corp_id = o.corp_id AND st.id = o.store_id").Order("o.paid_at DESC, o.order_id").Limit(limit)
	}
	var rows, unlinked []namedOrderRow
	if err := q().Where("o.corp_id = ? AND o.external_userid = ?", s.corp, extID).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	err := q().Where("o.corp_id = ? AND o.external_userid = '' AND o.unionid <> '' AND o.unionid = "+
		"(SELECT c.unionid FROM customers c WHERE c.corp_id = ? AND c.external_userid = ?)", s.corp, s.corp, extID).Scan(&unlinked).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	rows = append(rows, unlinked...)
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].O.PaidAt.After(rows[j].O.PaidAt) })
	if len(rows) > limit {
		rows = rows[:limit]
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]service.Order, len(rows))
	at := map[string]int{}
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = toOrder(r.O)
		if r.StoreName != nil {
			out[i].StoreName = *r.StoreName
		}
		ids[i], at[r.O.OrderID] = r.O.OrderID, i
	}
	var lines []namedLineRow
	err = sqlstore.Conn(ctx, s.db).Table("order_lines l").Select("l.order_id, l.sku, l.qty, l.price_fen, p.name").
		Joins("LEFT JOIN products p ON p.corp_id = l.corp_id AND p.sku = l.sku").
		Where("l.corp_id = ? AND l.order_id IN ?", s.corp, ids).Order("l.order_id, l.line_no").Scan(&lines).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, l := range lines {
		o := &out[at[l.OrderID]]
		line := service.OrderLine{SKU: l.SKU, Qty: l.Qty, PriceFen: l.PriceFen}
		if l.Name != nil {
			line.Name = *l.Name
		}
		o.Lines = append(o.Lines, line)
	}
	return out, nil
}
