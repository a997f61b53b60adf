package handoverdb

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/handover"
)

type itemRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	CaseID         int64
	Kind           string
	TargetID       string
	TakeoverUserID string `gorm:"column:takeover_userid"`
	OverrideUserID string `gorm:"column:override_userid"`
	State          string
	BatchID        int64
	ErrCode        int `gorm:"column:errcode"`
	Reason         string
	Tries          int
	NotBefore      *time.Time
	SubmittedAt    *time.Time
	TakeoverAt     *time.Time
	Inherited      bool
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (itemRow) TableName() string { return "handover_items" }

func toItem(r itemRow) handover.Item {
	return handover.Item{ID: r.ID, CaseID: r.CaseID, Kind: r.Kind, TargetID: r.TargetID, TakeoverUserID: r.TakeoverUserID,
		OverrideUserID: r.OverrideUserID, State: r.State, BatchID: r.BatchID, ErrCode: r.ErrCode, Reason: r.Reason, Tries: r.Tries,
		NotBefore: r.NotBefore, SubmittedAt: r.SubmittedAt, TakeoverAt: r.TakeoverAt, Inherited: r.Inherited, UpdatedAt: r.UpdatedAt}
}

func toItems(rows []itemRow) []handover.Item {
	out := make([]handover.Item, len(rows))
	for i, r := range rows {
		out[i] = toItem(r)
	}
	return out
}

// AddItems inserts items, ignoring those already in their case.
func (s *Store) AddItems(ctx context.Context, items []handover.Item) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	now := time.Now().UTC()
	rows := make([]itemRow, len(items))
	for i, it := range items {
		rows[i] = itemRow{CorpID: s.corp, CaseID: it.CaseID, Kind: it.Kind, TargetID: it.TargetID, State: it.State,
			TakeoverUserID: it.TakeoverUserID, OverrideUserID: it.OverrideUserID, UpdatedAt: now}
	}
	res := sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 1000)
	return int(res.RowsAffected), sqlstore.Translate(res.Error)
}

// ItemPage reads a page of a case's items in id order.
func (s *Store) ItemPage(ctx context.Context, caseID int64, f handover.ItemFilter) ([]handover.Item, error) {
	q := sqlstore.Conn(ctx, s.db).Where("case_id = ?", caseID)
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if len(f.States) > 0 {
		q = q.Where("state IN ?", f.States)
	}
	if f.Takeover != "" {
		q = q.Where("takeover_userid = ?", f.Takeover)
	}
	if f.NoTaker {
		q = q.Where("takeover_userid = ''")
	}
	if f.DueAt != nil {
		q = q.Where("(not_before IS NULL OR not_before <= ?)", f.DueAt.UTC())
	}
	if f.BatchID != 0 {
		q = q.Where("batch_id = ?", f.BatchID)
	}
	if f.NotInherited {
		q = q.Where("inherited = ?", false)
	}
	if f.Q != "" {
		like := sqlstore.Like(f.Q)
		q = q.Where("(LOWER(target_id) LIKE ?"+sqlstore.LikeEscape+
			" OR (kind = ? AND target_id IN (SELECT external_userid FROM customers WHERE corp_id = ? AND LOWER(name) LIKE ?"+sqlstore.LikeEscape+"))"+
			" OR (kind = ? AND target_id IN (SELECT chat_id FROM group_chats WHERE corp_id = ? AND LOWER(name) LIKE ?"+sqlstore.LikeEscape+")))",
			like, handover.ItemCustomer, s.corp, like, handover.ItemGroup, s.corp, like)
	}
	if f.AfterID > 0 {
		q = q.Where("id > ?", f.AfterID)
	}
	var rows []itemRow
	if err := q.Order("id").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	return toItems(rows), nil
}

// ItemsByTarget reads a case's items for the given targets.
func (s *Store) ItemsByTarget(ctx context.Context, caseID int64, kind string, targets []string) ([]handover.Item, error) {
	if len(targets) == 0 {
		return nil, nil
	}
	var rows []itemRow
	if err := sqlstore.Conn(ctx, s.db).Where("case_id = ? AND kind = ? AND target_id IN ?", caseID, kind, targets).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	return toItems(rows), nil
}

