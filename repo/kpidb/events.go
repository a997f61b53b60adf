package kpidb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/kpi"
)

// kinds maps the activity log's kinds (service.Activity*) to what the rollups count; the others
// (remarks, tags, groups, notes) count nothing.
var kinds = map[string]kpi.Kind{
	service.ActivitySidebarOpen:          kpi.KindOpen,
	service.ActivityProductShared:        kpi.KindProductShare,
	service.ActivityReplySent:            kpi.KindMaterialSend,
	service.ActivityMaterialSent:         kpi.KindMaterialSend,
	service.ActivityTaskCompleted:        kpi.KindTaskDone,
	service.ActivityCustomerAdded:        kpi.KindAdded,
	service.ActivityCustomerDeletedGuide: kpi.KindLostByCustomer,
	service.ActivityGuideDeletedCustomer: kpi.KindLostByGuide,
	service.ActivityCustomerTransferred:  kpi.KindHandover,
	service.ActivityCustomerInherited:    kpi.KindHandover,
	service.ActivityOrderPaid:            kpi.KindOrderPaid,
	service.ActivityOrderRefunded:        kpi.KindOrderRefunded,
}

// sendKinds are the activity kinds that reach a customer and may take an order's credit.
var sendKinds = []string{service.ActivityProductShared, service.ActivityReplySent, service.ActivityMaterialSent}

// Events implements kpi.Store: activity_log by id (its primary key), the detail only for orders.
func (s *Store) Events(ctx context.Context, q kpi.EventQuery) ([]kpi.Event, int64, error) {
	db := s.conn(ctx).Table("activity_log").
		Select("id, occurred_at, kind, guide_userid, external_userid, ref, "+
			"CASE WHEN kind IN ('order_paid', 'order_refunded') THEN detail ELSE '' END AS detail").
		Where("corp_id = ? AND id > ?", s.corp, q.After)
	if q.Upto > 0 {
		db = db.Where("id <= ?", q.Upto)
	}
	if !q.Since.IsZero() {
		db = db.Where("occurred_at >= ? AND occurred_at < ?", q.Since.UTC(), q.Until.UTC())
	}
	rows, err := db.Order("id").Limit(q.Limit).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("read activity: %w", sqlstore.Translate(err))
	}
	defer rows.Close()
	var out []kpi.Event
	var last int64
	for rows.Next() {
		var e kpi.Event
		var at sqlstore.Time
		var kind, ref, detail string
		if err := rows.Scan(&e.ID, &at, &kind, &e.UserID, &e.ExternalUserID, &ref, &detail); err != nil {
			return nil, 0, fmt.Errorf("scan activity: %w", err)
		}
		last = e.ID
		if at.T != nil {
			e.At = *at.T
		}
		e.Kind = kinds[kind]
		switch e.Kind {
		case kpi.KindHandover:
			e.FromUserID = ref
		case kpi.KindOrderPaid, kpi.KindOrderRefunded:
			e.OrderID = ref
			var d struct {
				AmountFen int64 `json:"amount_fen"`
			}
			_ = json.Unmarshal([]byte(detail), &d) // a row without an amount counts the order at 0
			e.AmountFen = d.AmountFen
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read activity: %w", err)
	}
	return out, last, nil
}

// MaxEventID implements kpi.Store.
func (s *Store) MaxEventID(ctx context.Context) (int64, error) {
	var id *int64
	err := s.conn(ctx).Table("activity_log").Select("MAX(id)").Where("corp_id = ?", s.corp).Scan(&id).Error
	if err != nil || id == nil {
		return 0, sqlstore.Translate(err)
	}
	return *id, nil
}

// Sends implements kpi.Store (idx_activity_customer: each customer's rows by time).
func (s *Store) Sends(ctx context.Context, exts []string, beforeID int64, since time.Time) ([]kpi.Send, error) {
	var out []kpi.Send
	err := chunks(len(exts), batchRows, func(lo, hi int) error {
		var rows []struct {
			ID             int64
			OccurredAt     sqlstore.Time
			GuideUserID    string `gorm:"column:guide_userid"`
			ExternalUserID string `gorm:"column:external_userid"`
		}
		err := s.conn(ctx).Table("activity_log").Select("id, occurred_at, guide_userid, external_userid").
			Where("corp_id = ? AND external_userid IN ? AND occurred_at >= ? AND id < ? AND kind IN ? AND guide_userid <> ''",
				s.corp, exts[lo:hi], since.UTC(), beforeID, sendKinds).Scan(&rows).Error
		for _, r := range rows {
			if r.OccurredAt.T != nil {
				out = append(out, kpi.Send{ID: r.ID, At: *r.OccurredAt.T, UserID: r.GuideUserID, ExternalUserID: r.ExternalUserID})
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sends to customers: %w", sqlstore.Translate(err))
	}
	return out, nil
}

// Owners implements kpi.Store: ownership_history by customer (idx_ownership_customer).
func (s *Store) Owners(ctx context.Context, exts []string, until time.Time) ([]kpi.OwnerChange, error) {
	var out []kpi.OwnerChange
	err := chunks(len(exts), batchRows, func(lo, hi int) error {
		var rows []struct {
			ID             int64
			At             sqlstore.Time
			ExternalUserID string `gorm:"column:external_userid"`
			ToUserID       string `gorm:"column:to_userid"`
		}
		err := s.conn(ctx).Table("ownership_history").Select("id, at, external_userid, to_userid").
			Where("corp_id = ? AND external_userid IN ? AND at <= ?", s.corp, exts[lo:hi], until.UTC()).Scan(&rows).Error
		for _, r := range rows {
			if r.At.T != nil {
				out = append(out, kpi.OwnerChange{ID: r.ID, At: *r.At.T, ExternalUserID: r.ExternalUserID, ToUserID: r.ToUserID})
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("owners of customers: %w", sqlstore.Translate(err))
	}
	return out, nil
}
