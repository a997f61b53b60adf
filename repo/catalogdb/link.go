package catalogdb

import (
	"context"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
)

type linkRow struct {
	OrderID        string
	ExternalUserID string `gorm:"column:external_userid"`
}

// LinkOrders links up to limit unlinked orders whose unionid now belongs to a customer: the orders and
// their lines get the customer's external_userid (call in a transaction). It reads the unlinked
// orders (idx_orders_customer, external_userid empty) against idx_customers_unionid, so a pass costs
// one index probe per unlinked order, linkable or not.
func (s *Store) LinkOrders(ctx context.Context, limit int) (int, error) {
	var rows []linkRow
	db := sqlstore.Conn(ctx, s.db)
	err := db.Table("orders o").Select("o.order_id, c.external_userid").
		Joins("JOIN customers c ON c.corp_id = o.corp_id AND c.unionid = o.unionid").
		Where("o.corp_id = ? AND o.external_userid = '' AND o.unionid <> ''", s.corp).Limit(limit).Scan(&rows).Error
	if err != nil {
		return 0, sqlstore.Translate(err)
	}
	byCustomer := map[string][]string{}
	seen := map[string]bool{} // two customers with one unionid (never in WeCom): the first wins
	for _, r := range rows {
		if !seen[r.OrderID] {
			seen[r.OrderID] = true
			byCustomer[r.ExternalUserID] = append(byCustomer[r.ExternalUserID], r.OrderID)
		}
	}
	for ext, ids := range byCustomer {
		if err := db.Model(&orderRow{}).Where("corp_id = ? AND order_id IN ? AND external_userid = ''", s.corp, ids).
			Update("external_userid", ext).Error; err != nil {
			return 0, sqlstore.Translate(err)
		}
		if err := db.Model(&lineRow{}).Where("corp_id = ? AND order_id IN ?", s.corp, ids).
			Update("external_userid", ext).Error; err != nil {
			return 0, sqlstore.Translate(err)
		}
		var linked []orderRow
		if err := db.Where("corp_id = ? AND order_id IN ? AND external_userid = ?", s.corp, ids, ext).Find(&linked).Error; err != nil {
			return 0, sqlstore.Translate(err)
		}
		if err := s.recordOrders(ctx, linked, true); err != nil {
			return 0, err
		}
	}
	return len(seen), nil
}
