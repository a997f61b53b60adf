package access

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Leaders reads WeCom's department leadership (department/list's department_leader): each leader's
// userid mapped to the departments they lead.
type Leaders interface {
	DepartmentLeaders(ctx context.Context) (map[string][]int64, error)
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Actor    string
	Action   string
	StoreID  int64
	CaseID   int64
	Stores   []int64 // the scope's stores; nil: every store
	BeforeID int64   // keyset paging
	Limit    int
}

// AuditEntry is one admin action as the console shows it: who (with their name), what, on what
// (with the store it belongs to), and the scope the admin acted in.
type AuditEntry struct {
	ID        int64
	Actor     string
	ActorName string
	Action    string
	Target    string // e.g. "handover_case:12"
	CaseID    int64
	StoreID   int64
	StoreName string
	Scope     string // the actor's scope: "all" or "stores:2,3"
	Detail    string
	At        time.Time
}

// Store reads the directory's stores (for names and the department tree) and the audit log.
type Store interface {
	// Stores lists every store (department) of the corp.
	Stores(ctx context.Context) ([]service.Store, error)
	// ListAudit lists audit entries matching f, newest first, with actor and store names.
	ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
