package tasks

import (
	"context"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// Audit actions of tasks, as the audit log (操作日志) records them.
const (
	ActionCreate = "create_task"
	ActionCancel = "cancel_task"
	ActionRemind = "remind_task"
)

// auditEntry is the audit row of an action on t by actor ("task:12"), with the scope on ctx (the admin
// API's) and the task's store: one of a store manager's, the only one named, or 0 for several.
func (s *Service) auditEntry(ctx context.Context, actor, action string, t Task, detail string) service.AuditEntry {
	sc := service.ScopeOf(ctx)
	var store int64
	if ids := t.Target.StoreIDs; len(ids) == 1 || (!sc.All && len(ids) > 0) {
		store = ids[0] // a store manager's tasks are in their stores: they read their own rows
	}
	return service.AuditEntry{Actor: actor, Action: action, Target: fmt.Sprintf("task:%d", t.ID), StoreID: store, Scope: sc.String(),
		Detail: detail, At: s.now()}
}
