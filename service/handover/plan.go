package handover

import (
	"context"
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// ItemRef names one item of a case.
type ItemRef struct {
	Kind     string
	TargetID string
}

// ItemEdits are an admin's manual changes to a plan: per-item takers, exclusions, re-inclusions.
type ItemEdits struct {
	Overrides map[ItemRef]string
	Exclude   []ItemRef
	Include   []ItemRef
}

// SetPlan chooses the case's strategy, replans every unsent item and returns the preview.
func (s *Planner) SetPlan(ctx context.Context, actor string, id int64, p Plan) (CaseView, error) {
	c, err := s.openCase(ctx, id)
	if err != nil {
		return CaseView{}, err
	}
	if err := s.validatePlan(ctx, c, p); err != nil {
		return CaseView{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.ResetPlan(ctx, id); err != nil {
			return err
		}
		c.Plan, c.FullTakers, c.UpdatedAt = p, nil, s.now()
		if c.Phase == PhasePlanned {
			c.Phase = PhaseCollected
		}
		if err := s.store.SaveCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "plan", c, fmt.Sprintf("strategy=%s takeover=%s keep_existing=%t", p.Strategy, p.TakeoverUserID, p.KeepExisting))
	})
	if err != nil {
		return CaseView{}, fmt.Errorf("set plan of case %d: %w", id, err)
	}
	return s.Preview(ctx, id)
}

// EditItems applies manual overrides, exclusions and re-inclusions to unsent items.
func (s *Planner) EditItems(ctx context.Context, actor string, id int64, e ItemEdits) error {
	c, err := s.openCase(ctx, id)
	if err != nil {
		return err
	}
	for ref, u := range e.Overrides {
		if err := s.validateTaker(ctx, c, "overrides."+ref.TargetID, u); err != nil {
			return err
		}
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		for ref, u := range e.Overrides {
			if err := s.editOne(ctx, c.ID, ref, ItemUpdate{Override: ptr(u), Takeover: ptr(u), State: ptr(ItemPending), Reason: ptr(""),
				OnlyStates: []string{ItemPending, ItemFailed, ItemExcluded}}); err != nil {
				return err
			}
		}
		for _, ref := range e.Exclude {
			if err := s.editOne(ctx, c.ID, ref, ItemUpdate{State: ptr(ItemExcluded), OnlyStates: []string{ItemPending, ItemFailed, ItemExcluded}}); err != nil {
				return err
			}
		}
		for _, ref := range e.Include {
			if err := s.editOne(ctx, c.ID, ref, ItemUpdate{State: ptr(ItemPending), Takeover: ptr(""), Override: ptr(""), OnlyStates: []string{ItemExcluded}}); err != nil {
				return err
			}
		}
		c.Phase, c.UpdatedAt = PhaseCollected, s.now() // unplanned items get a taker on the next preview
		if err := s.store.SaveCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "edit_items", c, fmt.Sprintf("overrides=%d exclude=%d include=%d", len(e.Overrides), len(e.Exclude), len(e.Include)))
	})
}

// editOne applies u to one item, which must exist and not have been sent.
func (s *Planner) editOne(ctx context.Context, caseID int64, ref ItemRef, u ItemUpdate) error {
	if ref.Kind != ItemCustomer && ref.Kind != ItemGroup {
		return service.Invalid("kind", "want customer or group")
	}
	items, err := s.store.ItemsByTarget(ctx, caseID, ref.Kind, []string{ref.TargetID})
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return service.Invalid("target_id", fmt.Sprintf("%s %s is not in case %d", ref.Kind, ref.TargetID, caseID))
	}
	if items[0].BatchID != 0 {
		return fmt.Errorf("%s %s was already sent to WeCom: %w", ref.Kind, ref.TargetID, service.ErrConflict)
	}
	_, err = s.store.UpdateItems(ctx, []int64{items[0].ID}, u)
	return err
}

// Execute starts sending an open, planned case; the runner takes it from here.
func (s *Planner) Execute(ctx context.Context, actor string, id int64) (CaseView, error) {
	c, err := s.openCase(ctx, id)
	if err != nil {
		return CaseView{}, err
	}
	if c.Plan.Strategy == "" {
		return CaseView{}, service.Invalid("strategy", "choose a plan before executing")
	}
	if _, err := s.Preview(ctx, id); err != nil {
		return CaseView{}, err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.store.GetCase(ctx, id)
		if err != nil {
			return err
		}
		if c.Status != CaseOpen { // cancelled meanwhile
			return fmt.Errorf("case %d is %s, only open cases can be executed: %w", id, c.Status, service.ErrConflict)
		}
		c.Status, c.UpdatedAt = CaseRunning, s.now()
		if err := s.store.SaveCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "execute", c, "")
	})
	if err != nil {
		return CaseView{}, fmt.Errorf("execute case %d: %w", id, err)
	}
	s.kick()
	return s.views.View(ctx, id)
}

// Cancel stops an active case; transfers WeCom already started are not undone.
func (s *Planner) Cancel(ctx context.Context, actor string, id int64) error {
	if _, err := s.caseInScope(ctx, id); err != nil {
		return err
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.store.GetCase(ctx, id)
		if err != nil {
			return fmt.Errorf("case %d: %w", id, err)
		}
		if !c.Active() {
			return fmt.Errorf("case %d is %s: %w", id, c.Status, service.ErrConflict)
		}
		now := s.now()
		c.Status, c.UpdatedAt, c.FinishedAt = CaseCancelled, now, &now
		if err := s.store.SaveCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "cancel", c, "")
	})
}

// Preview collects the case if needed (WeCom calls, outside any transaction), plans it with
// its strategy and returns what would be sent to whom; nothing is sent.
func (s *Planner) Preview(ctx context.Context, id int64) (CaseView, error) {
	c, err := s.caseInScope(ctx, id)
	if err != nil {
		return CaseView{}, err
	}
	if c.Phase == PhaseNew {
		if err := s.cases.collect(ctx, &c); err != nil {
			return CaseView{}, fmt.Errorf("collect case %d: %w", id, err)
		}
	}
	if c.Status == CaseOpen && c.Plan.Strategy != "" {
		if err := s.ensurePlanned(ctx, &c); err != nil {
			return CaseView{}, err
		}
	}
	return s.views.View(ctx, id)
}

// openCase reads a case an admin may still change (in their scope); ErrConflict once it runs.
func (s *Planner) openCase(ctx context.Context, id int64) (Case, error) {
	c, err := s.caseInScope(ctx, id)
	if err != nil {
		return c, err
	}
	if c.Status != CaseOpen {
		return c, fmt.Errorf("case %d is %s, only open cases can be changed: %w", id, c.Status, service.ErrConflict)
	}
	return c, nil
}

// validatePlan checks a plan against the case: a known strategy, and for "one" an active taker
// who is not the handover guide.
func (s *Planner) validatePlan(ctx context.Context, c Case, p Plan) error {
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

// validateTaker checks that userID is an active guide other than the handover guide, in a store the
// caller's scope covers (a store manager hands customers only to their own stores' guides).
func (s *Planner) validateTaker(ctx context.Context, c Case, field, userID string) error {
	if userID == c.HandoverUserID {
		return service.Invalid(field, "the taker cannot be the handover guide")
	}
	g, err := s.store.Guide(ctx, userID)
	if errors.Is(err, service.ErrNotFound) || (err == nil && g.Status != service.GuideActive) {
		return service.Invalid(field, fmt.Sprintf("%s is not an active guide", userID))
	}
	if err != nil {
		return err
	}
	return service.ScopeOf(ctx).Check("taker "+userID, g.StoreID)
}
