package tasksdb

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

type assignmentRow struct {
	CorpID      string `gorm:"primaryKey"`
	TaskID      int64  `gorm:"primaryKey"`
	UserID      string `gorm:"primaryKey;column:userid"`
	StoreID     int64
	Status      string
	Reason      string
	Customers   int
	Sent        int
	Failed      int
	Reminders   int
	RemindedAt  *time.Time
	CompletedAt *time.Time
	UpdatedAt   time.Time `gorm:"autoUpdateTime:false"`
}

func (assignmentRow) TableName() string { return "task_assignments" }

func (s *Store) fromAssignment(a tasks.Assignment) assignmentRow {
	return assignmentRow{CorpID: s.corp, TaskID: a.TaskID, UserID: a.UserID, StoreID: a.StoreID, Status: a.Status,
		Reason: sqlstore.Clip(a.Reason, 255), Customers: a.Customers, Sent: a.Sent, Failed: a.Failed, Reminders: a.Reminders,
		RemindedAt: sqlstore.UTCPtr(a.RemindedAt), CompletedAt: sqlstore.UTCPtr(a.CompletedAt), UpdatedAt: time.Now().UTC()}
}

func toAssignment(r assignmentRow) tasks.Assignment {
	return tasks.Assignment{TaskID: r.TaskID, UserID: r.UserID, StoreID: r.StoreID, Status: r.Status, Reason: r.Reason,
		Customers: r.Customers, Sent: r.Sent, Failed: r.Failed, Reminders: r.Reminders, RemindedAt: sqlstore.UTCPtr(r.RemindedAt),
		CompletedAt: sqlstore.UTCPtr(r.CompletedAt)}
}

// SaveAssignments inserts assignments.
func (s *Store) SaveAssignments(ctx context.Context, as []tasks.Assignment) error {
	if len(as) == 0 {
		return nil
	}
	rows := make([]assignmentRow, len(as))
	for i, a := range as {
		rows[i] = s.fromAssignment(a)
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).CreateInBatches(&rows, 500).Error)
}

// Assignments lists a task's assignments by userid.
func (s *Store) Assignments(ctx context.Context, taskID int64) ([]tasks.Assignment, error) {
	var rows []assignmentRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND task_id = ?", s.corp, taskID).Order("userid").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]tasks.Assignment, len(rows))
	for i, r := range rows {
		out[i] = toAssignment(r)
	}
	return out, nil
}

// GetAssignment reads one guide's assignment.
func (s *Store) GetAssignment(ctx context.Context, taskID int64, userID string) (tasks.Assignment, error) {
	var row assignmentRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND task_id = ? AND userid = ?", s.corp, taskID, userID).Take(&row).Error; err != nil {
		return tasks.Assignment{}, sqlstore.Translate(err)
	}
	return toAssignment(row), nil
}

// SaveAssignment writes one assignment. An assignment that becomes done records task_completed in the
// activity log in the same transaction (the KPI rollups count it as a share).
func (s *Store) SaveAssignment(ctx context.Context, a tasks.Assignment) error {
	row := s.fromAssignment(a)
	if a.Status == tasks.AssignDone && a.CompletedAt != nil {
		var was []string
		err := sqlstore.Conn(ctx, s.db).Model(&assignmentRow{}).Where("corp_id = ? AND task_id = ? AND userid = ?", s.corp, a.TaskID, a.UserID).
			Pluck("status", &was).Error
		if err != nil {
			return sqlstore.Translate(err)
		}
		if len(was) == 0 || was[0] != tasks.AssignDone {
			err = sqlstore.RecordActivities(ctx, s.db, s.corp, []service.Activity{{At: *a.CompletedAt, Kind: service.ActivityTaskCompleted,
				UserID: a.UserID, ActorKind: service.ActorGuide, ActorID: a.UserID, Ref: strconv.FormatInt(a.TaskID, 10),
				Detail: map[string]any{"customers": a.Customers, "sent": a.Sent}}})
			if err != nil {
				return err
			}
		}
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error)
}

type reminderRow struct {
	ID     int64 `gorm:"primaryKey"`
	CorpID string
	TaskID int64
	SendID int64
	UserID string `gorm:"column:userid"`
	At     time.Time
}

func (reminderRow) TableName() string { return "task_reminders" }

// AddReminder records a reminder WeCom accepted.
func (s *Store) AddReminder(ctx context.Context, taskID, sendID int64, userID string, at time.Time) error {
	row := reminderRow{CorpID: s.corp, TaskID: taskID, SendID: sendID, UserID: userID, At: at.UTC()}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Create(&row).Error)
}

