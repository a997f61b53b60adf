package handover

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

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

// OpenOnjob opens an in-service transfer case (在职转接) for the named customers and groups
// (or all the graph knows of the guide) and plans it when a plan is given. Nothing is sent
// until Execute.
func (s *Planner) OpenOnjob(ctx context.Context, actor string, r OnjobRequest) (CaseView, error) {
	if err := validateOnjob(r); err != nil {
		return CaseView{}, err
	}
	g, err := s.store.Guide(ctx, r.HandoverUserID)
	if errors.Is(err, service.ErrNotFound) || (err == nil && g.Status != service.GuideActive) {
		return CaseView{}, service.Invalid("handover_userid", "not an active guide; use the resigned handover for departed guides")
	}
	if err != nil {
		return CaseView{}, fmt.Errorf("open onjob case: %w", err)
	}
	if err := service.ScopeOf(ctx).Check("guide "+g.UserID, g.StoreID); err != nil {
		return CaseView{}, err
	}
	c := Case{Kind: KindOnjob, HandoverUserID: g.UserID, StoreID: g.StoreID, Status: CaseOpen, Phase: PhaseCollected,
		Message: r.Message, Source: SourceAdmin, CreatedBy: actor, OpenedAt: s.now(), UpdatedAt: s.now()}
	if r.Plan.Strategy != "" {
		if err := s.validatePlan(ctx, c, r.Plan); err != nil {
			return CaseView{}, err
		}
		c.Plan = r.Plan
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, _, err = s.store.OpenCase(ctx, c); err != nil {
			return err
		}
		if err := s.cases.addOnjobItems(ctx, c, r); err != nil {
			return err
		}
		return s.audit(ctx, actor, "open_onjob", c, fmt.Sprintf("handover=%s customers=%d groups=%d all=%t/%t",
			r.HandoverUserID, len(r.Customers), len(r.Groups), r.AllCustomers, r.AllGroups))
	})
	if err != nil {
		return CaseView{}, fmt.Errorf("open onjob case: %w", err)
	}
	return s.Preview(ctx, c.ID)
}

// addOnjobItems files the request's customers and groups as items.
func (s *Cases) addOnjobItems(ctx context.Context, c Case, r OnjobRequest) error {
	if _, err := s.store.AddItems(ctx, newItems(c.ID, ItemCustomer, dedupe(r.Customers))); err != nil {
		return err
	}
	if _, err := s.store.AddItems(ctx, newItems(c.ID, ItemGroup, dedupe(r.Groups))); err != nil {
		return err
	}
	if r.AllCustomers {
		if err := s.collectGraphCustomers(ctx, &c); err != nil {
			return err
		}
	}
	if r.AllGroups {
		ids, err := s.store.GuideGroups(ctx, c.HandoverUserID)
		if err != nil {
			return err
		}
		if _, err := s.store.AddItems(ctx, newItems(c.ID, ItemGroup, ids)); err != nil {
			return err
		}
	}
	return nil
}

func dedupe(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
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
