package workbenchdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

type stageRow struct {
	CorpID    string `gorm:"primaryKey"`
	StageID   string `gorm:"primaryKey"`
	Name      string
	SortOrder int
	Archived  bool
}

func (stageRow) TableName() string { return "wb_stages" }

// Stages lists the pipeline, live stages first in order, then archived ones.
func (s *Store) Stages(ctx context.Context) ([]workbench.Stage, error) {
	var rows []stageRow
	if err := s.conn(ctx).Where("corp_id = ?", s.corp).Order("archived, sort_order, stage_id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Stage, len(rows))
	for i, r := range rows {
		out[i] = workbench.Stage{StageID: r.StageID, Name: r.Name, Order: r.SortOrder, Archived: r.Archived}
	}
	return out, nil
}

// SaveStages writes the given stages in order and archives the others, in one transaction.
func (s *Store) SaveStages(ctx context.Context, stages []workbench.Stage) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Model(&stageRow{}).Where("corp_id = ?", s.corp).Update("archived", true).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if len(stages) == 0 {
			return nil
		}
		rows := make([]stageRow, len(stages))
		for i, st := range stages {
			rows[i] = stageRow{CorpID: s.corp, StageID: st.StageID, Name: st.Name, SortOrder: st.Order}
		}
		return sqlstore.Translate(db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"name", "sort_order", "archived"})}).
			Create(&rows).Error)
	})
}

type noteRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	ExternalUserID string `gorm:"column:external_userid"`
	UserID         string `gorm:"column:userid"`
	Body           string
	StageID        string
	NextAt         *time.Time
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
}

func (noteRow) TableName() string { return "wb_notes" }

type followUpRow struct {
	CorpID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey;column:userid"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	DueAt          time.Time
	NoteID         int64
}

func (followUpRow) TableName() string { return "wb_followups" }

type customerStageRow struct {
	CorpID         string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	StageID        string
	UserID         string `gorm:"column:userid"`
	NoteID         int64
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (customerStageRow) TableName() string { return "wb_customer_stages" }

// AddNote appends the note, settles the author's follow-up of the customer, opens the next one and
// moves the customer's stage, in one transaction.
func (s *Store) AddNote(ctx context.Context, n workbench.Note) (workbench.Note, error) {
	row := noteRow{CorpID: s.corp, ExternalUserID: n.ExternalUserID, UserID: n.UserID, Body: n.Body, StageID: n.StageID,
		NextAt: sqlstore.UTCPtr(n.NextAt), CreatedAt: n.CreatedAt.UTC()}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Create(&row).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, n.UserID, n.ExternalUserID).
			Delete(&followUpRow{}).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if row.NextAt != nil {
			fu := followUpRow{CorpID: s.corp, UserID: n.UserID, ExternalUserID: n.ExternalUserID, DueAt: *row.NextAt, NoteID: row.ID}
			if err := db.Create(&fu).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		if n.StageID == "" {
			return nil
		}
		cs := customerStageRow{CorpID: s.corp, ExternalUserID: n.ExternalUserID, StageID: n.StageID, UserID: n.UserID, NoteID: row.ID, UpdatedAt: row.CreatedAt}
		return sqlstore.Translate(db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"stage_id", "userid", "note_id", "updated_at"})}).
			Create(&cs).Error)
	})
	if err != nil {
		return workbench.Note{}, err
	}
	n.ID, n.CreatedAt, n.NextAt = row.ID, row.CreatedAt, row.NextAt
	return n, nil
}

type noteViewRow struct {
	N            noteRow `gorm:"embedded"`
	AuthorName   *string
	AuthorStatus *string
}

// Notes pages a customer's notes by id, newest first, with the authors' names (idx_wb_notes_customer,
// the guides PK).
func (s *Store) Notes(ctx context.Context, extID string, beforeID int64, limit int) ([]workbench.Note, error) {
	q := s.conn(ctx).Table("wb_notes n").Select("n.*, g.name AS author_name, g.status AS author_status").
		Joins("LEFT JOIN guides g ON g.corp_id = n.corp_id AND g.userid = n.userid").
		Where("n.corp_id = ? AND n.external_userid = ?", s.corp, extID)
	if beforeID > 0 {
		q = q.Where("n.id < ?", beforeID)
	}
	var rows []noteViewRow
	if err := q.Order("n.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Note, len(rows))
	for i, r := range rows {
		n := r.N
		out[i] = workbench.Note{ID: n.ID, ExternalUserID: n.ExternalUserID, UserID: n.UserID, Body: n.Body, StageID: n.StageID,
			NextAt: sqlstore.UTCPtr(n.NextAt), CreatedAt: n.CreatedAt.UTC(), AuthorName: str(r.AuthorName),
			AuthorResigned: str(r.AuthorStatus) == service.GuideResigned}
		if out[i].AuthorName == "" {
			out[i].AuthorName = n.UserID
		}
	}
	return out, nil
}

// Summary reads the customer's stage and the guide's open follow-up (two primary-key lookups).
func (s *Store) Summary(ctx context.Context, userID, extID string) (string, *time.Time, error) {
	var st []customerStageRow
	if err := s.conn(ctx).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Limit(1).Find(&st).Error; err != nil {
		return "", nil, sqlstore.Translate(err)
	}
	var fu []followUpRow
	if err := s.conn(ctx).Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).Limit(1).Find(&fu).Error; err != nil {
		return "", nil, sqlstore.Translate(err)
	}
	stage := ""
	if len(st) > 0 {
		stage = st[0].StageID
	}
	var next *time.Time
	if len(fu) > 0 {
		t := fu[0].DueAt.UTC()
		next = &t
	}
	return stage, next, nil
}

// FollowUps lists the guide's follow-ups due before `before` of customers still followed, earliest
// first (idx_wb_followups_due, then primary keys).
func (s *Store) FollowUps(ctx context.Context, userID string, before time.Time, limit int) ([]workbench.HomeEntry, error) {
	var rows []entryRow
	err := s.conn(ctx).Table("wb_followups fu").
		Select("fu.external_userid, fu.due_at AS at, c.name, c.avatar, f.remark, n.body AS note").
		Joins("JOIN follows f ON f.corp_id = fu.corp_id AND f.userid = fu.userid AND f.external_userid = fu.external_userid AND f.active = ?", true).
		Joins("LEFT JOIN customers c ON c.corp_id = fu.corp_id AND c.external_userid = fu.external_userid").
		Joins("LEFT JOIN wb_notes n ON n.id = fu.note_id").
		Where("fu.corp_id = ? AND fu.userid = ? AND fu.due_at < ?", s.corp, userID, before.UTC()).
		Order("fu.due_at").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	return toEntries(rows), nil
}

// NewCustomers lists the guide's customers added since `since` and still followed, newest first
// (idx_follows_guide_added).
func (s *Store) NewCustomers(ctx context.Context, userID string, since time.Time, limit int) ([]workbench.HomeEntry, error) {
	var rows []entryRow
	err := s.conn(ctx).Table("follows f").
		Select("f.external_userid, f.added_at AS at, c.name, c.avatar, f.remark").
		Joins("LEFT JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid").
		Where("f.corp_id = ? AND f.userid = ? AND f.added_at >= ? AND f.active = ?", s.corp, userID, since.UTC(), true).
		Order("f.added_at DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	return toEntries(rows), nil
}
