package graphdb

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/graph"
)

type inboxRow struct {
	ID         int64 `gorm:"primaryKey"`
	EventKey   string
	Event      string
	ChangeType string
	EventTime  time.Time
	Raw        []byte
	Status     string
	Attempts   int
	NextAt     time.Time
	LockedBy   string
	LastError  string
	ReceivedAt time.Time
	DoneAt     *time.Time
}

func (inboxRow) TableName() string { return "inbox_events" }

// InboxStore implements graph.InboxStore on the inbox_events table.
type InboxStore struct {
	db  *gorm.DB
	now func() time.Time
}

var _ graph.InboxStore = (*InboxStore)(nil)

// NewInboxStore returns an InboxStore.
func NewInboxStore(db *gorm.DB) *InboxStore {
	return &InboxStore{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// eventKey keeps keys within the unique index; long keys are hashed.
func eventKey(k string) string {
	if len(k) <= 191 {
		return k
	}
	sum := sha1.Sum([]byte(k))
	return "sha1:" + hex.EncodeToString(sum[:])
}

// Append inserts items in one statement, ignoring duplicates of stored keys.
func (s *InboxStore) Append(ctx context.Context, items []graph.InboxItem) error {
	if len(items) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]inboxRow, len(items))
	for i, it := range items {
		rows[i] = inboxRow{EventKey: eventKey(it.Key), Event: it.Event, ChangeType: it.ChangeType, EventTime: it.EventTime.UTC(),
			Raw: it.Raw, Status: graph.InboxPending, NextAt: now, ReceivedAt: now}
	}
	err := sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
	return sqlstore.Translate(err)
}

// Claim leases due items: it moves their next_at to the lease's end, so a crashed
// owner's items come due again by themselves. MySQL skips rows other replicas are claiming.
func (s *InboxStore) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]graph.InboxItem, error) {
	var rows []inboxRow
	now := s.now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// next_at, id is the due index's order: the scan stops after limit rows and locks only those.
		q := tx.Select("id").Where("status = ? AND next_at <= ?", graph.InboxPending, now).Order("next_at, id").Limit(limit)
		if sqlstore.IsMySQL(tx) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var ids []int64
		if err := q.Model(&inboxRow{}).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Model(&inboxRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"next_at": now.Add(lease), "locked_by": owner, "attempts": gorm.Expr("attempts + 1"),
		}).Error; err != nil {
			return err
		}
		return tx.Where("id IN ?", ids).Order("id").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim inbox: %w", sqlstore.Translate(err))
	}
	out := make([]graph.InboxItem, len(rows))
	for i, r := range rows {
		out[i] = toInboxItem(r)
	}
	return out, nil
}

func toInboxItem(r inboxRow) graph.InboxItem {
	return graph.InboxItem{ID: r.ID, Key: r.EventKey, Event: r.Event, ChangeType: r.ChangeType, EventTime: r.EventTime,
		Raw: r.Raw, Attempts: r.Attempts, LastError: r.LastError, ReceivedAt: r.ReceivedAt}
}

// DoneMany marks items applied in one statement.
func (s *InboxStore) DoneMany(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Where("id IN ?", ids).
		Updates(map[string]any{"status": graph.InboxDone, "done_at": s.now(), "last_error": ""}).Error)
}

// Retry makes an item due again at next.
func (s *InboxStore) Retry(ctx context.Context, id int64, attempts int, next time.Time, reason string) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Where("id = ?", id).
		Updates(map[string]any{"next_at": next.UTC(), "attempts": attempts, "last_error": sqlstore.Clip(reason, 1000)}).Error)
}

// Park sets an item aside with its reason.
func (s *InboxStore) Park(ctx context.Context, id int64, attempts int, reason string) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Where("id = ?", id).
		Updates(map[string]any{"status": graph.InboxParked, "attempts": attempts, "last_error": sqlstore.Clip(reason, 1000)}).Error)
}

// Replay makes parked items (all of them when ids is empty) pending again with fresh attempts.
func (s *InboxStore) Replay(ctx context.Context, ids []int64) (int64, error) {
	q := sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Where("status = ?", graph.InboxParked)
	if len(ids) > 0 {
		q = q.Where("id IN ?", ids)
	}
	res := q.Updates(map[string]any{"status": graph.InboxPending, "attempts": 0, "next_at": s.now()})
	return res.RowsAffected, sqlstore.Translate(res.Error)
}

// PurgeDone deletes applied items done before cutoff, oldest first, at most limit of them.
func (s *InboxStore) PurgeDone(ctx context.Context, cutoff time.Time, limit int) (int64, error) {
	var ids []int64
	if err := sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Where("status = ? AND done_at < ?", graph.InboxDone, cutoff.UTC()).
		Order("id").Limit(limit).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
		return 0, sqlstore.Translate(err)
	}
	res := sqlstore.Conn(ctx, s.db).Where("id IN ? AND status = ?", ids, graph.InboxDone).Delete(&inboxRow{})
	return res.RowsAffected, sqlstore.Translate(res.Error)
}

// ListParked lists parked items, oldest first.
func (s *InboxStore) ListParked(ctx context.Context, limit int) ([]graph.InboxItem, error) {
	var rows []inboxRow
	if err := sqlstore.Conn(ctx, s.db).Where("status = ?", graph.InboxParked).Order("id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]graph.InboxItem, len(rows))
	for i, r := range rows {
		out[i] = toInboxItem(r)
	}
	return out, nil
}

// Stats counts pending and parked items through the due index (done rows are not counted:
// at scale there are tens of millions of them).
func (s *InboxStore) Stats(ctx context.Context) (graph.InboxStats, error) {
	var st graph.InboxStats
	db := sqlstore.Conn(ctx, s.db).Model(&inboxRow{})
	if err := db.Where("status = ?", graph.InboxPending).Count(&st.Pending).Error; err != nil {
		return st, sqlstore.Translate(err)
	}
	err := sqlstore.Conn(ctx, s.db).Model(&inboxRow{}).Where("status = ?", graph.InboxParked).Count(&st.Parked).Error
	return st, sqlstore.Translate(err)
}
