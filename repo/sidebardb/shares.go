package sidebardb

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

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

func toSidebarShare(r shareRow) service.Share {
	return service.Share{ID: r.ID, UserID: r.UserID, ExternalUserID: r.ExternalUserID, ChatID: r.ChatID,
		ProductID: r.ProductID, MsgType: r.MsgType, SharedAt: r.SharedAt}
}

// AddShare appends one share and its product_shared activity (with the product's name), in one
// transaction.
func (s *Store) AddShare(ctx context.Context, sh service.Share) (service.Share, error) {
	row := shareRow{CorpID: s.corp, UserID: sh.UserID, ExternalUserID: sh.ExternalUserID, ChatID: sh.ChatID,
		ProductID: sh.ProductID, MsgType: sh.MsgType, SharedAt: sh.SharedAt.UTC()}
	err := repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		if err := db.Create(&row).Error; err != nil {
			return sqlstore.Translate(err)
		}
		var names []string
		if err := db.Table("products").Where("corp_id = ? AND sku = ?", s.corp, sh.ProductID).Limit(1).Pluck("name", &names).Error; err != nil {
			return sqlstore.Translate(err)
		}
		d := map[string]any{"product": sh.ProductID, "msgtype": sh.MsgType}
		if len(names) > 0 {
			d["product"] = names[0]
		}
		if sh.ChatID != "" {
			d["chat_id"] = sh.ChatID
		}
		return sqlstore.RecordActivities(ctx, s.db, s.corp, []service.Activity{{At: row.SharedAt, Kind: service.ActivityProductShared,
			UserID: sh.UserID, ExternalUserID: sh.ExternalUserID, ActorKind: service.ActorGuide, ActorID: sh.UserID, Ref: sh.ProductID, Detail: d}})
	})
	if err != nil {
		return service.Share{}, err
	}
	return toSidebarShare(row), nil
}

// RecentShares lists a guide's newest shares to a customer (idx_shares_customer).
func (s *Store) RecentShares(ctx context.Context, userID, extID string, limit int) ([]service.Share, error) {
	var rows []shareRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
		Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Share, len(rows))
	for i, r := range rows {
		out[i] = toSidebarShare(r)
	}
	return out, nil
}

// RecordSidebarOpen appends a throttled sidebar_open activity (sqlstore.RecordSidebarOpen).
func (s *Store) RecordSidebarOpen(ctx context.Context, userID, extID string, at time.Time) error {
	return sqlstore.RecordSidebarOpen(ctx, s.db, s.corp, userID, extID, at)
}