// UpdateItems applies u to the items (only those in u.OnlyStates when set).
func (s *Store) UpdateItems(ctx context.Context, ids []int64, u handover.ItemUpdate) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	set := map[string]any{"updated_at": time.Now().UTC()}
	put := func(col string, v any, ok bool) {
		if ok {
			set[col] = v
		}
	}
	put("state", deref(u.State), u.State != nil)
	put("takeover_userid", deref(u.Takeover), u.Takeover != nil)
	put("override_userid", deref(u.Override), u.Override != nil)
	put("batch_id", deref(u.BatchID), u.BatchID != nil)
	put("errcode", deref(u.ErrCode), u.ErrCode != nil)
	put("reason", sqlstore.Clip(deref(u.Reason), 255), u.Reason != nil)
	put("tries", gorm.Expr("tries + 1"), u.AddTry)
	put("not_before", sqlstore.UTCPtr(u.NotBefore), u.NotBefore != nil)
	put("not_before", nil, u.ClearNotBefore)
	put("submitted_at", sqlstore.UTCPtr(u.SubmittedAt), u.SubmittedAt != nil)
	put("takeover_at", sqlstore.UTCPtr(u.TakeoverAt), u.TakeoverAt != nil)
	put("inherited", deref(u.Inherited), u.Inherited != nil)
	q := sqlstore.Conn(ctx, s.db).Model(&itemRow{}).Where("corp_id = ? AND id IN ?", s.corp, ids)
	if len(u.OnlyStates) > 0 {
		q = q.Where("state IN ?", u.OnlyStates)
	}
	res := q.Updates(set)
	return res.RowsAffected, sqlstore.Translate(res.Error)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// TakerCounts counts a case's items by kind, taker and state.
func (s *Store) TakerCounts(ctx context.Context, caseID int64) ([]handover.TakerCount, error) {
	var rows []struct {
		Kind           string
		TakeoverUserID string `gorm:"column:takeover_userid"`
		State          string
		N              int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&itemRow{}).Select("kind, takeover_userid, state, COUNT(*) AS n").
		Where("case_id = ?", caseID).Group("kind, takeover_userid, state").Order("kind, takeover_userid, state").Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]handover.TakerCount, len(rows))
	for i, r := range rows {
		out[i] = handover.TakerCount{Kind: r.Kind, Takeover: r.TakeoverUserID, State: r.State, N: r.N}
	}
	return out, nil
}

// ResetPlan gives unsent pending or failed items back their override (or no taker).
func (s *Store) ResetPlan(ctx context.Context, caseID int64) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&itemRow{}).
		Where("case_id = ? AND batch_id = 0 AND state IN ?", caseID, []string{handover.ItemPending, handover.ItemFailed}).
		Updates(map[string]any{"takeover_userid": gorm.Expr("override_userid"), "state": handover.ItemPending, "reason": "",
			"errcode": 0, "updated_at": time.Now().UTC()}).Error)
}

// NextDue is the earliest time an open item of the case can move.
func (s *Store) NextDue(ctx context.Context, caseID int64) (*time.Time, error) {
	var rows []struct {
		State      string
		NotBefore  sqlstore.Time // MIN() over DATETIME: text on SQLite
		TakeoverAt sqlstore.Time
		DueNow     int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&itemRow{}).
		Select("state, MIN(not_before) AS not_before, MIN(takeover_at) AS takeover_at, SUM(CASE WHEN not_before IS NULL THEN 1 ELSE 0 END) AS due_now").
		Where("case_id = ? AND state IN ?", caseID, []string{handover.ItemPending, handover.ItemSubmitting, handover.ItemLimit, handover.ItemWaiting}).
		Group("state").Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	var best *time.Time
	for _, r := range rows {
		t := r.TakeoverAt.T
		if r.State != handover.ItemWaiting {
			t = r.NotBefore.T
			if t == nil || r.DueNow > 0 {
				t = &time.Time{} // due at once
			}
		}
		if t != nil && (best == nil || t.Before(*best)) {
			best = t
		}
	}
	return best, nil
}

// OpenItemsFor finds items of active cases waiting on this customer and taker.
func (s *Store) OpenItemsFor(ctx context.Context, takeover, extID string) ([]handover.Item, error) {
	var rows []itemRow
	err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND target_id = ? AND kind = ? AND takeover_userid = ? AND state IN ?",
		s.corp, extID, handover.ItemCustomer, takeover, []string{handover.ItemWaiting, handover.ItemSubmitting}).Find(&rows).Error
	return toItems(rows), sqlstore.Translate(err)
}
