package access

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Config says who the admins and store managers are.
type Config struct {
	Admins            []string           // sidebar.admins: corp admins
	Managers          map[string][]int64 // console.store_managers: userid → stores (or departments above stores)
	DepartmentLeaders bool               // console.department_leaders: WeCom's department leaders manage their departments
	LeaderTTL         time.Duration      // how long department/list's leaders are reused (default 5 m)
	Now               func() time.Time
}

// Service resolves an admin's scope and reads the audit log.
type Service struct {
	cfg     Config
	store   Store
	leaders Leaders

	mu        sync.Mutex
	ledBy     map[string][]int64 // the last department/list read
	ledByRead time.Time
}

// New builds the service; leaders may be nil when cfg.DepartmentLeaders is off.
func New(cfg Config, store Store, leaders Leaders) (*Service, error) {
	if cfg.DepartmentLeaders && leaders == nil {
		return nil, errors.New("access: department leaders need WeCom's department/list")
	}
	if cfg.LeaderTTL <= 0 {
		cfg.LeaderTTL = 5 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg, store: store, leaders: leaders}, nil
}

// Resolve returns the scope of a signed-in member: every store for a corp admin, the managed stores
// (with the stores below them) for a store manager, ErrForbidden for anyone else.
func (s *Service) Resolve(ctx context.Context, userID, name string) (service.Scope, error) {
	if userID == "" {
		return service.Scope{}, fmt.Errorf("no member: %w", service.ErrUnauthenticated)
	}
	if slices.Contains(s.cfg.Admins, userID) {
		return service.Scope{UserID: userID, Name: name, Role: service.RoleAdmin, All: true}, nil
	}
	roots := slices.Clone(s.cfg.Managers[userID])
	if s.cfg.DepartmentLeaders {
		led, err := s.ledDepartments(ctx, userID)
		if err != nil {
			return service.Scope{}, fmt.Errorf("scope of %s: %w", userID, err)
		}
		roots = append(roots, led...)
	}
	if len(roots) == 0 {
		return service.Scope{}, fmt.Errorf("%s is neither an admin nor a store manager: %w", userID, service.ErrForbidden)
	}
	stores, err := s.store.Stores(ctx)
	if err != nil {
		return service.Scope{}, fmt.Errorf("scope of %s: %w", userID, err)
	}
	return service.Scope{UserID: userID, Name: name, Role: service.RoleStoreManager, Stores: subtrees(stores, roots)}, nil
}

// ManagesStores reports whether a member manages stores (configured, or a WeCom department leader
// when enabled); the sidebar links the console for them. A failure to read WeCom counts as no.
func (s *Service) ManagesStores(ctx context.Context, userID string) bool {
	if len(s.cfg.Managers[userID]) > 0 {
		return true
	}
	if !s.cfg.DepartmentLeaders {
		return false
	}
	led, err := s.ledDepartments(ctx, userID)
	return err == nil && len(led) > 0
}

// leaderRetry is how soon department/list is read again after a failed read, while the last answer serves.
const leaderRetry = 30 * time.Second

// ledDepartments is the departments userID leads, from department/list, reused for LeaderTTL. When
// WeCom cannot be read, the last answer is used (and WeCom asked again after leaderRetry); without one
// the error is returned.
func (s *Service) ledDepartments(ctx context.Context, userID string) ([]int64, error) {
	s.mu.Lock()
	fresh := s.ledBy != nil && s.cfg.Now().Sub(s.ledByRead) < s.cfg.LeaderTTL
	led := s.ledBy[userID]
	s.mu.Unlock()
	if fresh {
		return led, nil
	}
	read, err := s.leaders.DepartmentLeaders(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if s.ledBy != nil {
			s.ledByRead = s.cfg.Now().Add(leaderRetry - s.cfg.LeaderTTL)
			return s.ledBy[userID], nil
		}
		return nil, fmt.Errorf("department leaders: %w", err)
	}
	s.ledBy, s.ledByRead = read, s.cfg.Now()
	return read[userID], nil
}

// subtrees returns roots and every store below them, ascending. A root the directory does not know is
// kept: the store may not be synced yet, and a scope of it matches nothing else.
func subtrees(stores []service.Store, roots []int64) []int64 {
	children := map[int64][]int64{}
	for _, st := range stores {
		if st.ParentID != st.ID {
			children[st.ParentID] = append(children[st.ParentID], st.ID)
		}
	}
	seen := map[int64]bool{}
	queue := slices.Clone(roots)
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] || id <= 0 {
			continue
		}
		seen[id] = true
		queue = append(queue, children[id]...)
	}
	out := make([]int64, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// StoresIn lists the stores a scope covers (every store for a corp admin), for the console's header
// and filters.
func (s *Service) StoresIn(ctx context.Context, sc service.Scope) ([]service.Store, error) {
	all, err := s.store.Stores(ctx)
	if err != nil {
		return nil, fmt.Errorf("stores: %w", err)
	}
	out := make([]service.Store, 0, len(all))
	for _, st := range all {
		if sc.All || slices.Contains(sc.Stores, st.ID) {
			out = append(out, st)
		}
	}
	return out, nil
}

// AuditLog lists admin actions newest first, limited to the caller's scope: a store manager sees the
// actions on their stores' things.
func (s *Service) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	sc := service.ScopeOf(ctx)
	if f.StoreID != 0 {
		if err := sc.Check("the audit log of a store", f.StoreID); err != nil {
			return nil, err
		}
	}
	f.Stores = sc.StoreFilter()
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	out, err := s.store.ListAudit(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}
