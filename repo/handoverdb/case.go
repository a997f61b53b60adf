package handoverdb

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

// Store implements handover.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ handover.Store = (*Store)(nil)

// New returns the handover store of corpID.
func New(db *gorm.DB, corpID string) *Store {
	return &Store{db: db, corp: corpID}
}

type caseRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	Kind           string
	HandoverUserID string `gorm:"column:handover_userid"`
	StoreID        int64
	Status         string
	Active         *int
	Phase          string
	Strategy       string
	TakeoverUserID string `gorm:"column:takeover_userid"`
	KeepExisting   bool
	Message        string
	Source         string
	CreatedBy      string
	FullTakers     string
	LockedBy       string
	LeaseUntil     *time.Time
	NextRunAt      *time.Time
	OpenedAt       time.Time
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
	FinishedAt     *time.Time
}

func (caseRow) TableName() string { return "handover_cases" }

func (s *Store) fromCase(c handover.Case) caseRow {
	r := caseRow{ID: c.ID, CorpID: s.corp, Kind: c.Kind, HandoverUserID: c.HandoverUserID, StoreID: c.StoreID, Status: c.Status,
		Phase: c.Phase, Strategy: c.Plan.Strategy, TakeoverUserID: c.Plan.TakeoverUserID, KeepExisting: c.Plan.KeepExisting,
		Message: c.Message, Source: c.Source, CreatedBy: c.CreatedBy, FullTakers: strings.Join(c.FullTakers, ","),
		NextRunAt: sqlstore.UTCPtr(c.NextRunAt), OpenedAt: c.OpenedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), FinishedAt: sqlstore.UTCPtr(c.FinishedAt)}
	if c.Kind == handover.KindResigned && c.Active() {
		one := 1 // at most one active resigned case per guide (NULLs do not collide)
		r.Active = &one
	}
	return r
}

func toCase(r caseRow) handover.Case {
	c := handover.Case{ID: r.ID, Kind: r.Kind, HandoverUserID: r.HandoverUserID, StoreID: r.StoreID, Status: r.Status,
		Phase: r.Phase, Plan: handover.Plan{Strategy: r.Strategy, TakeoverUserID: r.TakeoverUserID, KeepExisting: r.KeepExisting},
		Message: r.Message, Source: r.Source, CreatedBy: r.CreatedBy, OpenedAt: r.OpenedAt, UpdatedAt: r.UpdatedAt,
		FinishedAt: r.FinishedAt, NextRunAt: r.NextRunAt}
	if r.FullTakers != "" {
		c.FullTakers = strings.Split(r.FullTakers, ",")
	}
	return c
}

// OpenCase inserts c, or returns the guide's active resigned case.
func (s *Store) OpenCase(ctx context.Context, c handover.Case) (handover.Case, bool, error) {
	if c.Kind == handover.KindResigned {
		if cur, err := s.activeResigned(ctx, c.HandoverUserID); err == nil {
			return cur, false, nil
		} else if !errors.Is(err, service.ErrNotFound) {
			return c, false, err
		}
	}
	row := s.fromCase(c)
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		if errors.Is(sqlstore.Translate(err), service.ErrConflict) { // a concurrent open won
			cur, err := s.activeResigned(ctx, c.HandoverUserID)
			return cur, false, err
		}
		return c, false, sqlstore.Translate(err)
	}
	return toCase(row), true, nil
}

func (s *Store) activeResigned(ctx context.Context, userID string) (handover.Case, error) {
	var row caseRow
	err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND kind = ? AND handover_userid = ? AND active = 1", s.corp, handover.KindResigned, userID).Take(&row).Error
	return toCase(row), sqlstore.Translate(err)
}

// GetCase reads one case.
func (s *Store) GetCase(ctx context.Context, id int64) (handover.Case, error) {
	var row caseRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND id = ?", s.corp, id).Take(&row).Error; err != nil {
		return handover.Case{}, sqlstore.Translate(err)
	}
	return toCase(row), nil
}

// GetCases reads several cases in one query.
func (s *Store) GetCases(ctx context.Context, ids []int64) (map[int64]handover.Case, error) {
	out := make(map[int64]handover.Case, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []caseRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND id IN ?", s.corp, ids).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	for _, r := range rows {
		out[r.ID] = toCase(r)
	}
	return out, nil
}

// LatestCase reads the newest not-cancelled case of a guide and kind.
func (s *Store) LatestCase(ctx context.Context, kind, userID string) (handover.Case, error) {
	var row caseRow
	err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND kind = ? AND handover_userid = ? AND status <> ?", s.corp, kind, userID, handover.CaseCancelled).
		Order("id DESC").Take(&row).Error
	if err != nil {
		return handover.Case{}, sqlstore.Translate(err)
	}
	return toCase(row), nil
}

