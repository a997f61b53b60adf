package handover

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// GuideResigned opens a resigned handover case (idempotent). It runs inside the graph
// worker's transaction, so it only writes the case row: listing the guide's customers
// and groups calls WeCom and happens in the job, outside any transaction.
//
// A departure already handled opens nothing: a resigned case of the guide opened at or after
// the departure (by this delete_user, by reconciliation or by an admin), whether it is still
// active, done or cancelled, means this delete_user is a replay (WeCom's retry, an inbox replay).
// A guide who came back and left again later resigns at a later time, and gets a new case.
func (s *Cases) GuideResigned(ctx context.Context, userID string, at time.Time) error {
	if _, err := s.store.CaseOpenedSince(ctx, KindResigned, userID, at); err == nil {
		return nil
	} else if !errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("open handover of %s: %w", userID, err)
	}
	c := Case{Kind: KindResigned, HandoverUserID: userID, Status: CaseOpen, Source: SourceDeleteUser,
		OpenedAt: at.UTC(), UpdatedAt: s.now()}
	if g, err := s.store.Guide(ctx, userID); err == nil {
		c.StoreID = g.StoreID
	} else if !errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("open handover of %s: %w", userID, err)
	}
	if s.cfg.AutoStrategy != "" {
		c.Status, c.Plan = CaseRunning, Plan{Strategy: s.cfg.AutoStrategy}
	}
	if _, _, err := s.store.OpenCase(ctx, c); err != nil {
		return fmt.Errorf("open handover of %s: %w", userID, err)
	}
	s.kick()
	return nil
}

// TransferFailed reconciles WeCom's transfer_fail callback with the items waiting on it:
// customer_refused ends the item refused; customer_limit_exceed sends it to the next candidate.
// It runs inside the graph worker's transaction and only writes rows.
func (s *Cases) TransferFailed(ctx context.Context, takeover, extID, reason string, at time.Time) error {
	items, err := s.store.OpenItemsFor(ctx, takeover, extID)
	if err != nil {
		return fmt.Errorf("transfer_fail %s: %w", extID, err)
	}
	if len(items) == 0 {
		return nil
	}
	state, code, why := ItemFailed, 0, "transfer_fail: "+reason
	switch reason {
	case "customer_refused":
		state, code, why = ItemRefused, TransferStatusRefused, "客户拒绝"
	case "customer_limit_exceed":
		state, code, why = ItemLimit, 40099, reasonOf(40099)
	}
	ids, cases := make([]int64, len(items)), make([]int64, len(items))
	for i, it := range items {
		ids[i], cases[i] = it.ID, it.CaseID
	}
	t := at.UTC()
	if _, err := s.store.UpdateItems(ctx, ids, ItemUpdate{State: &state, ErrCode: &code, Reason: &why, TakeoverAt: &t,
		OnlyStates: []string{ItemWaiting, ItemSubmitting}}); err != nil {
		return fmt.Errorf("transfer_fail %s: %w", extID, err)
	}
	if err := s.store.WakeCases(ctx, cases, s.now()); err != nil {
		return fmt.Errorf("transfer_fail %s: %w", extID, err)
	}
	s.kick()
	return nil
}

// Reconcile pages get_unassigned_list and files every departed guide's customer under a case,
// opening cases for departures the service missed. It returns how many items were new.
func (s *Cases) Reconcile(ctx context.Context) (int, error) {
	return s.scanUnassigned(ctx, "")
}

// scanUnassigned files unassigned customers (of one guide when only is set) into cases.
func (s *Cases) scanUnassigned(ctx context.Context, only string) (int, error) {
	total, cursor := 0, ""
	for {
		if err := s.keepLease(ctx); err != nil {
			return total, err
		}
		page, next, err := s.api.Unassigned(ctx, cursor)
		if err != nil {
			return total, fmt.Errorf("get_unassigned_list: %w", err)
		}
		byGuide := map[string][]string{}
		var order []string
		for _, u := range page {
			if only != "" && u.HandoverUserID != only {
				continue
			}
			if _, ok := byGuide[u.HandoverUserID]; !ok {
				order = append(order, u.HandoverUserID)
			}
			byGuide[u.HandoverUserID] = append(byGuide[u.HandoverUserID], u.ExternalUserID)
		}
		for _, guide := range order {
			n, err := s.fileUnassigned(ctx, guide, byGuide[guide])
			if err != nil {
				return total, err
			}
			total += n
		}
		if next == "" || len(page) == 0 {
			return total, nil
		}
		cursor = next
	}
}

