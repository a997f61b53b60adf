package service

// ActivityTaskCompleted is the activity log's row of a guide completing a task (导购任务): every 群发 of
// theirs sent (ref: the task id; detail: customers, sent). The KPI rollups count it as a share.
const ActivityTaskCompleted = "task_completed"
