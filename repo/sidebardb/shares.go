package sidebardb

import (
	"context"
	"time"

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

// AddShare appends one share.
func (s *Store) AddShare(ctx context.Context, sh service.Share) (service.Share, error) {
	row := shareRow{CorpID: s.corp, UserID: sh.UserID, ExternalUserID: sh.ExternalUserID, ChatID: sh.ChatID,
		ProductID: sh.ProductID, MsgType: sh.MsgType, SharedAt: sh.SharedAt.UTC()}
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		return service.Share{}, sqlstore.Translate(err)
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
