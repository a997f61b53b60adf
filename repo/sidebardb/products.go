package sidebardb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/sidebar"
)

type productRow struct {
	CorpID      string `gorm:"primaryKey"`
	ProductID   string `gorm:"primaryKey"`
	Name        string
	Description string
	PriceCents  int64
	ImageURL    string `gorm:"column:image_url"`
	LinkURL     string `gorm:"column:link_url"`
	StoreID     int64
	TagIDs      string `gorm:"column:tag_ids"`
	SortOrder   int64
	Active      bool
	UpdatedAt   time.Time
}

func (productRow) TableName() string { return "products" }

func toSidebarProduct(r productRow) sidebar.Product {
	p := sidebar.Product{ProductID: r.ProductID, Name: r.Name, Description: r.Description, PriceCents: r.PriceCents,
		ImageURL: r.ImageURL, LinkURL: r.LinkURL, StoreID: r.StoreID, Order: r.SortOrder}
	if r.TagIDs != "" {
		p.TagIDs = strings.Split(r.TagIDs, ",")
	}
	return p
}

// StoreProducts lists the active products of a store and of every store, larger order first.
func (s *Store) StoreProducts(ctx context.Context, storeID int64, limit int) ([]sidebar.Product, error) {
	var rows []productRow
	err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND store_id IN ? AND active = ?", s.corp, []int64{0, storeID}, true).
		Order("sort_order DESC, product_id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]sidebar.Product, len(rows))
	for i, r := range rows {
		out[i] = toSidebarProduct(r)
	}
	return out, nil
}

// GetProduct reads one active product.
func (s *Store) GetProduct(ctx context.Context, id string) (sidebar.Product, error) {
	var row productRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND product_id = ? AND active = ?", s.corp, id, true).Take(&row).Error; err != nil {
		return sidebar.Product{}, sqlstore.Translate(err)
	}
	return toSidebarProduct(row), nil
}

// UpsertProducts writes products (active).
func (s *Store) UpsertProducts(ctx context.Context, ps []sidebar.Product) error {
	if len(ps) == 0 {
		return nil
	}
	rows := make([]productRow, len(ps))
	for i, p := range ps {
		rows[i] = productRow{CorpID: s.corp, ProductID: p.ProductID, Name: sqlstore.Clip(p.Name, 255), Description: sqlstore.Clip(p.Description, 1024),
			PriceCents: p.PriceCents, ImageURL: p.ImageURL, LinkURL: p.LinkURL, StoreID: p.StoreID,
			TagIDs: strings.Join(p.TagIDs, ","), SortOrder: p.Order, Active: true, UpdatedAt: s.now()}
	}
	cols := []string{"name", "description", "price_cents", "image_url", "link_url", "store_id", "tag_ids", "sort_order", "active", "updated_at"}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).CreateInBatches(&rows, 500).Error)
}

type shareRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	UserID         string `gorm:"column:userid"`
	ExternalUserID string `gorm:"column:external_userid"`
	ChatID         string
	ProductID      string
	MsgType        string `gorm:"column:msgtype"`
	SharedAt       time.Time
}

func (shareRow) TableName() string { return "product_shares" }

func toSidebarShare(r shareRow) sidebar.Share {
	return sidebar.Share{ID: r.ID, UserID: r.UserID, ExternalUserID: r.ExternalUserID, ChatID: r.ChatID,
		ProductID: r.ProductID, MsgType: r.MsgType, SharedAt: r.SharedAt}
}

// AddShare appends one share.
func (s *Store) AddShare(ctx context.Context, sh sidebar.Share) (sidebar.Share, error) {
	row := shareRow{CorpID: s.corp, UserID: sh.UserID, ExternalUserID: sh.ExternalUserID, ChatID: sh.ChatID,
		ProductID: sh.ProductID, MsgType: sh.MsgType, SharedAt: sh.SharedAt.UTC()}
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		return sidebar.Share{}, sqlstore.Translate(err)
	}
	return toSidebarShare(row), nil
}

// RecentShares lists a guide's newest shares to a customer (idx_shares_customer).
func (s *Store) RecentShares(ctx context.Context, userID, extID string, limit int) ([]sidebar.Share, error) {
	var rows []shareRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
		Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]sidebar.Share, len(rows))
	for i, r := range rows {
		out[i] = toSidebarShare(r)
	}
	return out, nil
}
