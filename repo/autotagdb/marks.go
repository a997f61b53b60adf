package autotagdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
)

// PendingMarks lists pending marks after an edge, by edge and tag (idx_marks_state).
func (s *Store) PendingMarks(ctx context.Context, afterUser, afterExt string, limit int) ([]autotag.Mark, error) {
	var rows []markRow
	err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND state = ?", s.corp, statePending).
		Where("(userid > ? OR (userid = ? AND external_userid > ?))", afterUser, afterUser, afterExt).
		Order("userid, external_userid, tag_id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]autotag.Mark, len(rows))
	for i, r := range rows {
		out[i] = autotag.Mark{UserID: r.UserID, ExternalUserID: r.ExternalUserID, TagID: r.TagID, RuleID: r.RuleID, Op: r.Op, Attempts: r.Attempts}
	}
	return out, nil
}

// EdgeTags reads an edge's tags with their origins and whether it is active (the follows and
// follow_tags primary keys).
func (s *Store) EdgeTags(ctx context.Context, userID, extID string) (map[string]autotag.EdgeTag, bool, error) {
	db := sqlstore.Conn(ctx, s.db)
	var active []bool
	if err := db.Model(&sqlstore.FollowRow{}).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).
		Pluck("active", &active).Error; err != nil {
		return nil, false, sqlstore.Translate(err)
	}
	var rows []sqlstore.FollowTagRow
	if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).Find(&rows).Error; err != nil {
		return nil, false, sqlstore.Translate(err)
	}
	out := make(map[string]autotag.EdgeTag, len(rows))
	for _, r := range rows {
		out[r.TagID] = autotag.EdgeTag{Origin: r.Origin, RuleID: r.RuleID}
	}
	return out, len(active) == 1 && active[0], nil
}

// MarksWritten records what WeCom accepted, in one transaction that first locks the customer (as a
// guide's tag edit and the graph's writes do): the edge's tags are stamped at `at` unless a newer
// WeCom read stamped them, the added tags are the rules' (a tag there already keeps its origin), the
// removed ones go if a rule put them, and the marks still asking for what was written are done.
func (s *Store) MarksWritten(ctx context.Context, userID, extID string, add, remove, skipped []autotag.Mark, at time.Time) error {
	at = at.UTC().Truncate(time.Microsecond)
	return repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		if len(add)+len(remove) > 0 {
			lock := db
			if sqlstore.IsMySQL(db) {
				lock = lock.Clauses(clause.Locking{Strength: "UPDATE"})
			}
			var held []string
			if err := lock.Model(&sqlstore.CustomerRow{}).Where("corp_id = ? AND external_userid = ?", s.corp, extID).
				Pluck("external_userid", &held).Error; err != nil {
				return sqlstore.Translate(err)
			}
			if err := db.Model(&sqlstore.FollowRow{}).
				Where("corp_id = ? AND userid = ? AND external_userid = ? AND (tags_at IS NULL OR tags_at < ?)", s.corp, userID, extID, at).
				Update("tags_at", at).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		if len(remove) > 0 {
			if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ? AND tag_id IN ? AND origin = ?", s.corp, userID, extID,
				tagIDs(remove), service.TagFromRule).Delete(&sqlstore.FollowTagRow{}).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		if len(add) > 0 {
			rows := make([]sqlstore.FollowTagRow, len(add))
			for i, m := range add {
				rows[i] = sqlstore.FollowTagRow{CorpID: s.corp, UserID: userID, ExternalUserID: extID, TagID: m.TagID, Origin: service.TagFromRule, RuleID: m.RuleID}
			}
			if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		for _, m := range append(append(append([]autotag.Mark{}, add...), remove...), skipped...) {
			if err := s.settle(ctx, m, map[string]any{"state": stateDone, "done_at": at, "errcode": 0, "last_error": ""}); err != nil {
				return err
			}
		}
		return nil
	})
}

// MarksFailed records a failed attempt: failed for good when final, pending again otherwise.
func (s *Store) MarksFailed(ctx context.Context, marks []autotag.Mark, code int, reason string, final bool) error {
	state := statePending
	if final {
		state = stateFailed
	}
	for _, m := range marks {
		if err := s.settle(ctx, m, map[string]any{"state": state, "attempts": m.Attempts + 1, "errcode": code,
			"last_error": sqlstore.Clip(reason, 255), "updated_at": time.Now().UTC()}); err != nil {
			return err
		}
	}
	return nil
}

// settle updates a pending mark that still asks for m.Op: a newer wish queued meanwhile stays pending.
func (s *Store) settle(ctx context.Context, m autotag.Mark, set map[string]any) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&markRow{}).
		Where("corp_id = ? AND userid = ? AND external_userid = ? AND tag_id = ? AND op = ? AND state = ?",
			s.corp, m.UserID, m.ExternalUserID, m.TagID, m.Op, statePending).Updates(set).Error)
}

func tagIDs(ms []autotag.Mark) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.TagID
	}
	return out
}
