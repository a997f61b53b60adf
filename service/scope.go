package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Roles of the people who use the admin console.
const (
	RoleAdmin        = "admin"         // a corp admin (sidebar.admins): every store
	RoleStoreManager = "store_manager" // a store manager: the stores they manage (config or WeCom department leadership)
)

// Scope is what one admin may see and change: every store (a corp admin) or a list of stores (a store
// manager). The admin API resolves it per request and carries it on the context; every admin query of
// every domain filters by it, and a direct request for something outside it is ErrForbidden.
//
// Work without a person behind it (the handover runner, the CLI, scheduled jobs) carries no scope and
// is not restricted: ScopeOf then answers the unrestricted system scope.
type Scope struct {
	UserID string  // the admin's WeCom userid ("" for the system)
	Name   string  // the admin's name, for the console's header
	Role   string  // RoleAdmin or RoleStoreManager ("" for the system)
	All    bool    // every store
	Stores []int64 // the stores managed, ascending; empty with All
}

type scopeKey struct{}

// WithScope returns ctx carrying s; the admin middleware sets it for every admin request.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// ScopeOf returns the scope on ctx, or the unrestricted system scope when there is none.
func ScopeOf(ctx context.Context) Scope {
	if s, ok := ctx.Value(scopeKey{}).(Scope); ok {
		return s
	}
	return Scope{All: true}
}

// Allows reports whether the scope covers a store. Store 0 (a guide whose store is unknown) is
// covered by an unrestricted scope only.
func (s Scope) Allows(storeID int64) bool {
	return s.All || (storeID != 0 && slices.Contains(s.Stores, storeID))
}

// Check is nil when the scope covers the store, else ErrForbidden naming what was refused.
func (s Scope) Check(what string, storeID int64) error {
	if s.Allows(storeID) {
		return nil
	}
	return fmt.Errorf("%s belongs to store %d, outside the stores %s manages: %w", what, storeID, s.UserID, ErrForbidden)
}

// RequireAll is nil for an unrestricted scope, else ErrForbidden: corp-wide actions are a corp admin's.
func (s Scope) RequireAll(what string) error {
	if s.All {
		return nil
	}
	return fmt.Errorf("%s is for corp admins, %s manages stores only: %w", what, s.UserID, ErrForbidden)
}

// StoreFilter is the stores a query must be limited to, or nil for no limit. A restricted scope with no
// store gives an empty, non-nil list (nothing matches).
func (s Scope) StoreFilter() []int64 {
	if s.All {
		return nil
	}
	if s.Stores == nil {
		return []int64{}
	}
	return s.Stores
}

// String is the scope as the audit log records it: "all" or "stores:2,3".
func (s Scope) String() string {
	if s.All {
		return "all"
	}
	ids := make([]string, len(s.Stores))
	for i, id := range s.Stores {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return "stores:" + strings.Join(ids, ",")
}
