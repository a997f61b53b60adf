package handover

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// CaseSummary is a case as the console lists it: the handover guide named, and its items counted.
type CaseSummary struct {
	Case   Case
	Guide  service.GuideName
	Counts map[string]map[string]int // kind → state → n
}

// CaseList lists cases in the caller's scope with names and item counts, for the console.
func (s *Views) CaseList(ctx context.Context, f CaseFilter) ([]CaseSummary, error) {
	cases, err := s.ListCases(ctx, f)
	if err != nil {
		return nil, err
	}
	ids, users := make([]int64, len(cases)), make([]string, len(cases))
	for i, c := range cases {
		ids[i], users[i] = c.ID, c.HandoverUserID
	}
	counts, err := s.store.ItemCounts(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	names, err := s.store.GuideNames(ctx, users)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	out := make([]CaseSummary, len(cases))
	for i, c := range cases {
		out[i] = CaseSummary{Case: c, Guide: nameOf(names, c.HandoverUserID), Counts: counts[c.ID]}
		if out[i].Counts == nil {
			out[i].Counts = map[string]map[string]int{}
		}
	}
	return out, nil
}

// ItemView is an item with its customer or group named and its taker named.
type ItemView struct {
	Item   Item
	Target service.ContactName
	Taker  service.GuideName // zero without a taker
}

// ItemList pages a case's items with names, for the console.
func (s *Views) ItemList(ctx context.Context, id int64, f ItemFilter) ([]ItemView, error) {
	items, err := s.Items(ctx, id, f)
	if err != nil {
		return nil, err
	}
	byKind := map[string][]string{}
	var takers []string
	for _, it := range items {
		byKind[it.Kind] = append(byKind[it.Kind], it.TargetID)
		takers = append(takers, it.TakeoverUserID)
	}
	targets := map[string]map[string]service.ContactName{}
	for kind, ids := range byKind {
		if targets[kind], err = s.store.TargetNames(ctx, kind, ids); err != nil {
			return nil, fmt.Errorf("case %d items: %w", id, err)
		}
	}
	names, err := s.store.GuideNames(ctx, takers)
	if err != nil {
		return nil, fmt.Errorf("case %d items: %w", id, err)
	}
	out := make([]ItemView, len(items))
	for i, it := range items {
		t, ok := targets[it.Kind][it.TargetID]
		if !ok {
			t = service.ContactName{ID: it.TargetID}
		}
		out[i] = ItemView{Item: it, Target: t}
		if it.TakeoverUserID != "" {
			out[i].Taker = nameOf(names, it.TakeoverUserID)
		}
	}
	return out, nil
}

// Departed is a guide who left and whose customers still wait (离职待分配): how many customers and groups
// they still hold, and their active resigned case with its counts, if one is open.
type Departed struct {
	Guide      service.GuideName
	ResignedAt *time.Time
	Customers  int
	Groups     int
	Case       *Case
	Counts     map[string]map[string]int // the case's items: kind → state → n
}

// DepartedList lists the departed guides in the caller's scope whose customers or groups still wait,
// or whose resigned case is still active, newest departure first (at most 500).
func (s *Views) DepartedList(ctx context.Context, f DepartedFilter) ([]Departed, error) {
	sc := service.ScopeOf(ctx)
	if f.StoreID != 0 {
		if err := sc.Check(fmt.Sprintf("store %d", f.StoreID), f.StoreID); err != nil {
			return nil, err
		}
	}
	f.Stores = sc.StoreFilter()
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 500
	}
	rows, err := s.store.Departed(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("departed guides: %w", err)
	}
	users, caseIDs := make([]string, len(rows)), []int64{}
	for i, r := range rows {
		users[i] = r.UserID
		if r.CaseID != 0 {
			caseIDs = append(caseIDs, r.CaseID)
		}
	}
	names, err := s.store.GuideNames(ctx, users)
	if err != nil {
		return nil, fmt.Errorf("departed guides: %w", err)
	}
	counts, err := s.store.ItemCounts(ctx, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("departed guides: %w", err)
	}
	cases, err := s.store.GetCases(ctx, caseIDs)
	if err != nil {
		return nil, fmt.Errorf("departed guides: cases: %w", err)
	}
	out := make([]Departed, len(rows))
	for i, r := range rows {
		out[i] = Departed{Guide: nameOf(names, r.UserID), ResignedAt: r.ResignedAt, Customers: r.Customers, Groups: r.Groups,
			Counts: counts[r.CaseID]}
		if c, ok := cases[r.CaseID]; ok {
			out[i].Case = &c
		}
	}
	return out, nil
}
