// Package workbenchdb implements workbench.Store with gorm: notes and follow-ups, the pipeline,
// profile fields and values (with the birthday index the sidebar home reads), replies and materials
// with their pictures and media ids, sends and channel names. Each read is one indexed query.
package workbenchdb

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

// Store implements workbench.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
	tx   *repo.TxManager
	now  func() time.Time
}

var _ workbench.Store = (*Store)(nil)

// New returns the workbench store of corpID.
func New(db *gorm.DB, corpID string) *Store {
	return &Store{db: db, corp: corpID, tx: repo.NewTxManager(db), now: func() time.Time { return time.Now().UTC() }}
}

func (s *Store) conn(ctx context.Context) *gorm.DB { return sqlstore.Conn(ctx, s.db) }

// insertIgnore is the dialect's INSERT that skips rows whose key exists.
func (s *Store) insertIgnore(ctx context.Context) string {
	if sqlstore.IsMySQL(s.conn(ctx)) {
		return "INSERT IGNORE INTO "
	}
	return "INSERT OR IGNORE INTO "
}

// Edge reports whether userID followed the customer at some time and follows now (the follows PK).
func (s *Store) Edge(ctx context.Context, userID, extID string) (followed, active bool, err error) {
	var rows []struct{ Active bool }
	if err := s.conn(ctx).Table("follows").Select("active").
		Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).Limit(1).Scan(&rows).Error; err != nil {
		return false, false, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return false, false, nil
	}
	return true, rows[0].Active, nil
}

// InGroup reports whether userID owns or is a member of a live group chat (the group_chats and
// group_members PKs).
func (s *Store) InGroup(ctx context.Context, userID, chatID string) (bool, error) {
	var n int64
	err := s.conn(ctx).Table("group_chats g").
		Where("g.corp_id = ? AND g.chat_id = ? AND g.dismissed_at IS NULL", s.corp, chatID).
		Where("g.owner_userid = ? OR EXISTS (SELECT 1 FROM group_members m WHERE m.corp_id = g.corp_id AND m.chat_id = g.chat_id "+
			"AND m.member_id = ? AND m.type = 1)", userID, userID).Count(&n).Error
	return n > 0, sqlstore.Translate(err)
}

// entryRow is a customer on the sidebar home.
type entryRow struct {
	ExternalUserID string `gorm:"column:external_userid"`
	At             sqlstore.Time
	Name           *string
	Avatar         *string
	Remark         *string
	Note           *string
	MonthDay       *int
}

func toEntries(rows []entryRow) []workbench.HomeEntry {
	out := make([]workbench.HomeEntry, len(rows))
	for i, r := range rows {
		e := workbench.HomeEntry{ExternalUserID: r.ExternalUserID, Name: str(r.Name), Avatar: str(r.Avatar), Remark: str(r.Remark), Note: str(r.Note)}
		if r.At.T != nil {
			e.At = *r.At.T
		}
		if r.MonthDay != nil {
			e.MonthDay = *r.MonthDay
		}
		out[i] = e
	}
	return out
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// Audit appends an admin action to admin_audit.
func (s *Store) Audit(ctx context.Context, a service.AuditEntry) error {
	return sqlstore.AppendAudit(ctx, s.db, s.corp, a)
}
