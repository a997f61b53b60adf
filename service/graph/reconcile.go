package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// RemovedBySync marks an edge reconciliation found gone from WeCom without a callback.
const RemovedBySync = "sync"

// ReconcileReport says what one guide's reconciliation changed.
type ReconcileReport struct {
	UserID  string
	Seen    int  // customers WeCom lists for the guide
	Added   int  // edges WeCom has that the graph lacked or had removed
	Removed int  // edges the graph had that WeCom no longer has
	Groups  int  // groups the guide owns, reloaded
	Skipped bool // resigned or unknown to WeCom, or Unlicensed
	// Unlicensed: WeCom does not list the guide's customers (no interop license, 接口许可): nothing
	// was changed, since an empty list here says nothing about the customers.
	Unlicensed bool
}

// ReconcileGuide re-reads a guide's customers from WeCom (batch/get_by_user) and repairs drift:
// edges WeCom shows are made active with WeCom's details, active edges WeCom no longer shows are
// removed. A resigned or unknown guide is skipped: their edges wait for the handover.
// WeCom is read page by page before each page's transaction; nothing is called inside one.
func (s *Service) ReconcileGuide(ctx context.Context, userID string, now time.Time) (ReconcileReport, error) {
	rep := ReconcileReport{UserID: userID}
	if g, err := s.store.GetGuide(ctx, userID); err == nil && g.Status == service.GuideResigned {
		rep.Skipped = true
		return rep, nil
	}
	if _, err := s.dir.Member(ctx, userID); errors.Is(err, service.ErrNotFound) {
		rep.Skipped = true
		return rep, nil
	} else if err != nil {
		return rep, fmt.Errorf("reconcile %s: %w", userID, err)
	}
	seen := map[string]bool{}
	cursor := ""
	for {
		at := s.readStamp()
		page, next, err := s.dir.ContactsOf(ctx, userID, cursor)
		if errors.Is(err, ErrUnlicensed) && cursor == "" {
			rep.Skipped, rep.Unlicensed = true, true
			return rep, nil
		}
		if err != nil {
			return rep, fmt.Errorf("reconcile %s: %w", userID, err)
		}
		ops := make([]contactOp, 0, len(page))
		for _, snap := range page {
			ext := snap.Customer.ExternalUserID
			seen[ext] = true
			profile := snap.Customer
			profile.ProfileAt = at
			op := contactOp{kind: opSync, ev: Event{UserID: userID, ExternalUserID: ext, Time: now}, profile: &profile, readAt: at}
			if d, ok := followerOf(snap, userID); ok {
				op.detail = &d
			}
			ops = append(ops, op)
		}
		added, err := s.applyCounted(ctx, ops, userID)
		if err != nil {
			return rep, fmt.Errorf("reconcile %s: %w", userID, err)
		}
		rep.Seen, rep.Added = rep.Seen+len(page), rep.Added+added
		if next == "" {
			break
		}
		cursor = next
	}
	removed, err := s.removeUnseen(ctx, userID, seen, now)
	rep.Removed = removed
	if err != nil {
		return rep, err
	}
	rep.Groups, err = s.syncGroupsOf(ctx, userID)
	return rep, err
}

// applyCounted applies ops in one transaction and counts the guide's edges it (re)activated.
func (s *Service) applyCounted(ctx context.Context, ops []contactOp, userID string) (int, error) {
	if len(ops) == 0 {
		return 0, nil
	}
	exts := make([]string, len(ops))
	for i, op := range ops {
		exts[i] = op.ev.ExternalUserID
	}
	active, err := s.store.ActiveAmong(ctx, userID, exts)
	if err != nil {
		return 0, err
	}
	before := len(active)
	if err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.applyOps(ctx, ops) }); err != nil {
		return 0, err
	}
	return len(ops) - before, nil
}

// syncGroupsOf reloads every group the guide owns from groupchat/list and groupchat/get.
func (s *Service) syncGroupsOf(ctx context.Context, userID string) (int, error) {
	n, cursor := 0, ""
	for {
		ids, next, err := s.dir.GroupsOwnedBy(ctx, []string{userID}, cursor)
		if err != nil {
			return n, fmt.Errorf("reconcile groups of %s: %w", userID, err)
		}
		for _, id := range ids {
			at := s.readStamp()
			g, err := s.dir.Group(ctx, id)
			if errors.Is(err, service.ErrNotFound) {
				continue
			}
			if err != nil {
				return n, fmt.Errorf("reconcile group %s: %w", id, err)
			}
			g.DetailsAt = at
			if err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.store.SaveGroup(ctx, g) }); err != nil {
				return n, err
			}
			n++
		}
		if next == "" {
			return n, nil
		}
		cursor = next
	}
}

// removeUnseen tombstones the guide's active edges WeCom did not list.
func (s *Service) removeUnseen(ctx context.Context, userID string, seen map[string]bool, now time.Time) (int, error) {
	removed, after := 0, ""
	for {
		ids, err := s.store.ActiveCustomerIDs(ctx, userID, after, 500)
		if err != nil {
			return removed, err
		}
		var ops []contactOp
		for _, ext := range ids {
			if !seen[ext] {
				ops = append(ops, contactOp{kind: opRemove, ev: Event{UserID: userID, ExternalUserID: ext, Time: now}, by: RemovedBySync})
			}
		}
		if len(ops) > 0 {
			if err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.applyOps(ctx, ops) }); err != nil {
				return removed, err
			}
			removed += len(ops)
		}
		if len(ids) < 500 {
			return removed, nil
		}
		after = ids[len(ids)-1]
	}
}

// SyncDirectory copies WeCom's departments (as stores) and corp tags into the graph.
func (s *Service) SyncDirectory(ctx context.Context) error {
	stores, err := s.dir.Departments(ctx)
	if err != nil {
		return fmt.Errorf("sync departments: %w", err)
	}
	at := s.readStamp()
	tags, err := s.dir.CorpTags(ctx)
	if err != nil {
		return fmt.Errorf("sync tags: %w", err)
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpsertStores(ctx, stores); err != nil {
			return err
		}
		return s.store.ReplaceTags(ctx, tags, at)
	})
}

// SyncGuide copies one member from WeCom (user/get) into the graph.
func (s *Service) SyncGuide(ctx context.Context, userID string) error {
	at := s.readStamp()
	m, err := s.dir.Member(ctx, userID)
	if err != nil {
		return fmt.Errorf("sync guide %s: %w", userID, err)
	}
	return s.store.UpsertGuide(ctx, guideOf(m, at))
}

// guideOf is the guide a member read from WeCom at readAt describes.
func guideOf(m Member, readAt time.Time) service.Guide {
	return service.Guide{UserID: m.UserID, Name: m.Name, StoreID: m.MainDepartment, Status: service.GuideActive, DetailsAt: readAt}
}

// ReconcileAll syncs the directory and reconciles every active guide; report is called after each guide.
func (s *Service) ReconcileAll(ctx context.Context, now time.Time, report func(ReconcileReport)) error {
	if err := s.SyncDirectory(ctx); err != nil {
		return err
	}
	after := ""
	for {
		ids, err := s.store.ActiveGuideIDs(ctx, after, 200)
		if err != nil {
			return err
		}
		for _, id := range ids {
			rep, err := s.ReconcileGuide(ctx, id, now)
			if err != nil {
				return err
			}
			if report != nil {
				report(rep)
			}
		}
		if len(ids) < 200 {
			return nil
		}
		after = ids[len(ids)-1]
	}
}
