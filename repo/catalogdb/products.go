package catalogdb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

type productRow struct {
	CorpID      string `gorm:"primaryKey"`
	SKU         string `gorm:"primaryKey;column:sku"`
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
	UpdatedAt   time.Time
}

func (productRow) TableName() string { return "products" }

type stockRow struct {
	CorpID    string `gorm:"primaryKey"`
	StoreID   int64  `gorm:"primaryKey;autoIncrement:false"`
	SKU       string `gorm:"primaryKey;column:sku"`
	Qty       int64
	UpdatedAt time.Time
}

func (stockRow) TableName() string { return "product_stock" }

func toProduct(r productRow) service.Product {
	p := service.Product{SKU: r.SKU, Name: r.Name, Brand: r.Brand, Category: r.Category, Description: r.Description,
		PriceFen: r.PriceFen, ImageURL: r.ImageURL, LinkURL: r.LinkURL, OnSale: r.OnSale, Order: r.SortOrder}
	if r.TagIDs != "" {
		p.TagIDs = strings.Split(r.TagIDs, ",")
	}
	return p
}

// storeProductRow is a product with its stock row in one store, if any.
type storeProductRow struct {
	P          productRow `gorm:"embedded"`
	StockStore *int64
	StockQty   *int64
}

// StoreProducts lists on-sale products offered in a store: those with a stock row there and those
// whose stock is not tracked (no row anywhere), larger order first (idx_products_sale, then the
// product_stock key and idx_stock_sku per product).
func (s *Store) StoreProducts(ctx context.Context, storeID int64, limit int) ([]service.Product, error) {
	var rows []storeProductRow
	err := sqlstore.Conn(ctx, s.db).Table("products p").
		Select("p.*, st.store_id AS stock_store, st.qty AS stock_qty").
		Joins("LEFT JOIN product_stock st ON st.corp_id = p.corp_id AND st.store_id = ? AND st.sku = p.sku", storeID).
		Where("p.corp_id = ? AND p.on_sale = ?", s.corp, true).
		Where("st.sku IS NOT NULL OR NOT EXISTS (SELECT 1 FROM product_stock x WHERE x.corp_id = p.corp_id AND x.sku = p.sku)").
		Order("p.sort_order DESC, p.sku").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Product, len(rows))
	for i, r := range rows {
		out[i] = toProduct(r.P)
		if r.StockStore != nil && r.StockQty != nil {
			out[i].Stock = []service.StoreStock{{StoreID: *r.StockStore, Qty: *r.StockQty}}
		}
	}
	return out, nil
}

// GetProduct reads one product, on sale or not, with its stock in every store.
func (s *Store) GetProduct(ctx context.Context, sku string) (service.Product, error) {
	var row productRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND sku = ?", s.corp, sku).Take(&row).Error; err != nil {
		return service.Product{}, sqlstore.Translate(err)
	}
	ps := []service.Product{toProduct(row)}
	if err := s.fillStock(ctx, ps); err != nil {
		return service.Product{}, err
	}
	return ps[0], nil
}

// ListProducts pages the catalogue by SKU, each product with every stock row.
func (s *Store) ListProducts(ctx context.Context, after string, limit int) ([]service.Product, error) {
	var rows []productRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND sku > ?", s.corp, after).Order("sku").Limit(limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Product, len(rows))
	for i, r := range rows {
		out[i] = toProduct(r)
	}
	return out, s.fillStock(ctx, out)
}

// fillStock reads the stock rows of the products (idx_stock_sku), by store.
func (s *Store) fillStock(ctx context.Context, ps []service.Product) error {
	if len(ps) == 0 {
		return nil
	}
	skus := make([]string, len(ps))
	at := make(map[string]int, len(ps))
	for i, p := range ps {
		skus[i], at[p.SKU] = p.SKU, i
	}
	var rows []stockRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND sku IN ?", s.corp, skus).Order("sku, store_id").Find(&rows).Error; err != nil {
		return sqlstore.Translate(err)
	}
	for _, r := range rows {
		p := &ps[at[r.SKU]]
		p.Stock = append(p.Stock, service.StoreStock{StoreID: r.StoreID, Qty: r.Qty})
	}
	return nil
}

// upsertColumns are the columns an upsert sets on existing products, by the fields it was given.
var upsertColumns = []struct {
	f   catalog.Fields
	col string
}{{catalog.FieldBrand, "brand"}, {catalog.FieldCategory, "category"}, {catalog.FieldDescription, "description"},
	{catalog.FieldImage, "image_url"}, {catalog.FieldLink, "link_url"}, {catalog.FieldTags, "tag_ids"},
	{catalog.FieldOnSale, "on_sale"}, {catalog.FieldOrder, "sort_order"}}

// UpsertProducts writes products by SKU (call in a transaction): new ones whole, existing ones in
// name, price and the fields in set; with FieldStock their stock rows are replaced by p.Stock.
func (s *Store) UpsertProducts(ctx context.Context, ps []service.Product, set catalog.Fields) error {
	if len(ps) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]productRow, len(ps))
	skus := make([]string, len(ps))
	var stock []stockRow
	for i, p := range ps {
		rows[i] = productRow{CorpID: s.corp, SKU: p.SKU, Name: sqlstore.Clip(p.Name, 255), Brand: sqlstore.Clip(p.Brand, 128),
			Category: sqlstore.Clip(p.Category, 128), Description: sqlstore.Clip(p.Description, 1024), PriceFen: p.PriceFen,
			ImageURL: p.ImageURL, LinkURL: p.LinkURL, TagIDs: strings.Join(p.TagIDs, ","), SortOrder: p.Order, OnSale: p.OnSale, UpdatedAt: now}
		skus[i] = p.SKU
		for _, st := range p.Stock {
			stock = append(stock, stockRow{CorpID: s.corp, StoreID: st.StoreID, SKU: p.SKU, Qty: st.Qty, UpdatedAt: now})
		}
	}
	cols := []string{"name", "price_fen", "updated_at"}
	for _, c := range upsertColumns {
		if set&c.f != 0 {
			cols = append(cols, c.col)
		}
	}
	db := sqlstore.Conn(ctx, s.db)
	if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&rows).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if set&catalog.FieldStock == 0 {
		return nil
	}
	if err := db.Where("corp_id = ? AND sku IN ?", s.corp, skus).Delete(&stockRow{}).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if len(stock) == 0 {
		return nil
	}
	return sqlstore.Translate(db.CreateInBatches(&stock, 1000).Error)
}
