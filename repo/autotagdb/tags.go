package autotagdb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/autotag"
)

type autoTagRow struct {
	CorpID         string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	RuleID         int64  `gorm:"primaryKey;autoIncrement:false"`
	TagID          string
	Since          time.Time
}

func (autoTagRow) TableName() string { return "customer_auto_tags" }

type markRow struct {
	CorpID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey;column:userid"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	TagID          string `gorm:"primaryKey"`
	RuleID         int64
	Op             string
	State          string
	Attempts       int
	Errcode        int
	LastError      string
	UpdatedAt      time.Time
	DoneAt         *time.Time
}

func (markRow) TableName() string { return "autotag_marks" }

// Mark states.
const (
	statePending = "pending"
	stateDone    = "done"
	stateFailed  = "failed"
)

func toAssigned(rows []autoTagRow) []autotag.Assigned {
	out := make([]autotag.Assigned, len(rows))
	for i, r := range rows {
		out[i] = autotag.Assigned{ExternalUserID: r.ExternalUserID, RuleID: r.RuleID, TagID: r.TagID, Since: r.Since.UTC()}
	}
	return out
}

// TagsBetween lists the rule tags of customers in (after, upTo] (the primary key; upTo "": no end).
func (s *Store) TagsBetween(ctx context.Context, after, upTo string) ([]autotag.Assigned, error) {
	q := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid > ?", s.corp, after)
	if upTo != "" {
		q = q.Where("external_userid <= ?", upTo)
	}
	var rows []autoTagRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	return toAssigned(rows), nil
}

// TagsOf lists the rule tags of the given customers (the primary key).
func (s *Store) TagsOf(ctx context.Context, extIDs []string) ([]autotag.Assigned, error) {
	var out []autotag.Assigned
	for len(extIDs) > 0 {
		n := min(len(extIDs), 500)
		var rows []autoTagRow
		if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid IN ?", s.corp, extIDs[:n]).Find(&rows).Error; err != nil {
			return nil, sqlstore.Translate(err)
		}
		out = append(out, toAssigned(rows)...)
		extIDs = extIDs[n:]
	}
	return out, nil
}

// Apply writes an evaluation's changes in one transaction: removals by key, additions and marks in
// multi-row statements (a mark replaces the edge's earlier wish for the tag and is pending again).
func (s *Store) Apply(ctx context.Context, ch autotag.Changes, at time.Time) error {
	return repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		for rest := ch.Remove; len(rest) > 0; { // by key, 200 at a time (no row values: SQLite lacks them in lists)
			n := min(len(rest), 200)
			args := []any{s.corp}
			for _, a := range rest[:n] {
				args = append(args, a.ExternalUserID, a.RuleID)
			}
			cond := "corp_id = ? AND (" + strings.TrimSuffix(strings.Repeat("(external_userid = ? AND rule_id = ?) OR ", n), " OR ") + ")"
			if err := db.Where(cond, args...).Delete(&autoTagRow{}).Error; err != nil {
				return sqlstore.Translate(err)
			}
			rest = rest[n:]
		}
		if len(ch.Add) > 0 {
			rows := make([]autoTagRow, len(ch.Add))
			for i, a := range ch.Add {
				rows[i] = autoTagRow{CorpID: s.corp, ExternalUserID: a.ExternalUserID, RuleID: a.RuleID, TagID: a.TagID, Since: a.Since.UTC()}
			}
			if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"tag_id", "since"})}).
				CreateInBatches(&rows, 1000).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		if err := s.ruleActivities(ctx, ch, at); err != nil {
			return err
		}
		if len(ch.Marks) == 0 {
			return nil
		}
		rows := make([]markRow, len(ch.Marks))
		for i, m := range ch.Marks {
			rows[i] = markRow{CorpID: s.corp, UserID: m.UserID, ExternalUserID: m.ExternalUserID, TagID: m.TagID, RuleID: m.RuleID,
				Op: m.Op, State: statePending, UpdatedAt: at.UTC()}
		}
		cols := []string{"rule_id", "op", "state", "attempts", "errcode", "last_error", "updated_at", "done_at"}
		return sqlstore.Translate(db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).CreateInBatches(&rows, 1000).Error)
	})
}
