// Package recommenddb implements recommend.Store with gorm: the catalogue and stock as the
// recommendations read them, a customer's order lines (idx_lines_customer alone), the paid lines for
// the index build (in primary-key order) and the index itself (rec_index, rec_index_meta).
package recommenddb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/recommend"
)

// Store is the recommendations' reads and index of one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ recommend.Store = (*Store)(nil)

// New returns the recommendations' store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

type stampRow struct {
	N       int64
	Updated sqlstore.Time
}

// CatalogStamp counts the products and finds the newest update (one pass over the corp's products).
func (s *Store) CatalogStamp(ctx context.Context) (recommend.Stamp, error) {
	var r stampRow
	if err := sqlstore.Conn(ctx, s.db).Table("products").Select("COUNT(*) AS n, MAX(updated_at) AS updated").
		Where("corp_id = ?", s.corp).Scan(&r).Error; err != nil {
		return recommend.Stamp{}, sqlstore.Translate(err)
	}
	st := recommend.Stamp{Products: r.N}
	if r.Updated.T != nil {
		st.Updated = *r.Updated.T
	}
	return st, nil
}

type productRow struct {
	SKU         string `gorm:"column:sku"`
	Name        string
	Brand       string
	Category    string
	Description string
	PriceFen    int64
	ImageURL    string `gorm:"column:image_url"`
	LinkURL     string `gorm:"column:link_url"`
	TagIDs      string `gorm:"column:tag_ids"`
	SortOrder   int64
	OnSale      bool
}

// Products lists every product without stock.
func (s *Store) Products(ctx context.Context) ([]service.Product, error) {
	var rows []productRow
	if err := sqlstore.Conn(ctx, s.db).Table("products").
		Select("sku, name, brand, category, description, price_fen, image_url, link_url, tag_ids, sort_order, on_sale").
		Where("corp_id = ?", s.corp).Order("sku").Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Product, len(rows))
	for i, r := range rows {
		out[i] = service.Product{SKU: r.SKU, Name: r.Name, Brand: r.Brand, Category: r.Category, Description: r.Description,
			PriceFen: r.PriceFen, ImageURL: r.ImageURL, LinkURL: r.LinkURL, OnSale: r.OnSale, Order: r.SortOrder}
		if r.TagIDs != "" {
			out[i].TagIDs = strings.Split(r.TagIDs, ",")
		}
	}
	return out, nil
}

// TrackedSKUs lists the SKUs with stock rows (idx_stock_sku, grouped).
func (s *Store) TrackedSKUs(ctx context.Context) ([]string, error) {
	var skus []string
	err := sqlstore.Conn(ctx, s.db).Table("product_stock").Where("corp_id = ?", s.corp).Distinct().Pluck("sku", &skus).Error
	return skus, sqlstore.Translate(err)
}

type purchaseRow struct {
	SKU      string `gorm:"column:sku"`
	Qty      int64
	PaidAt   time.Time
	Refunded bool
}

// CustomerLines reads a customer's newest lines from idx_lines_customer alone (a range, newest first).
func (s *Store) CustomerLines(ctx context.Context, extID string, since time.Time, limit int) ([]recommend.Purchase, error) {
	var rows []purchaseRow
	if err := sqlstore.Conn(ctx, s.db).Table("order_lines").Select("sku, qty, paid_at, refunded").
		Where("corp_id = ? AND external_userid = ? AND paid_at >= ?", s.corp, extID, since.UTC()).
		Order("paid_at DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]recommend.Purchase, len(rows))
	for i, r := range rows {
		out[i] = recommend.Purchase{SKU: r.SKU, Qty: r.Qty, PaidAt: r.PaidAt.UTC(), Refunded: r.Refunded}
	}
	return out, nil
}

type stockRow struct {
	SKU string `gorm:"column:sku"`
	Qty int64
}

// StoreStock reads the stock rows of the SKUs in the store (the product_stock primary key).
func (s *Store) StoreStock(ctx context.Context, storeID int64, skus []string) (map[string]int64, error) {
	out := make(map[string]int64, len(skus))
	if len(skus) == 0 {
		return out, nil
	}
	var rows []stockRow
	if err := sqlstore.Conn(ctx, s.db).Table("product_stock").Select("sku, qty").
		Where("corp_id = ? AND store_id = ? AND sku IN ?", s.corp, storeID, skus).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, r := range rows {
		out[r.SKU] = r.Qty
	}
	return out, nil
}

type scanRow struct {
	OrderID        string
	LineNo         int
	ExternalUserID string `gorm:"column:external_userid"`
	SKU            string `gorm:"column:sku"`
	Qty            int64
	StoreID        int64
	PaidAt         time.Time
}

// ScanLines pages the paid lines since `since` in primary-key order (a range on it per page).
func (s *Store) ScanLines(ctx context.Context, since time.Time, afterOrder string, afterLine, limit int) ([]recommend.ScanLine, error) {
	var rows []scanRow
	if err := sqlstore.Conn(ctx, s.db).Table("order_lines").
		Select("order_id, line_no, external_userid, sku, qty, store_id, paid_at").
		Where("corp_id = ? AND (order_id > ? OR (order_id = ? AND line_no > ?))", s.corp, afterOrder, afterOrder, afterLine).
		Where("refunded = ? AND paid_at >= ?", false, since.UTC()).
		Order("order_id, line_no").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]recommend.ScanLine, len(rows))
	for i, r := range rows {
		out[i] = recommend.ScanLine{OrderID: r.OrderID, LineNo: r.LineNo, Customer: r.ExternalUserID, SKU: r.SKU, Qty: r.Qty,
			StoreID: r.StoreID, PaidAt: r.PaidAt.UTC()}
	}
	return out, nil
}
