package handover

import (
	"context"
	"fmt"
	"sort"

	"github.com/guidebox/guidebox/service"
)

// TakerPreview is one taker's share of a plan.
type TakerPreview struct {
	UserID    string
	Name      string
	StoreName string
	Load      int // customers the taker has now
	Customers int // customers planned or sent to them in this case
	Groups    int
}

// CaseView is a case with its progress: item counts by kind and state, and by taker.
type CaseView struct {
	Case   Case
	Guide  service.GuideName         // the handover guide, named
	Counts map[string]map[string]int // kind → state → n
	Takers []TakerPreview
}

// ListCases lists cases in the caller's scope, newest first (or oldest first with f.Oldest).
func (s *Views) ListCases(ctx context.Context, f CaseFilter) ([]Case, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	sc := service.ScopeOf(ctx)
	if f.StoreID != 0 {
		if err := sc.Check(fmt.Sprintf("store %d", f.StoreID), f.StoreID); err != nil {
			return nil, err
		}
	}
	f.Stores = sc.StoreFilter()
	out, err := s.store.ListCases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return out, nil
}

// View returns a case's progress.
func (s *Views) View(ctx context.Context, id int64) (CaseView, error) {
	c, err := s.caseInScope(ctx, id)
	if err != nil {
		return CaseView{}, err
	}
	counts, err := s.store.TakerCounts(ctx, id)
	if err != nil {
		return CaseView{}, fmt.Errorf("case %d counts: %w", id, err)
	}
	v := CaseView{Case: c, Counts: map[string]map[string]int{}}
	byTaker := map[string]*TakerPreview{}
	for _, tc := range counts {
		if v.Counts[tc.Kind] == nil {
			v.Counts[tc.Kind] = map[string]int{}
		}
		v.Counts[tc.Kind][tc.State] += tc.N
		if tc.Takeover == "" || tc.State == ItemExcluded {
			continue
		}
		tp := byTaker[tc.Takeover]
		if tp == nil {
			tp = &TakerPreview{UserID: tc.Takeover}
			byTaker[tc.Takeover] = tp
		}
		if tc.Kind == ItemGroup {
			tp.Groups += tc.N
		} else {
			tp.Customers += tc.N
		}
	}
	return v, s.fillTakers(ctx, &v, byTaker)
}

// fillTakers adds names and current loads to the per-taker counts.
func (s *Views) fillTakers(ctx context.Context, v *CaseView, byTaker map[string]*TakerPreview) error {
	ids := make([]string, 0, len(byTaker))
	for u := range byTaker {
		ids = append(ids, u)
	}
	sort.Strings(ids)
	loads, err := s.store.Loads(ctx, ids)
	if err != nil {
		return fmt.Errorf("loads: %w", err)
	}
	names, err := s.store.GuideNames(ctx, append(ids, v.Case.HandoverUserID))
	if err != nil {
		return fmt.Errorf("names: %w", err)
	}
	v.Guide = nameOf(names, v.Case.HandoverUserID)
	for _, u := range ids {
		tp := byTaker[u]
		tp.Load = loads[u]
		tp.Name, tp.StoreName = names[u].Name, names[u].StoreName
		v.Takers = append(v.Takers, *tp)
	}
	return nil
}

// nameOf is the guide's name from names, or the userid alone when the graph does not know them.
func nameOf(names map[string]service.GuideName, userID string) service.GuideName {
	if g, ok := names[userID]; ok {
		return g
	}
	return service.GuideName{UserID: userID}
}

// Items pages a case's items.
func (s *Views) Items(ctx context.Context, id int64, f ItemFilter) ([]Item, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if _, err := s.caseInScope(ctx, id); err != nil {
		return nil, err
	}
	out, err := s.store.ItemPage(ctx, id, f)
	if err != nil {
		return nil, fmt.Errorf("case %d items: %w", id, err)
	}
	return out, nil
}

// AuditLog lists admin actions, newest first (caseID 0: all cases).
func (s *Views) AuditLog(ctx context.Context, caseID int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.ListAudit(ctx, caseID, limit)
}
