// Package tasksdb implements tasks.Store with gorm: tasks, their recipients, the add_msg_template
// calls (sends), each guide's assignment and the reminders, and the graph reads a task needs
// (customers with their followers, guides' stores and names).
package tasksdb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

// Store implements tasks.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ tasks.Store = (*Store)(nil)

// New returns the tasks store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

type taskRow struct {
	ID         int64 `gorm:"primaryKey"`
	CorpID     string
	Title      string
	Content    string
	Target     string
	Deadline   time.Time
	Status     string
	Phase      string
	CreatedBy  string
	LockedBy   string
	LeaseUntil *time.Time
	NextRunAt  *time.Time
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false"`
	ClosedAt   *time.Time
}

func (taskRow) TableName() string { return "tasks" }

// contentJSON and targetJSON are the JSON columns' shapes (the domain carries no JSON tags).
type contentJSON struct {
	Text        string           `json:"text"`
	ProductIDs  []string         `json:"product_ids,omitempty"`
	MaterialIDs []string         `json:"material_ids,omitempty"`
	Links       []linkJSON       `json:"links,omitempty"`
	Attachments []attachmentJSON `json:"attachments,omitempty"`
}

type linkJSON struct {
	Title  string `json:"title"`
	URL    string `json:"url"`
	Desc   string `json:"desc,omitempty"`
	PicURL string `json:"pic_url,omitempty"`
}

type attachmentJSON struct {
	Kind       string `json:"kind"`
	Title      string `json:"title,omitempty"`
	URL        string `json:"url,omitempty"`
	Desc       string `json:"desc,omitempty"`
	PicURL     string `json:"pic_url,omitempty"`
	MediaID    string `json:"media_id,omitempty"`
	AppID      string `json:"appid,omitempty"`
	Page       string `json:"page,omitempty"`
	ProductID  string `json:"product_id,omitempty"`
	MaterialID string `json:"material_id,omitempty"`
}

type targetJSON struct {
	TagIDs          []string `json:"tag_ids,omitempty"`
	StoreIDs        []int64  `json:"store_ids,omitempty"`
	Stage           string   `json:"stage,omitempty"`
	ExternalUserIDs []string `json:"external_userids,omitempty"`
}

func (s *Store) toRow(t tasks.Task) (taskRow, error) {
	c := contentJSON{Text: t.Content.Text, ProductIDs: t.Content.ProductIDs, MaterialIDs: t.Content.MaterialIDs}
	for _, l := range t.Content.Links {
		c.Links = append(c.Links, linkJSON(l))
	}
	for _, a := range t.Content.Attachments {
		c.Attachments = append(c.Attachments, attachmentJSON(a))
	}
	content, err := json.Marshal(c)
	if err != nil {
		return taskRow{}, fmt.Errorf("task content: %w", err)
	}
	target, err := json.Marshal(targetJSON(t.Target))
	if err != nil {
		return taskRow{}, fmt.Errorf("task target: %w", err)
	}
	return taskRow{ID: t.ID, CorpID: s.corp, Title: t.Title, Content: string(content), Target: string(target),
		Deadline: t.Deadline.UTC(), Status: t.Status, Phase: t.Phase, CreatedBy: t.CreatedBy, NextRunAt: sqlstore.UTCPtr(t.NextRunAt),
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC(), ClosedAt: sqlstore.UTCPtr(t.ClosedAt)}, nil
}

func toTask(r taskRow) (tasks.Task, error) {
	var c contentJSON
	var tg targetJSON
	if err := json.Unmarshal([]byte(r.Content), &c); err != nil {
		return tasks.Task{}, fmt.Errorf("task %d content: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Target), &tg); err != nil {
		return tasks.Task{}, fmt.Errorf("task %d target: %w", r.ID, err)
	}
	t := tasks.Task{ID: r.ID, Title: r.Title, Content: tasks.Content{Text: c.Text, ProductIDs: c.ProductIDs, MaterialIDs: c.MaterialIDs},
		Target: tasks.Target(tg), Deadline: r.Deadline.UTC(), Status: r.Status, Phase: r.Phase, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), ClosedAt: sqlstore.UTCPtr(r.ClosedAt), NextRunAt: sqlstore.UTCPtr(r.NextRunAt)}
	for _, l := range c.Links {
		t.Content.Links = append(t.Content.Links, tasks.Link(l))
	}
	for _, a := range c.Attachments {
		t.Content.Attachments = append(t.Content.Attachments, tasks.Attachment(a))
	}
	return t, nil
}