// fileUnassigned adds customers to the guide's latest resigned case, opening one if needed;
// new items reopen a finished case for planning.
func (s *Cases) fileUnassigned(ctx context.Context, guide string, exts []string) (int, error) {
	c, err := s.store.LatestCase(ctx, KindResigned, guide)
	if errors.Is(err, service.ErrNotFound) {
		c = Case{Kind: KindResigned, HandoverUserID: guide, Status: CaseOpen, Source: SourceUnassigned,
			OpenedAt: s.now(), UpdatedAt: s.now()}
		if g, gerr := s.store.Guide(ctx, guide); gerr == nil {
			c.StoreID = g.StoreID
		}
		c, _, err = s.store.OpenCase(ctx, c)
	}
	if err != nil {
		return 0, fmt.Errorf("case of %s: %w", guide, err)
	}
	n, err := s.store.AddItems(ctx, newItems(c.ID, ItemCustomer, exts))
	if err != nil || n == 0 {
		return n, err
	}
	if c.Phase == PhasePlanned || !c.Active() {
		if !c.Active() {
			c.Status, c.FinishedAt = CaseOpen, nil
		}
		if c.Phase == PhasePlanned {
			c.Phase = PhaseCollected
		}
		c.UpdatedAt = s.now()
		if err := s.store.SaveCase(ctx, c); err != nil {
			return n, fmt.Errorf("reopen case %d: %w", c.ID, err)
		}
	}
	return n, nil
}

func newItems(caseID int64, kind string, targets []string) []Item {
	out := make([]Item, len(targets))
	for i, t := range targets {
		out[i] = Item{CaseID: caseID, Kind: kind, TargetID: t, State: ItemPending}
	}
	return out
}

// collect lists a resigned guide's customers (WeCom's unassigned list and the graph) and groups
// (groupchat/list and the graph) as items. Customers WeCom no longer lists get WeCom's errcode
// when sent, so every customer the graph knew is accounted for.
func (s *Cases) collect(ctx context.Context, c *Case) error {
	if c.Kind == KindResigned {
		if _, err := s.scanUnassigned(ctx, c.HandoverUserID); err != nil {
			return err
		}
		if err := s.collectGraphCustomers(ctx, c); err != nil {
			return err
		}
		if err := s.collectGroups(ctx, c); err != nil {
			return err
		}
	}
	fresh, err := s.store.GetCase(ctx, c.ID) // scanUnassigned may have touched it
	if err != nil {
		return err
	}
	fresh.Phase, fresh.UpdatedAt = PhaseCollected, s.now()
	if err := s.store.SaveCase(ctx, fresh); err != nil {
		return fmt.Errorf("case %d collected: %w", c.ID, err)
	}
	*c = fresh
	return nil
}

// collectGraphCustomers adds the guide's customers as the graph knows them, page by page.
func (s *Cases) collectGraphCustomers(ctx context.Context, c *Case) error {
	after := ""
	for {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		exts, err := s.store.GuideCustomers(ctx, c.HandoverUserID, after, s.cfg.PageSize)
		if err != nil {
			return fmt.Errorf("customers of %s: %w", c.HandoverUserID, err)
		}
		if len(exts) == 0 {
			return nil
		}
		if _, err := s.store.AddItems(ctx, newItems(c.ID, ItemCustomer, exts)); err != nil {
			return fmt.Errorf("add customers: %w", err)
		}
		after = exts[len(exts)-1]
	}
}

// collectGroups adds the groups the guide owns, from WeCom and from the graph.
func (s *Cases) collectGroups(ctx context.Context, c *Case) error {
	cursor := ""
	for {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		ids, next, err := s.api.OwnedGroups(ctx, c.HandoverUserID, cursor)
		if err != nil {
			return fmt.Errorf("groups of %s: %w", c.HandoverUserID, err)
		}
		if _, err := s.store.AddItems(ctx, newItems(c.ID, ItemGroup, ids)); err != nil {
			return fmt.Errorf("add groups: %w", err)
		}
		if next == "" || len(ids) == 0 {
			break
		}
		cursor = next
	}
	ids, err := s.store.GuideGroups(ctx, c.HandoverUserID)
	if err != nil {
		return fmt.Errorf("graph groups of %s: %w", c.HandoverUserID, err)
	}
	_, err = s.store.AddItems(ctx, newItems(c.ID, ItemGroup, ids))
	return err
}

// ReconcileAs is Reconcile on an admin's request, audited. It files cases for every store, so it is
// a corp admin's (ErrForbidden for a store manager).
func (s *Cases) ReconcileAs(ctx context.Context, actor string) (int, error) {
	if err := service.ScopeOf(ctx).RequireAll("reconciling departed guides' customers"); err != nil {
		return 0, err
	}
	n, err := s.Reconcile(ctx)
	if err != nil {
		return n, err
	}
	return n, s.audit(ctx, actor, "reconcile", Case{}, fmt.Sprintf("new_items=%d", n))
}

// OpenResigned opens (or returns) the resigned case of a departed guide on an admin's request.
func (s *Cases) OpenResigned(ctx context.Context, actor, userID string) (Case, error) {
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
	if err := service.ScopeOf(ctx).Check("guide "+userID, g.StoreID); err != nil {
		return Case{}, err
	}
	c := Case{Kind: KindResigned, HandoverUserID: userID, StoreID: g.StoreID, Status: CaseOpen, Source: SourceAdmin,
		CreatedBy: actor, OpenedAt: s.now(), UpdatedAt: s.now()}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, _, err = s.store.OpenCase(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, actor, "open_resigned", c, "handover="+userID)
	})
	if err != nil {
		return Case{}, fmt.Errorf("open resigned case: %w", err)
	}
	return c, nil
}
