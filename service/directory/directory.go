// Package directory answers the admin console's questions about the ownership graph by name: the
// stores, the guides (the member picker: search by name, userid or store) and a guide's customers (the
// customer picker), always within the caller's scope (service.ScopeOf). Its port is Store
// (repo/directorydb).
package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service"
)

// GuideFilter selects guides for the member picker, by userid.
type GuideFilter struct {
	Q       string  // name, userid or store name contains it
	StoreID int64   // one store (0: any)
	Status  string  // service.GuideActive, service.GuideResigned or "" for both
	Stores  []int64 // the caller's scope (nil: every store); the service sets it
	After   string  // keyset paging by userid
	Limit   int
}

// Guide is a guide as the member picker shows them: named, with their store and customer count.
type Guide struct {
	service.GuideName
	Customers  int
	ResignedAt *time.Time
}

// CustomerFilter selects a guide's customers for the customer picker, by external_userid.
type CustomerFilter struct {
	Q     string // name, remark or external_userid contains it
	After string // keyset paging by external_userid
	Limit int
}

// Customer is one of a guide's active customers: named, with the guide's remark and when they added.
type Customer struct {
	service.ContactName
	Remark  string
	AddedAt *time.Time
}

// Store reads the directory.
type Store interface {
	Stores(ctx context.Context) ([]service.Store, error)
	Guides(ctx context.Context, f GuideFilter) ([]Guide, error)
	// Guide names one guide; ErrNotFound if unknown.
	Guide(ctx context.Context, userID string) (service.GuideName, error)
	Customers(ctx context.Context, userID string, f CustomerFilter) ([]Customer, error)
}

// Service reads the directory for the console.
type Service struct{ store Store }

// New builds the service.
func New(store Store) *Service { return &Service{store: store} }

// Stores lists the stores in the caller's scope, by id.
func (s *Service) Stores(ctx context.Context) ([]service.Store, error) {
	all, err := s.store.Stores(ctx)
	if err != nil {
		return nil, fmt.Errorf("stores: %w", err)
	}
	sc := service.ScopeOf(ctx)
	out := make([]service.Store, 0, len(all))
	for _, st := range all {
		if sc.All || slices.Contains(sc.Stores, st.ID) {
			out = append(out, st)
		}
	}
	return out, nil
}

// Guides searches the guides in the caller's scope.
func (s *Service) Guides(ctx context.Context, f GuideFilter) ([]Guide, error) {
	sc := service.ScopeOf(ctx)
	if f.StoreID != 0 {
		if err := sc.Check(fmt.Sprintf("store %d", f.StoreID), f.StoreID); err != nil {
			return nil, err
		}
	}
	switch f.Status {
	case "", service.GuideActive, service.GuideResigned:
	default:
		return nil, service.Invalid("status", "want active or resigned")
	}
	if len(f.Q) > 64 {
		return nil, service.Invalid("q", "at most 64 characters")
	}
	f.Q, f.Stores = strings.TrimSpace(f.Q), sc.StoreFilter()
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	out, err := s.store.Guides(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("guides: %w", err)
	}
	return out, nil
}

// Customers pages a guide's active customers; the guide must be in the caller's scope.
func (s *Service) Customers(ctx context.Context, userID string, f CustomerFilter) ([]Customer, error) {
	g, err := s.store.Guide(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("guide %s: %w", userID, err)
	}
	if err := service.ScopeOf(ctx).Check("guide "+userID, g.StoreID); err != nil {
		return nil, err
	}
	if len(f.Q) > 64 {
		return nil, service.Invalid("q", "at most 64 characters")
	}
	f.Q = strings.TrimSpace(f.Q)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	out, err := s.store.Customers(ctx, userID, f)
	if err != nil {
		return nil, fmt.Errorf("customers of %s: %w", userID, err)
	}
	return out, nil
}
