package tasksdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

// inChunk bounds the ids of one IN list.
const inChunk = 1000

type recipientRow struct {
	CorpID         string `gorm:"primaryKey"`
	TaskID         int64  `gorm:"primaryKey"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	UserID         string `gorm:"column:userid"`
	SendID         int64
	State          string
	SentAt         *time.Time
}

func (recipientRow) TableName() string { return "task_recipients" }

// ResetPlan deletes a task's recipients, sends and assignments.
func (s *Store) ResetPlan(ctx context.Context, taskID int64) error {
	for _, m := range []any{&recipientRow{}, &sendRow{}, &assignmentRow{}} {
		if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND task_id = ?", s.corp, taskID).Delete(m).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	return nil
}

// Candidates returns a page of customers (by external_userid) who have an active edge of an active
// guide, carrying one of the tags on such an edge when tags are given, with those edges.
func (s *Store) Candidates(ctx context.Context, q tasks.CandidateQuery) ([]tasks.Candidate, error) {
	page := sqlstore.Conn(ctx, s.db).Table("follows f").Select("DISTINCT f.external_userid").
		Joins("JOIN guides g ON g.corp_id = f.corp_id AND g.userid = f.userid").
		Where("f.corp_id = ? AND f.active = ? AND g.status = ? AND f.external_userid > ?", s.corp, true, service.GuideActive, q.After)
	if len(q.IDs) > 0 {
		page = page.Where("f.external_userid IN ?", q.IDs)
	}
	if len(q.TagIDs) > 0 {
		page = page.Where("EXISTS (SELECT 1 FROM follow_tags t WHERE t.corp_id = f.corp_id AND t.userid = f.userid AND t.external_userid = f.external_userid AND t.tag_id IN ?)", q.TagIDs)
	}
	var exts []string
	if err := page.Order("f.external_userid").Limit(q.Limit).Scan(&exts).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	if len(exts) == 0 {
		return nil, nil
	}
	var rows []struct {
		ExternalUserID string `gorm:"column:external_userid"`
		UserID         string `gorm:"column:userid"`
		AddedAt        sqlstore.Time
		StoreID        int64
		Owner          string
	}
	err := sqlstore.Conn(ctx, s.db).Table("follows f").
		Select("f.external_userid, f.userid, f.added_at, g.store_id, COALESCE(c.owner_userid, '') AS owner").
		Joins("JOIN guides g ON g.corp_id = f.corp_id AND g.userid = f.userid").
		Joins("LEFT JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid").
		Where("f.corp_id = ? AND f.active = ? AND g.status = ? AND f.external_userid IN ?", s.corp, true, service.GuideActive, exts).
		Order("f.external_userid, f.userid").Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]tasks.Candidate, 0, len(exts))
	for _, r := range rows {
		if n := len(out); n == 0 || out[n-1].ExternalUserID != r.ExternalUserID {
			out = append(out, tasks.Candidate{ExternalUserID: r.ExternalUserID, Owner: r.Owner})
		}
		c := &out[len(out)-1]
		c.Followers = append(c.Followers, tasks.Follower{UserID: r.UserID, StoreID: r.StoreID, AddedAt: sqlstore.Deref(r.AddedAt.T)})
	}
	return out, nil
}

// AddRecipients inserts recipients, ignoring customers already in the task.
func (s *Store) AddRecipients(ctx context.Context, rs []tasks.Recipient) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([]recipientRow, len(rs))
	for i, r := range rs {
		rows[i] = recipientRow{CorpID: s.corp, TaskID: r.TaskID, ExternalUserID: r.ExternalUserID, UserID: r.UserID, SendID: r.SendID,
			State: r.State, SentAt: sqlstore.UTCPtr(r.SentAt)}
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 500).Error)
}

// RecipientCounts counts a task's recipients per guide.
func (s *Store) RecipientCounts(ctx context.Context, taskID int64) (map[string]int, error) {
	var rows []struct {
		UserID string `gorm:"column:userid"`
		N      int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&recipientRow{}).Select("userid, COUNT(*) AS n").
		Where("corp_id = ? AND task_id = ?", s.corp, taskID).Group("userid").Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.N
	}
	return out, sqlstore.Translate(err)
}

// GuideStores maps guides to their stores.
func (s *Store) GuideStores(ctx context.Context, userIDs []string) (map[string]int64, error) {
	out := make(map[string]int64, len(userIDs))
	for i := 0; i < len(userIDs); i += inChunk {
		var rows []sqlstore.GuideRow
		err := sqlstore.Conn(ctx, s.db).Select("userid, store_id").
			Where("corp_id = ? AND userid IN ?", s.corp, userIDs[i:min(i+inChunk, len(userIDs))]).Find(&rows).Error
		if err != nil {
			return nil, sqlstore.Translate(err)
		}
		for _, r := range rows {
			out[r.UserID] = r.StoreID
		}
	}
	return out, nil
}

// Unbatched is the next customers of a guide in a task not yet in a send.
func (s *Store) Unbatched(ctx context.Context, taskID int64, userID string, limit int) ([]string, error) {
	var out []string
	err := sqlstore.Conn(ctx, s.db).Model(&recipientRow{}).
		Where("corp_id = ? AND task_id = ? AND userid = ? AND send_id = 0", s.corp, taskID, userID).
		Order("external_userid").Limit(limit).Pluck("external_userid", &out).Error
	return out, sqlstore.Translate(err)
}

// CreateSend inserts a send and puts the customers in it (call it in a transaction).
func (s *Store) CreateSend(ctx context.Context, sd tasks.Send, exts []string) (tasks.Send, error) {
	now := time.Now().UTC()
	row := sendRow{CorpID: s.corp, TaskID: sd.TaskID, UserID: sd.UserID, Size: sd.Size, State: sd.State, CreatedAt: now, UpdatedAt: now}
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		return sd, sqlstore.Translate(err)
	}
	for i := 0; i < len(exts); i += inChunk {
		err := sqlstore.Conn(ctx, s.db).Model(&recipientRow{}).
			Where("corp_id = ? AND task_id = ? AND external_userid IN ?", s.corp, sd.TaskID, exts[i:min(i+inChunk, len(exts))]).
			Update("send_id", row.ID).Error
		if err != nil {
			return sd, sqlstore.Translate(err)
		}
	}
	return toSend(row), nil
}
