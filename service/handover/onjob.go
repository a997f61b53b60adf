package handover

import (
	"context"
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// OpenOnjob opens an in-service transfer case (在职转接) for the named customers and groups
// (or all the graph knows of the guide) and plans it when a plan is given. Nothing is sent
// until Execute.
func (s *Service) OpenOnjob(ctx context.Context, actor string, r OnjobRequest) (CaseView, error) {
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
		if err := s.addOnjobItems(ctx, c, r); err != nil {
			return err
		}
		return s.audit(ctx, actor, "open_onjob", c.ID, fmt.Sprintf("handover=%s customers=%d groups=%d all=%t/%t",
			r.HandoverUserID, len(r.Customers), len(r.Groups), r.AllCustomers, r.AllGroups))
	})
	if err != nil {
		return CaseView{}, fmt.Errorf("open onjob case: %w", err)
	}
	return s.Preview(ctx, c.ID)
}

// addOnjobItems files the request's customers and groups as items.
func (s *Service) addOnjobItems(ctx context.Context, c Case, r OnjobRequest) error {
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

// OpenResigned opens (or returns) the resigned case of a departed guide on an admin's request.
func (s *Service) OpenResigned(ctx context.Context, actor, userID string) (Case, error) {
	if userID == "" {
		return Case{}, service.Invalid("handover_userid", "required")
	}
	g, err := s.store.Guide(ctx, userID)
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		return Case{}, fmt.Errorf("open resigned case: %w", err)
	}
	if err == nil && g.Status == service.GuideActive {
		return Case{}, service.Invalid("handover_userid", "the guide is still active; use an in-service transfer")
	}
	c := Case{Kind: KindResigned, HandoverUserID: userID, StoreID: g.StoreID, Status: CaseOpen, Source: SourceAdmin,
		CreatedBy: actor, OpenedAt: s.now(), UpdatedAt: s.now()}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, _, err = s.store.OpenCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "open_resigned", c.ID, "handover="+userID)
	})
	if err != nil {
		return Case{}, fmt.Errorf("open resigned case: %w", err)
	}
	return c, nil
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
