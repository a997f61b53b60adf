package catalogdb

import (
	"context"
	"fmt"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

// Orders in the activity log: an order linked to a customer records order_paid at its paid time (and
// order_refunded at its refund time) in the transaction that stores, refunds or links it. An order
// known only by a unionid records nothing until the link pass gives it a customer; then it records
// its rows with their own times, so the timeline shows it in its place.

// recordOrders appends the activity rows of orders now linked to a customer: paid, and refunded
// where refunded (paid false: the refund only). Detail: amount_fen, items ("name ×qty"), store.
func (s *Store) recordOrders(ctx context.Context, rows []orderRow, paid bool) error {
	var linked []orderRow
	for _, r := range rows {
		if r.ExternalUserID != "" {
			linked = append(linked, r)
		}
	}
	if len(linked) == 0 {
		return nil
	}
	items, stores, err := s.orderNames(ctx, linked)
	if err != nil {
		return err
	}
	var acts []service.Activity
	for _, r := range linked {
		d := map[string]any{"amount_fen": r.TotalFen, "items": items[r.OrderID], "store": stores[r.StoreID]}
		a := service.Activity{Kind: service.ActivityOrderPaid, At: r.PaidAt, UserID: r.GuideUserID, ExternalUserID: r.ExternalUserID,
			ActorKind: service.ActorSystem, Ref: r.OrderID, Detail: d}
		if paid {
			acts = append(acts, a)
		}
		if r.Status == service.OrderRefunded && r.RefundedAt != nil {
			a.Kind, a.At = service.ActivityOrderRefunded, *r.RefundedAt
			acts = append(acts, a)
		}
	}
	return sqlstore.RecordActivities(ctx, s.db, s.corp, acts)
}

// orderNames reads the orders' items as "name ×qty" (first five) and their stores' names.
func (s *Store) orderNames(ctx context.Context, rows []orderRow) (map[string][]string, map[int64]string, error) {
	ids := make([]string, len(rows))
	var storeIDs []int64
	for i, r := range rows {
		ids[i] = r.OrderID
		storeIDs = append(storeIDs, r.StoreID)
	}
	var lines []namedLineRow
	err := sqlstore.Conn(ctx, s.db).Table("order_lines l").Select("l.order_id, l.sku, l.qty, l.price_fen, p.name").
		Joins("LEFT JOIN products p ON p.corp_id = l.corp_id AND p.sku = l.sku").
		Where("l.corp_id = ? AND l.order_id IN ?", s.corp, ids).Order("l.order_id, l.line_no").Scan(&lines).Error
	if err != nil {
		return nil, nil, sqlstore.Translate(err)
	}
	items := map[string][]string{}
	for _, l := range lines {
		if len(items[l.OrderID]) >= 5 {
			continue
		}
		name := l.SKU
		if l.Name != nil && *l.Name != "" {
			name = *l.Name
		}
		items[l.OrderID] = append(items[l.OrderID], fmt.Sprintf("%s ×%d", name, l.Qty))
	}
	stores, err := sqlstore.StoreNames(ctx, s.db, s.corp, storeIDs)
	return items, stores, err
}
