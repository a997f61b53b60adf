package catalogdb

import (
	"context"
	"strings"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

// SearchProducts pages products matching q by SKU (the primary key), each with every stock row: a SKU
// prefix or a part of the name (lower-cased), exact category (idx_products_category) and brand.
func (s *Store) SearchProducts(ctx context.Context, q catalog.ProductQuery) ([]service.Product, error) {
	db := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND sku > ?", s.corp, q.After)
	if q.Q != "" {
		db = db.Where("(sku LIKE ?"+sqlstore.LikeEscape+" OR LOWER(name) LIKE ?"+sqlstore.LikeEscape+")",
			prefix(q.Q), sqlstore.Like(q.Q))
	}
	if q.Category != "" {
		db = db.Where("category = ?", q.Category)
	}
	if q.Brand != "" {
		db = db.Where("brand = ?", q.Brand)
	}
	if q.OnSale != nil {
		db = db.Where("on_sale = ?", *q.OnSale)
	}
	var rows []productRow
	if err := db.Order("sku").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Product, len(rows))
	for i, r := range rows {
		out[i] = toProduct(r)
	}
	return out, s.fillStock(ctx, out)
}

// ProductFacets lists the distinct non-empty categories and brands, sorted.
func (s *Store) ProductFacets(ctx context.Context) (catalog.Facets, error) {
	var f catalog.Facets
	for _, c := range []struct {
		col string
		out *[]string
	}{{"category", &f.Categories}, {"brand", &f.Brands}} {
		err := sqlstore.Conn(ctx, s.db).Model(&productRow{}).Where("corp_id = ? AND "+c.col+" <> ''", s.corp).
			Distinct(c.col).Order(c.col).Limit(1000).Pluck(c.col, c.out).Error
		if err != nil {
			return catalog.Facets{}, sqlstore.Translate(err)
		}
	}
	return f, nil
}

type listedOrderRow struct {
	O              orderRow `gorm:"embedded"`
	StoreName      *string
	CustomerName   *string
	CustomerAvatar *string
	GuideName      *string
}

// SearchOrders pages orders newest first (paid_at, order_id descending; idx_orders_store with stores)
// with the store's, the customer's and the guide's names, then the page's lines with product names.
// The text matches an order id's prefix, a customer's external_userid, or part of the customer's name.
func (s *Store) SearchOrders(ctx context.Context, q catalog.OrderQuery) ([]catalog.ListedOrder, error) {
	db := sqlstore.Conn(ctx, s.db).Table("orders o").
		Select("o.*, st.name AS store_name, c.name AS customer_name, c.avatar AS customer_avatar, g.name AS guide_name").
		Joins("LEFT JOIN stores st ON st.corp_id = o.corp_id AND st.id = o.store_id").
		Joins("LEFT JOIN customers c ON c.corp_id = o.corp_id AND c.external_userid = o.external_userid AND o.external_userid <> ''").
		Joins("LEFT JOIN guides g ON g.corp_id = o.corp_id AND g.userid = o.guide_userid AND o.guide_userid <> ''").
		Where("o.corp_id = ?", s.corp)
	if q.Q != "" {
		db = db.Where("(o.order_id LIKE ?"+sqlstore.LikeEscape+" OR o.external_userid = ? OR LOWER(c.name) LIKE ?"+sqlstore.LikeEscape+")",
			prefix(q.Q), q.Q, sqlstore.Like(q.Q))
	}
	if q.StoreIDs != nil {
		db = db.Where("o.store_id IN ?", q.StoreIDs)
	}
	if q.Status != "" {
		db = db.Where("o.status = ?", q.Status)
	}
	if b := q.Before; b != nil {
		at := b.PaidAt.UTC()
		db = db.Where("(o.paid_at < ? OR (o.paid_at = ? AND o.order_id < ?))", at, at, b.OrderID)
	}
	var rows []listedOrderRow
	if err := db.Order("o.paid_at DESC, o.order_id DESC").Limit(q.Limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]catalog.ListedOrder, len(rows))
	at := make(map[string]int, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		out[i] = catalog.ListedOrder{Order: toOrder(r.O), CustomerName: deref(r.CustomerName), CustomerAvatar: deref(r.CustomerAvatar),
			GuideName: deref(r.GuideName)}
		out[i].StoreName = deref(r.StoreName)
		ids[i], at[r.O.OrderID] = r.O.OrderID, i
	}
	if len(ids) == 0 {
		return out, nil
	}
	var lines []namedLineRow
	err := sqlstore.Conn(ctx, s.db).Table("order_lines l").Select("l.order_id, l.sku, l.qty, l.price_fen, p.name").
		Joins("LEFT JOIN products p ON p.corp_id = l.corp_id AND p.sku = l.sku").
		Where("l.corp_id = ? AND l.order_id IN ?", s.corp, ids).Order("l.order_id, l.line_no").Scan(&lines).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, l := range lines {
		o := &out[at[l.OrderID]]
		o.Lines = append(o.Lines, service.OrderLine{SKU: l.SKU, Name: deref(l.Name), Qty: l.Qty, PriceFen: l.PriceFen})
	}
	return out, nil
}

// prefix is a LIKE pattern (with LikeEscape) matching values that start with s, case as given.
func prefix(s string) string {
	r := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_")
	return r.Replace(s) + "%"
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Audit appends an admin action to admin_audit.
func (s *Store) Audit(ctx context.Context, a service.AuditEntry) error {
	return sqlstore.AppendAudit(ctx, s.db, s.corp, a)
}
