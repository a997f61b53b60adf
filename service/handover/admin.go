package handover

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/guidebox/guidebox/service"
)

// TakerPreview is one taker's share of a plan.
type TakerPreview struct {
	UserID    string
	Name      string
	Load      int // customers the taker has now
	Customers int // customers planned or sent to them in this case
	Groups    int
}

// HandoverView is a case with its progress: item counts by kind and state, and by taker.
type CaseView struct {
	Case   Case
	Counts map[string]map[string]int // kind → state → n
	Takers []TakerPreview
}

// ListCases lists cases, newest first.
func (s *Service) ListCases(ctx context.Context, f CaseFilter) ([]Case, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	out, err := s.store.ListCases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return out, nil
}

// View returns a case's progress.
func (s *Service) View(ctx context.Context, id int64) (CaseView, error) {
	c, err := s.store.GetCase(ctx, id)
	if err != nil {
		return CaseView{}, fmt.Errorf("case %d: %w", id, err)
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
func (s *Service) fillTakers(ctx context.Context, v *CaseView, byTaker map[string]*TakerPreview) error {
	ids := make([]string, 0, len(byTaker))
	for u := range byTaker {
		ids = append(ids, u)
	}
	sort.Strings(ids)
	loads, err := s.store.Loads(ctx, ids)
	if err != nil {
		return fmt.Errorf("loads: %w", err)
	}
	for _, u := range ids {
		tp := byTaker[u]
		tp.Load = loads[u]
		if g, err := s.store.Guide(ctx, u); err == nil {
			tp.Name = g.Name
		}
		v.Takers = append(v.Takers, *tp)
	}
	return nil
}

// Items pages a case's items.
func (s *Service) Items(ctx context.Context, id int64, f ItemFilter) ([]Item, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if _, err := s.store.GetCase(ctx, id); err != nil {
		return nil, fmt.Errorf("case %d: %w", id, err)
	}
	out, err := s.store.ItemPage(ctx, id, f)
	if err != nil {
		return nil, fmt.Errorf("case %d items: %w", id, err)
	}
	return out, nil
}

// Preview collects the case if needed (WeCom calls, outside any transaction), plans it with
// its strategy and returns what would be sent to whom; nothing is sent.
func (s *Service) Preview(ctx context.Context, id int64) (CaseView, error) {
	c, err := s.store.GetCase(ctx, id)
	if err != nil {
		return CaseView{}, fmt.Errorf("case %d: %w", id, err)
	}
	if c.Phase == PhaseNew {
		if err := s.collect(ctx, &c); err != nil {
			return CaseView{}, fmt.Errorf("collect case %d: %w", id, err)
		}
	}
	if c.Status == CaseOpen && c.Plan.Strategy != "" {
		if err := s.ensurePlanned(ctx, &c); err != nil {
			return CaseView{}, err
		}
	}
	return s.View(ctx, id)
}

// openCase reads a case an admin may still change; ErrConflict once it runs.
func (s *Service) openCase(ctx context.Context, id int64) (Case, error) {
	c, err := s.store.GetCase(ctx, id)
	if err != nil {
		return c, fmt.Errorf("case %d: %w", id, err)
	}
	if c.Status != CaseOpen {
		return c, fmt.Errorf("case %d is %s, only open cases can be changed: %w", id, c.Status, service.ErrConflict)
	}
	return c, nil
}

// validatePlan checks a plan against the case: a known strategy, and for "one" an active taker
// who is not the handover guide.
func (s *Service) validatePlan(ctx context.Context, c Case, p Plan) error {
	switch p.Strategy {
	case StrategyOne:
		if p.TakeoverUserID == "" {
			return service.Invalid("takeover_userid", "required for strategy one")
		}
		return s.validateTaker(ctx, c, "takeover_userid", p.TakeoverUserID)
	case StrategyRoundRobin, StrategyLeastLoaded:
		if p.TakeoverUserID != "" {
			return service.Invalid("takeover_userid", "only for strategy one")
		}
		return nil
	}
	return service.Invalid("strategy", "want one, round_robin or least_loaded")
}

// validateTaker checks that userID is an active guide other than the handover guide.
func (s *Service) validateTaker(ctx context.Context, c Case, field, userID string) error {
	if userID == c.HandoverUserID {
		return service.Invalid(field, "the taker cannot be the handover guide")
	}
	g, err := s.store.Guide(ctx, userID)
	if errors.Is(err, service.ErrNotFound) || (err == nil && g.Status != service.GuideActive) {
		return service.Invalid(field, fmt.Sprintf("%s is not an active guide", userID))
	}
	return err
}
