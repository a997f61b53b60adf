package tasksdb

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/tasks"
)

type sendRow struct {
	ID         int64 `gorm:"primaryKey"`
	CorpID     string
	TaskID     int64
	UserID     string `gorm:"column:userid"`
	Size       int
	State      string
	MsgID      string `gorm:"column:msgid"`
	ErrCode    int    `gorm:"column:errcode"`
	RecordedAt *time.Time
	MemberSent bool
	SentAt     *time.Time
	Final      bool
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt  time.Time `gorm:"autoUpdateTime:false"`
}

func (sendRow) TableName() string { return "task_sends" }

func toSend(r sendRow) tasks.Send {
	return tasks.Send{ID: r.ID, TaskID: r.TaskID, UserID: r.UserID, Size: r.Size, State: r.State, MsgID: r.MsgID, ErrCode: r.ErrCode,
		RecordedAt: sqlstore.UTCPtr(r.RecordedAt), MemberSent: r.MemberSent, SentAt: sqlstore.UTCPtr(r.SentAt), Final: r.Final}
}

// Sends lists a task's sends by id.
func (s *Store) Sends(ctx context.Context, f tasks.SendFilter) ([]tasks.Send, error) {
	q := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND task_id = ? AND id > ?", s.corp, f.TaskID, f.AfterID)
	if f.UserID != "" {
		q = q.Where("userid = ?", f.UserID)
	}
	if len(f.States) > 0 {
		q = q.Where("state IN ?", f.States)
	}
	if f.Unsent {
		q = q.Where("member_sent = ?", false)
	}
	if f.NotFinal {
		q = q.Where("final = ?", false)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var rows []sendRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]tasks.Send, len(rows))
	for i, r := range rows {
		out[i] = toSend(r)
	}
	return out, nil
}

// SendByMsgID finds the send holding a WeCom msgid.
func (s *Store) SendByMsgID(ctx context.Context, msgID string) (tasks.Send, error) {
	var row sendRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND msgid = ?", s.corp, msgID).Take(&row).Error; err != nil {
		return tasks.Send{}, sqlstore.Translate(err)
	}
	return toSend(row), nil
}

// UpdateSend changes one send, when it is in one of u.OnlyStates (if given).
func (s *Store) UpdateSend(ctx context.Context, id int64, u tasks.SendUpdate) (bool, error) {
	set := map[string]any{"updated_at": time.Now().UTC()}
	if u.State != nil {
		set["state"] = *u.State
	}
	if u.MsgID != nil {
		set["msgid"] = *u.MsgID
	}
	if u.ErrCode != nil {
		set["errcode"] = *u.ErrCode
	}
	if u.RecordedAt != nil {
		set["recorded_at"] = u.RecordedAt.UTC()
	}
	if u.MemberSent != nil {
		set["member_sent"] = *u.MemberSent
	}
	if u.SentAt != nil {
		set["sent_at"] = u.SentAt.UTC()
	}
	if u.Final != nil {
		set["final"] = *u.Final
	}
	q := sqlstore.Conn(ctx, s.db).Model(&sendRow{}).Where("corp_id = ? AND id = ?", s.corp, id)
	if len(u.OnlyStates) > 0 {
		q = q.Where("state IN ?", u.OnlyStates)
	}
	res := q.Updates(set)
	return res.RowsAffected == 1, sqlstore.Translate(res.Error)
}

// SendRecipients lists a send's customers by external_userid.
func (s *Store) SendRecipients(ctx context.Context, sendID int64) ([]string, error) {
	var out []string
	err := sqlstore.Conn(ctx, s.db).Model(&recipientRow{}).Where("corp_id = ? AND send_id = ?", s.corp, sendID).
		Order("external_userid").Pluck("external_userid", &out).Error
	return out, sqlstore.Translate(err)
}

// SetRecipients moves a task's customers to state: those of exts (all of the send's, or of the
// task's when sendID is 0, when exts is nil) that are in one of onlyStates.
func (s *Store) SetRecipients(ctx context.Context, taskID, sendID int64, exts []string, state string, sentAt *time.Time, onlyStates []string) error {
	set := map[string]any{"state": state}
	if sentAt != nil {
		set["sent_at"] = sentAt.UTC()
	}
	update := func(chunk []string) error {
		q := sqlstore.Conn(ctx, s.db).Model(&recipientRow{}).Where("corp_id = ? AND task_id = ?", s.corp, taskID)
		if sendID != 0 {
			q = q.Where("send_id = ?", sendID)
		}
		if chunk != nil {
			q = q.Where("external_userid IN ?", chunk)
		}
		if len(onlyStates) > 0 {
			q = q.Where("state IN ?", onlyStates)
		}
		return sqlstore.Translate(q.Updates(set).Error)
	}
	if exts == nil {
		return update(nil)
	}
	for i := 0; i < len(exts); i += inChunk {
		if err := update(exts[i:min(i+inChunk, len(exts))]); err != nil {
			return err
		}
	}
	return nil
}

// Tally counts a guide's recipients in a task by state.
func (s *Store) Tally(ctx context.Context, taskID int64, userID string) (map[string]int, error) {
	var rows []struct {
		State string
		N     int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&recipientRow{}).Select("state, COUNT(*) AS n").
		Where("corp_id = ? AND task_id = ? AND userid = ?", s.corp, taskID, userID).Group("state").Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, sqlstore.Translate(err)
}
