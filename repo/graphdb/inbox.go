package graphdb

import (
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
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
	LeaseToken string
	LastError  string
	ReceivedAt time.Time
	DoneAt     *time.Time
	UserID     string `gorm:"column:userid"`
	ExternalID string `gorm:"column:external_userid"`
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

// Append inserts items in one statement, ignoring duplicates of stored keys. The rows go in key
// order: replicas appending the same callbacks at once (WeCom's retries reach any replica) then
// lock the keys in one order and wait for each other instead of deadlocking. It is the callback
// intake's one statement per group commit, so it is written by hand and sent straight to the
// connection (or the transaction on ctx): gorm's Create built it through reflection and a clause
// tree at about a third of the intake's CPU (docs/benchmarks.md, "Intake at the limit").
func (s *InboxStore) Append(ctx context.Context, items []graph.InboxItem) error {
	if len(items) == 0 {
		return nil
	}
	now := s.now()
	order := make([]int, len(items))
	keys := make([]string, len(items))
	for i, it := range items {
		order[i], keys[i] = i, eventKey(it.Key)
	}
	sort.Slice(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	var q strings.Builder
	q.Grow(len(appendHead) + len(items)*len(appendRow) + 40)
	q.WriteString(appendHead)
	args := make([]any, 0, len(items)*10)
	for n, i := range order {
		if n > 0 {
			q.WriteByte(',')
		}
		q.WriteString(appendRow)
		it := items[i]
		args = append(args, keys[i], it.Event, it.ChangeType, it.EventTime.UTC(), it.Raw, graph.InboxPending, now, now,
			subject(it.UserID), subject(it.ExternalUserID))
	}
	conn := sqlstore.Conn(ctx, s.db)
	if sqlstore.IsMySQL(conn) {
		q.WriteString(" ON DUPLICATE KEY UPDATE id = id")
	} else {
		q.WriteString(" ON CONFLICT DO NOTHING")
	}
	_, err := conn.Statement.ConnPool.ExecContext(ctx, q.String(), args...)
	return sqlstore.Translate(err)
}

const (
	appendHead = "INSERT INTO inbox_events (event_key, event, change_type, event_time, raw, status, next_at, received_at, userid, external_userid) VALUES "
	appendRow  = "(?,?,?,?,?,?,?,?,?,?)"
)

// subject keeps an id within the userid / external_userid columns; a longer one (never a WeCom id)
// is left out, and the event is then planned alone.
func subject(id string) string {
	if len(id) > 64 {
		return ""
	}
	return id
}

// Claim leases due items under a fresh token: it moves their next_at to the lease's end, so a
// crashed or stalled owner's items come due again by themselves, and writes the token that
// fences finishing them. MySQL skips rows other replicas are claiming; the update re-checks
// that each row is still due, so a row another claim took in between is left out.
func (s *InboxStore) Claim(ctx context.Context, owner string, limit int, lease time.Duration) ([]graph.InboxItem, error) {
	// next_at, id is the due index's order: the scan stops after limit rows and locks only those.
	return s.claim(ctx, owner, limit, lease, "next_at <= ?", func(q *gorm.DB) *gorm.DB { return q.Order("next_at, id") })
}

// ClaimReads leases, as Claim does, the given guides' pending events that need a contact read
// (graph.ContactReadChanges), oldest first (idx_inbox_subject, then the rows themselves): the due
// ones and those waiting for a retry or a deferred read (no lease: no token), which join their
// guide's read early; rows another worker holds are left alone.
func (s *InboxStore) ClaimReads(ctx context.Context, owner string, userIDs []string, limit int, lease time.Duration) ([]graph.InboxItem, error) {
	if len(userIDs) == 0 || limit <= 0 {
		return nil, nil
	}
	return s.claim(ctx, owner, limit, lease, "(next_at <= ? OR lease_token = '')", func(q *gorm.DB) *gorm.DB {
		return q.Where("userid IN ? AND change_type IN ?", userIDs, graph.ContactReadChanges).Order("id")
	})
}

// claim leases up to limit pending rows that scope selects (and orders) and free says are free to
// take (its one parameter is now).
func (s *InboxStore) claim(ctx context.Context, owner string, limit int, lease time.Duration, free string, scope func(*gorm.DB) *gorm.DB) ([]graph.InboxItem, error) {
	var rows []inboxRow
	now := s.now()
	token := newLeaseToken()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := scope(tx.Select("id").Where("status = ? AND "+free, graph.InboxPending, now)).Limit(limit)
		if sqlstore.IsMySQL(tx) {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var ids []int64
		if err := q.Model(&inboxRow{}).Pluck("id", &ids).Error; err != nil || len(ids) == 0 {
			return err
		}
		if err := tx.Model(&inboxRow{}).Where("id IN ? AND status = ? AND "+free, ids, graph.InboxPending, now).Updates(map[string]any{
			"next_at": now.Add(lease), "locked_by": owner, "lease_token": token, "attempts": gorm.Expr("attempts + 1"),
		}).Error; err != nil {
			return err
		}
		return tx.Where("id IN ? AND lease_token = ?", ids, token).Order("id").Find(&rows).Error
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

// newLeaseToken is 128 random bits in hex (the column holds 32 characters): no two claims share one.
func newLeaseToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

func toInboxItem(r inboxRow) graph.InboxItem {
	return graph.InboxItem{ID: r.ID, Key: r.EventKey, Event: r.Event, ChangeType: r.ChangeType, EventTime: r.EventTime,
		Raw: r.Raw, Attempts: r.Attempts, LastError: r.LastError, ReceivedAt: r.ReceivedAt, Token: r.LeaseToken,
		UserID: r.UserID, ExternalUserID: r.ExternalID}
}

// byToken groups leases' ids by token (one group per claim, so usually one).
func byToken(leases []graph.Lease) map[string][]int64 {
	out := map[string][]int64{}
	for _, l := range leases {
		if l.Token != "" { // a row never claimed carries no token and is nobody's to finish
			out[l.Token] = append(out[l.Token], l.ID)
		}
	}
	return out
}

// held scopes a query to the pending rows ids still carrying token.
func held(q *gorm.DB, ids []int64, token string) *gorm.DB {
	return q.Model(&inboxRow{}).Where("id IN ? AND lease_token = ? AND status = ?", ids, token, graph.InboxPending)
}

// Renew moves the lease's end of the rows still held under their tokens and returns their ids.
// The rows a claim of another worker took since (a new token) or that were finished are left
// alone and left out.
func (s *InboxStore) Renew(ctx context.Context, leases []graph.Lease, lease time.Duration) ([]int64, error) {
	var out []int64
	until := s.now().Add(lease)
	for token, ids := range byToken(leases) {
		if err := held(sqlstore.Conn(ctx, s.db), ids, token).Update("next_at", until).Error; err != nil {
			return nil, fmt.Errorf("renew inbox leases: %w", sqlstore.Translate(err))
		}
		var still []int64
		if err := held(sqlstore.Conn(ctx, s.db), ids, token).Pluck("id", &still).Error; err != nil {
			return nil, fmt.Errorf("renew inbox leases: %w", sqlstore.Translate(err))
		}
		out = append(out, still...)
	}
	return out, nil
}

// DoneMany marks held items applied; ErrLeaseLost if any of them is no longer held (the caller's
// transaction then rolls back the rows this statement did mark).
func (s *InboxStore) DoneMany(ctx context.Context, leases []graph.Lease) error {
	n := int64(0)
	for token, ids := range byToken(leases) {
		res := held(sqlstore.Conn(ctx, s.db), ids, token).Updates(map[string]any{"status": graph.InboxDone, "done_at": s.now(), "last_error": ""})
		if res.Error != nil {
			return sqlstore.Translate(res.Error)
		}
		n += res.RowsAffected
	}
	if n != int64(len(leases)) {
		return fmt.Errorf("mark %d inbox items done, %d held: %w", len(leases), n, graph.ErrLeaseLost)
	}
	return nil
}

// Retry makes a held item due again at next and releases its lease (the token is cleared).
func (s *InboxStore) Retry(ctx context.Context, l graph.Lease, attempts int, next time.Time, reason string) (bool, error) {
	return s.finish(ctx, l, map[string]any{"next_at": next.UTC(), "attempts": attempts, "lease_token": "",
		"last_error": sqlstore.Clip(reason, 1000)})
}

// Defer makes held items due again at until and releases their leases, giving back the attempt
// their claim counted: one statement per claim (token) among them.
func (s *InboxStore) Defer(ctx context.Context, leases []graph.Lease, until time.Time, reason string) error {
	for token, ids := range byToken(leases) {
		err := held(sqlstore.Conn(ctx, s.db), ids, token).Updates(map[string]any{"next_at": until.UTC(), "lease_token": "",
			"attempts": gorm.Expr("CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"), "last_error": sqlstore.Clip(reason, 1000)}).Error
		if err != nil {
			return fmt.Errorf("defer inbox items: %w", sqlstore.Translate(err))
		}
	}
	return nil
}

// Park sets a held item aside with its reason.
func (s *InboxStore) Park(ctx context.Context, l graph.Lease, attempts int, reason string) (bool, error) {
	return s.finish(ctx, l, map[string]any{"status": graph.InboxParked, "attempts": attempts, "lease_token": "",
		"last_error": sqlstore.Clip(reason, 1000)})
}

// finish writes set to the item if it is still held under its lease, and says whether it was.
// Every set changes the token or the status, so the affected-row count (MySQL counts changed
// rows, not matched ones) is 1 exactly when the row was held.
func (s *InboxStore) finish(ctx context.Context, l graph.Lease, set map[string]any) (bool, error) {
	if l.Token == "" {
		return false, nil
	}
	res := held(sqlstore.Conn(ctx, s.db), []int64{l.ID}, l.Token).Updates(set)
	return res.RowsAffected == 1, sqlstore.Translate(res.Error)
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
