package service

import (
	"context"
	"time"
)

// AuditEntry is one admin write for the audit log (操作日志, admin_audit): who, what, on what ("task:12",
// "autotag_rule:3"; "" for the whole corp), the target's store (0: the corp), the actor's scope
// ("all" or "stores:2,3"), a detail in words, when.
type AuditEntry struct {
	Actor   string
	Action  string
	Target  string
	StoreID int64
	Scope   string
	Detail  string
	At      time.Time
}

// AuditOf is the entry of an admin's action made on ctx, the actor and scope being the admin's (the
// admin API puts them on ctx). ok is false for work without an admin (the CLI, scheduled jobs), which
// the audit log does not record.
func AuditOf(ctx context.Context, action, target string, storeID int64, detail string, at time.Time) (AuditEntry, bool) {
	sc := ScopeOf(ctx)
	if sc.UserID == "" {
		return AuditEntry{}, false
	}
	return AuditEntry{Actor: sc.UserID, Action: action, Target: target, StoreID: storeID, Scope: sc.String(), Detail: detail,
		At: at.UTC()}, true
}