// Reminders counts each send's reminders since t.
func (s *Store) Reminders(ctx context.Context, sendIDs []int64, since time.Time) (map[int64]int, error) {
	var rows []struct {
		SendID int64
		N      int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&reminderRow{}).Select("send_id, COUNT(*) AS n").
		Where("corp_id = ? AND send_id IN ? AND at > ?", s.corp, sendIDs, since.UTC()).Group("send_id").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.SendID] = r.N
	}
	return out, sqlstore.Translate(err)
}

// Progress lists a task's assignments with guide and store names.
func (s *Store) Progress(ctx context.Context, taskID int64) ([]tasks.GuideProgress, error) {
	var rows []assignmentRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND task_id = ?", s.corp, taskID).Order("userid").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	guides, stores, err := s.names(ctx, rows)
	if err != nil {
		return nil, err
	}
	out := make([]tasks.GuideProgress, len(rows))
	for i, r := range rows {
		out[i] = tasks.GuideProgress{Assignment: toAssignment(r), Name: guides[r.UserID], StoreName: stores[r.StoreID]}
	}
	return out, nil
}

// names reads the guides' and stores' names of assignments.
func (s *Store) names(ctx context.Context, rows []assignmentRow) (map[string]string, map[int64]string, error) {
	guides, stores := map[string]string{}, map[int64]string{}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.UserID)
		stores[r.StoreID] = ""
	}
	for i := 0; i < len(ids); i += inChunk {
		var gs []sqlstore.GuideRow
		if err := sqlstore.Conn(ctx, s.db).Select("userid, name").Where("corp_id = ? AND userid IN ?", s.corp, ids[i:min(i+inChunk, len(ids))]).
			Find(&gs).Error; err != nil {
			return nil, nil, sqlstore.Translate(err)
		}
		for _, g := range gs {
			guides[g.UserID] = g.Name
		}
	}
	storeIDs := make([]int64, 0, len(stores))
	for id := range stores {
		storeIDs = append(storeIDs, id)
	}
	var ss []struct {
		ID   int64
		Name string
	}
	if len(storeIDs) > 0 {
		if err := sqlstore.Conn(ctx, s.db).Table("stores").Select("id, name").Where("corp_id = ? AND id IN ?", s.corp, storeIDs).
			Scan(&ss).Error; err != nil {
			return nil, nil, sqlstore.Translate(err)
		}
	}
	for _, st := range ss {
		stores[st.ID] = st.Name
	}
	return guides, stores, nil
}

// Totals sums each task's assignments.
func (s *Store) Totals(ctx context.Context, taskIDs []int64) (map[int64]tasks.Totals, error) {
	out := make(map[int64]tasks.Totals, len(taskIDs))
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		TaskID                                int64
		Guides, Done, Customers, Sent, Failed int
	}
	err := sqlstore.Conn(ctx, s.db).Model(&assignmentRow{}).
		Select("task_id, COUNT(*) AS guides, SUM(CASE WHEN status = ? THEN 1 ELSE 0 END) AS done, SUM(customers) AS customers, SUM(sent) AS sent, SUM(failed) AS failed", tasks.AssignDone).
		Where("corp_id = ? AND task_id IN ?", s.corp, taskIDs).Group("task_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.TaskID] = tasks.Totals{Guides: r.Guides, Done: r.Done, Customers: r.Customers, Sent: r.Sent, Failed: r.Failed}
	}
	return out, sqlstore.Translate(err)
}

// GuideTasks lists a guide's tasks (not cancelled) with a deadline after since, soonest first.
func (s *Store) GuideTasks(ctx context.Context, userID string, since time.Time, limit int) ([]tasks.GuideTask, error) {
	var ids []int64
	err := sqlstore.Conn(ctx, s.db).Table("task_assignments a").Select("a.task_id").
		Joins("JOIN tasks t ON t.corp_id = a.corp_id AND t.id = a.task_id").
		Where("a.corp_id = ? AND a.userid = ? AND t.status <> ? AND t.deadline > ?", s.corp, userID, tasks.StatusCancelled, since.UTC()).
		Order("t.deadline, t.id").Limit(limit).Scan(&ids).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]tasks.GuideTask, 0, len(ids))
	for _, id := range ids {
		t, err := s.GetTask(ctx, id)
		if err != nil {
			return nil, err
		}
		a, err := s.GetAssignment(ctx, id, userID)
		if err != nil {
			return nil, err
		}
		out = append(out, tasks.GuideTask{Task: t, Assignment: a})
	}
	return out, nil
}
