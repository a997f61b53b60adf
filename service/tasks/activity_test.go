package tasks_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/tasks"
)

// TestCompletionInActivityLog: a guide who sends their 群发 gets one task_completed row in the activity
// log (the KPI rollups' share), at the time WeCom reports, however often the task is polled again; a
// guide who never sends gets none.
func TestCompletionInActivityLog(t *testing.T) {
	t.Parallel()
	e := newTEnv(t)
	e.addStore(10, "徐汇店")
	e.guide(10, "anna", "安娜")
	e.guide(10, "bo", "柏")
	e.customers("anna", 2)
	e.customers("bo", 2)
	task := e.create(tasks.Target{StoreIDs: []int64{10}})
	e.run(task.ID)
	e.clock.Advance(time.Hour)
	e.confirm("anna")
	e.clock.Advance(30 * time.Minute)
	e.run(task.ID)
	e.run(task.ID)

	var rows []struct {
		GuideUserID string `gorm:"column:guide_userid"`
		OccurredAt  time.Time
		Ref         string
	}
	require.NoError(t, e.db.Table("activity_log").Select("guide_userid, occurred_at, ref").Where("kind = ?", "task_completed").Scan(&rows).Error)
	require.Len(t, rows, 1, "anna once; bo never sent")
	assert.Equal(t, "anna", rows[0].GuideUserID)
	assert.Equal(t, t0.Add(time.Hour), rows[0].OccurredAt.UTC())
}
