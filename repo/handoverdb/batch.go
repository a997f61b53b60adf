package handoverdb

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/handover"
)

type batchRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	CaseID         int64
	Kind           string
	TakeoverUserID string `gorm:"column:takeover_userid"`
	Size           int
	State          string
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (batchRow) TableName() string { return "handover_batches" }

func toBatch(r batchRow) handover.Batch {
	return handover.Batch{ID: r.ID, CaseID: r.CaseID, Kind: r.Kind, TakeoverUserID: r.TakeoverUserID, Size: r.Size,
		State: r.State, CreatedAt: r.CreatedAt}
}

// CreateBatch records a batch before its WeCom call.
func (s *Store) CreateBatch(ctx context.Context, b handover.Batch) (handover.Batch, error) {
	row := batchRow{CorpID: s.corp, CaseID: b.CaseID, Kind: b.Kind, TakeoverUserID: b.TakeoverUserID, Size: b.Size, State: b.State,
		CreatedAt: b.CreatedAt.UTC(), UpdatedAt: time.Now().UTC()}
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		return b, sqlstore.Translate(err)
	}
	return toBatch(row), nil
}

// OpenBatches lists a case's batches whose answer was never recorded.
func (s *Store) OpenBatches(ctx context.Context, caseID int64) ([]handover.Batch, error) {
	var rows []batchRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND case_id = ? AND state = ?", s.corp, caseID, handover.BatchRecorded).
		Order("id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]handover.Batch, len(rows))
	for i, r := range rows {
		out[i] = toBatch(r)
	}
	return out, nil
}

// SetBatchState moves a batch on.
func (s *Store) SetBatchState(ctx context.Context, id int64, state string) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&batchRow{}).Where("corp_id = ? AND id = ?", s.corp, id).
		Updates(map[string]any{"state": state, "updated_at": time.Now().UTC()}).Error)
}

// Audit appends one admin action.
func (s *Store) Audit(ctx context.Context, a handover.AuditEntry) error {
	row := sqlstore.AuditRow{CorpID: s.corp, Actor: sqlstore.Clip(a.Actor, 64), Action: sqlstore.Clip(a.Action, 32), Target: sqlstore.Clip(a.Target, 128),
		CaseID: a.CaseID, StoreID: a.StoreID, Scope: sqlstore.Clip(a.Scope, 255), Detail: sqlstore.Clip(a.Detail, 1000), At: a.At.UTC()}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Create(&row).Error)
}

// ListAudit lists admin actions newest first (caseID 0: all).
func (s *Store) ListAudit(ctx context.Context, caseID int64, limit int) ([]handover.AuditEntry, error) {
	q := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp)
	if caseID != 0 {
		q = q.Where("case_id = ?", caseID)
	}
	var rows []sqlstore.AuditRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]handover.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = handover.AuditEntry{ID: r.ID, Actor: r.Actor, Action: r.Action, Target: r.Target, CaseID: r.CaseID, StoreID: r.StoreID,
			Scope: r.Scope, Detail: r.Detail, At: r.At}
	}
	return out, nil
}