// CaseOpenedSince reads the newest case of a guide and kind opened at or after at, in any status.
func (s *Store) CaseOpenedSince(ctx context.Context, kind, userID string, at time.Time) (handover.Case, error) {
	var row caseRow
	err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND kind = ? AND handover_userid = ? AND opened_at >= ?", s.corp, kind, userID, at.UTC()).
		Order("id DESC").Take(&row).Error
	if err != nil {
		return handover.Case{}, sqlstore.Translate(err)
	}
	return toCase(row), nil
}

// ListCases lists cases newest first.
func (s *Store) ListCases(ctx context.Context, f handover.CaseFilter) ([]handover.Case, error) {
	q := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Handover != "" {
		q = q.Where("handover_userid = ?", f.Handover)
	}
	if f.StoreID != 0 {
		q = q.Where("store_id = ?", f.StoreID)
	}
	if f.Stores != nil {
		q = q.Where("store_id IN ?", append([]int64{-1}, f.Stores...)) // -1: an empty scope matches nothing
	}
	order := "id DESC"
	if f.Oldest {
		order = "id"
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	if f.AfterID > 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	var rows []caseRow
	if err := q.Order(order).Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]handover.Case, len(rows))
	for i, r := range rows {
		out[i] = toCase(r)
	}
	return out, nil
}

// SaveCase writes a case's mutable fields.
func (s *Store) SaveCase(ctx context.Context, c handover.Case) error {
	r := s.fromCase(c)
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&caseRow{}).Where("corp_id = ? AND id = ?", s.corp, c.ID).Updates(map[string]any{
		"status": r.Status, "active": r.Active, "phase": r.Phase, "strategy": r.Strategy, "takeover_userid": r.TakeoverUserID,
		"keep_existing": r.KeepExisting, "message": r.Message, "full_takers": r.FullTakers, "next_run_at": r.NextRunAt,
		"updated_at": r.UpdatedAt, "finished_at": r.FinishedAt, "store_id": r.StoreID,
	}).Error)
}

// ClaimCase leases a case to owner unless another owner holds a live lease.
func (s *Store) ClaimCase(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error) {
	until := now.UTC().Add(lease)
	res := sqlstore.Conn(ctx, s.db).Model(&caseRow{}).
		Where("corp_id = ? AND id = ? AND (locked_by = '' OR locked_by = ? OR lease_until IS NULL OR lease_until < ?)", s.corp, id, owner, now.UTC()).
		Updates(map[string]any{"locked_by": owner, "lease_until": until})
	return res.RowsAffected == 1, sqlstore.Translate(res.Error)
}

// RenewCase extends owner's lease to now+lease. It fails (false) once another runner claimed the
// case or the lease was released: a runner keeps a case only while it holds it without a gap.
func (s *Store) RenewCase(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error) {
	until := now.UTC().Add(lease)
	res := sqlstore.Conn(ctx, s.db).Model(&caseRow{}).Where("corp_id = ? AND id = ? AND locked_by = ?", s.corp, id, owner).
		Update("lease_until", until)
	if err := sqlstore.Translate(res.Error); err != nil || res.RowsAffected == 1 {
		return err == nil, err
	}
	// MySQL counts changed rows only: an unchanged lease_until still belongs to owner.
	var n int64
	err := sqlstore.Conn(ctx, s.db).Model(&caseRow{}).Where("corp_id = ? AND id = ? AND locked_by = ?", s.corp, id, owner).Count(&n).Error
	return n == 1, sqlstore.Translate(err)
}

// ReleaseCase drops owner's lease.
func (s *Store) ReleaseCase(ctx context.Context, id int64, owner string) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&caseRow{}).Where("corp_id = ? AND id = ? AND locked_by = ?", s.corp, id, owner).
		Updates(map[string]any{"locked_by": "", "lease_until": nil}).Error)
}

// DueCases lists running cases, waiting cases whose time has come, and open cases not yet collected.
func (s *Store) DueCases(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := sqlstore.Conn(ctx, s.db).Model(&caseRow{}).
		Where("corp_id = ? AND (status = ? OR (status = ? AND (next_run_at IS NULL OR next_run_at <= ?)) OR (status = ? AND phase = ''))",
			s.corp, handover.CaseRunning, handover.CaseWaiting, now.UTC(), handover.CaseOpen).
		Where("lease_until IS NULL OR lease_until < ?", now.UTC()).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, sqlstore.Translate(err)
}

// WakeCases makes waiting cases due now.
func (s *Store) WakeCases(ctx context.Context, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&caseRow{}).Where("corp_id = ? AND id IN ? AND status = ?", s.corp, ids, handover.CaseWaiting).
		Updates(map[string]any{"status": handover.CaseRunning, "next_run_at": now.UTC()}).Error)
}
