package handover

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

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

// OnjobRequest opens an in-service transfer (在职转接).
type OnjobRequest struct {
	HandoverUserID string
	Customers      []string // external_userids; empty with AllCustomers takes every customer the graph knows
	Groups         []string
	AllCustomers   bool
	AllGroups      bool
	Message        string // transfer_success_msg shown to customers, ≤200 characters
	Plan           Plan
}

// SetPlan chooses the case's strategy, replans every unsent item and returns the preview.
func (s *Service) SetPlan(ctx context.Context, actor string, id int64, p Plan) (CaseView, error) {
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
		return s.audit(ctx, actor, "plan", id, fmt.Sprintf("strategy=%s takeover=%s keep_existing=%t", p.Strategy, p.TakeoverUserID, p.KeepExisting))
	})
	if err != nil {
		return CaseView{}, fmt.Errorf("set plan of case %d: %w", id, err)
	}
	return s.Preview(ctx, id)
}

// EditItems applies manual overrides, exclusions and re-inclusions to unsent items.
func (s *Service) EditItems(ctx context.Context, actor string, id int64, e ItemEdits) error {
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
		return s.audit(ctx, actor, "edit_items", id, fmt.Sprintf("overrides=%d exclude=%d include=%d", len(e.Overrides), len(e.Exclude), len(e.Include)))
	})
}

// editOne applies u to one item, which must exist and not have been sent.
func (s *Service) editOne(ctx context.Context, caseID int64, ref ItemRef, u ItemUpdate) error {
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
func (s *Service) Execute(ctx context.Context, actor string, id int64) (CaseView, error) {
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
		c.Status, c.UpdatedAt = CaseRunning, s.now()
		if err := s.store.SaveCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "execute", id, "")
	})
	if err != nil {
		return CaseView{}, fmt.Errorf("execute case %d: %w", id, err)
	}
	s.kick()
	return s.View(ctx, id)
}

// Cancel stops an active case; transfers WeCom already started are not undone.
func (s *Service) Cancel(ctx context.Context, actor string, id int64) error {
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
		return s.audit(ctx, actor, "cancel", id, "")
	})
}

// AuditLog lists admin actions, newest first (caseID 0: all cases).
func (s *Service) AuditLog(ctx context.Context, caseID int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.ListAudit(ctx, caseID, limit)
}

// validateOnjob checks an in-service request's fields.
func validateOnjob(r OnjobRequest) error {
	if strings.TrimSpace(r.HandoverUserID) == "" {
		return service.Invalid("handover_userid", "required")
	}
	if utf8.RuneCountInString(r.Message) > 200 {
		return service.Invalid("message", "at most 200 characters")
	}
	if len(r.Customers) == 0 && len(r.Groups) == 0 && !r.AllCustomers && !r.AllGroups {
		return service.Invalid("customers", "name customers or groups, or ask for all")
	}
	if len(r.Customers) > 10000 || len(r.Groups) > 1000 {
		return service.Invalid("customers", "at most 10000 customers and 1000 groups per request")
	}
	for _, id := range append(append([]string{}, r.Customers...), r.Groups...) {
		if id == "" || len(id) > 64 {
			return service.Invalid("customers", "ids must be 1 to 64 characters")
		}
	}
	return nil
}