// CreateTask inserts a task.
func (s *Store) CreateTask(ctx context.Context, t tasks.Task) (tasks.Task, error) {
	row, err := s.toRow(t)
	if err != nil {
		return t, err
	}
	if err := sqlstore.Conn(ctx, s.db).Create(&row).Error; err != nil {
		return t, sqlstore.Translate(err)
	}
	t.ID = row.ID
	return t, nil
}

// GetTask reads one task.
func (s *Store) GetTask(ctx context.Context, id int64) (tasks.Task, error) {
	var row taskRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND id = ?", s.corp, id).Take(&row).Error; err != nil {
		return tasks.Task{}, sqlstore.Translate(err)
	}
	return toTask(row)
}

// ListTasks lists tasks newest first.
func (s *Store) ListTasks(ctx context.Context, f tasks.TaskFilter) ([]tasks.Task, error) {
	q := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []taskRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]tasks.Task, 0, len(rows))
	for _, r := range rows {
		t, err := toTask(r)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// SaveTask writes phase, next_run_at and closed_at.
func (s *Store) SaveTask(ctx context.Context, t tasks.Task) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&taskRow{}).Where("corp_id = ? AND id = ?", s.corp, t.ID).
		Updates(map[string]any{"phase": t.Phase, "next_run_at": sqlstore.UTCPtr(t.NextRunAt), "closed_at": sqlstore.UTCPtr(t.ClosedAt),
			"updated_at": time.Now().UTC()}).Error)
}

// SetStatus moves a task from one status to another and makes it due at at.
func (s *Store) SetStatus(ctx context.Context, id int64, from, to string, at time.Time) (bool, error) {
	res := sqlstore.Conn(ctx, s.db).Model(&taskRow{}).Where("corp_id = ? AND id = ? AND status = ?", s.corp, id, from).
		Updates(map[string]any{"status": to, "next_run_at": at.UTC(), "updated_at": time.Now().UTC()})
	return res.RowsAffected == 1, sqlstore.Translate(res.Error)
}

// ClaimTask leases a task to owner unless another owner holds a live lease.
func (s *Store) ClaimTask(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error) {
	res := sqlstore.Conn(ctx, s.db).Model(&taskRow{}).
		Where("corp_id = ? AND id = ? AND (locked_by = '' OR locked_by = ? OR lease_until IS NULL OR lease_until < ?)", s.corp, id, owner, now.UTC()).
		Updates(map[string]any{"locked_by": owner, "lease_until": now.UTC().Add(lease)})
	return res.RowsAffected == 1, sqlstore.Translate(res.Error)
}

// RenewTask extends owner's lease; false once another runner claimed the task or it was released.
func (s *Store) RenewTask(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error) {
	res := sqlstore.Conn(ctx, s.db).Model(&taskRow{}).Where("corp_id = ? AND id = ? AND locked_by = ?", s.corp, id, owner).
		Update("lease_until", now.UTC().Add(lease))
	if err := sqlstore.Translate(res.Error); err != nil || res.RowsAffected == 1 {
		return err == nil, err
	}
	var n int64 // MySQL counts changed rows only: an unchanged lease_until is still owner's
	err := sqlstore.Conn(ctx, s.db).Model(&taskRow{}).Where("corp_id = ? AND id = ? AND locked_by = ?", s.corp, id, owner).Count(&n).Error
	return n == 1, sqlstore.Translate(err)
}

// ReleaseTask drops owner's lease.
func (s *Store) ReleaseTask(ctx context.Context, id int64, owner string) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&taskRow{}).Where("corp_id = ? AND id = ? AND locked_by = ?", s.corp, id, owner).
		Updates(map[string]any{"locked_by": "", "lease_until": nil}).Error)
}

// WakeTasks makes every unfinished task due at now.
func (s *Store) WakeTasks(ctx context.Context, now time.Time) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&taskRow{}).Where("corp_id = ? AND next_run_at IS NOT NULL", s.corp).
		Update("next_run_at", now.UTC()).Error)
}

// DueTasks lists unfinished tasks whose next run is due and whose lease is free.
func (s *Store) DueTasks(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := sqlstore.Conn(ctx, s.db).Model(&taskRow{}).
		Where("corp_id = ? AND next_run_at IS NOT NULL AND next_run_at <= ? AND (lease_until IS NULL OR lease_until < ?)", s.corp, now.UTC(), now.UTC()).
		Order("next_run_at, id").Limit(limit).Pluck("id", &ids).Error
	return ids, sqlstore.Translate(err)
}

// Audit appends an admin action on a task to admin_audit (in the caller's transaction, if any).
func (s *Store) Audit(ctx context.Context, a service.AuditEntry) error {
	return sqlstore.AppendAudit(ctx, s.db, s.corp, a)
}
