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

// LastSend implements kpi.Store (idx_activity_customer: the customer's rows by time).
func (s *Store) LastSend(ctx context.Context, ext string, beforeID int64, from, to time.Time) (string, time.Time, bool, error) {
	var rows []struct {
		GuideUserID string `gorm:"column:guide_userid"`
		OccurredAt  sqlstore.Time
	}
	err := s.conn(ctx).Table("activity_log").Select("guide_userid, occurred_at").
		Where("corp_id = ? AND external_userid = ? AND occurred_at >= ? AND occurred_at <= ? AND id < ? AND kind IN ? AND guide_userid <> ''",
			s.corp, ext, from.UTC(), to.UTC(), beforeID, sendKinds).
		Order("occurred_at DESC, id DESC").Limit(1).Scan(&rows).Error
	if err != nil {
		return "", time.Time{}, false, fmt.Errorf("last send: %w", sqlstore.Translate(err))
	}
	if len(rows) == 0 || rows[0].OccurredAt.T == nil {
		return "", time.Time{}, false, nil
	}
	return rows[0].GuideUserID, *rows[0].OccurredAt.T, true, nil
}

// OwnerAt implements kpi.Store: the newest ownership_history row at or before t.
func (s *Store) OwnerAt(ctx context.Context, ext string, t time.Time) (string, error) {
	var to []string
	err := s.conn(ctx).Table("ownership_history").Select("to_userid").
		Where("corp_id = ? AND external_userid = ? AND at <= ?", s.corp, ext, t.UTC()).
		Order("at DESC, id DESC").Limit(1).Scan(&to).Error
	if err != nil || len(to) == 0 {
		return "", sqlstore.Translate(err)
	}
	return to[0], nil
}
