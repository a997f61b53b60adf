package service

import (
	"context"
	"errors"
	"fmt"
	"time"
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
	Skipped bool // resigned or unknown to WeCom
}

// ReconcileGuide re-reads a guide's customers from WeCom (batch/get_by_user) and repairs drift:
// edges WeCom shows are made active with WeCom's details, active edges WeCom no longer shows are
// removed. A resigned or unknown guide is skipped: their edges wait for the handover.
// WeCom is read page by page before each page's transaction; nothing is called inside one.
func (s *GraphService) ReconcileGuide(ctx context.Context, userID string, now time.Time) (ReconcileReport, error) {
	rep := ReconcileReport{UserID: userID}
	if g, err := s.store.GetGuide(ctx, userID); err == nil && g.Status == GuideResigned {
		rep.Skipped = true
		return rep, nil
	}
	if _, err := s.dir.Member(ctx, userID); errors.Is(err, ErrNotFound) {
		rep.Skipped = true
		return rep, nil
	} else if err != nil {
		return rep, fmt.Errorf("reconcile %s: %w", userID, err)
	}
	seen := map[string]bool{}
	cursor := ""
	for {
		page, next, err := s.dir.ContactsOf(ctx, userID, cursor)
		if err != nil {
			return rep, fmt.Errorf("reconcile %s: %w", userID, err)
		}
		for _, snap := range page {
			seen[snap.Customer.ExternalUserID] = true
			added, err := s.syncEdge(ctx, userID, snap, now)
			if err != nil {
				return rep, fmt.Errorf("reconcile %s/%s: %w", userID, snap.Customer.ExternalUserID, err)
			}
			if added {
				rep.Added++
			}
		}
		rep.Seen += len(page)
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

// syncGroupsOf reloads every group the guide owns from groupchat/list and groupchat/get.
func (s *GraphService) syncGroupsOf(ctx context.Context, userID string) (int, error) {
	n, cursor := 0, ""
	for {
		ids, next, err := s.dir.GroupsOwnedBy(ctx, []string{userID}, cursor)
		if err != nil {
			return n, fmt.Errorf("reconcile groups of %s: %w", userID, err)
		}
		for _, id := range ids {
			g, err := s.dir.Group(ctx, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return n, fmt.Errorf("reconcile group %s: %w", id, err)
			}
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

// syncEdge makes one edge match WeCom's current view; it reports whether the edge was (re)activated.
func (s *GraphService) syncEdge(ctx context.Context, userID string, snap ContactSnapshot, now time.Time) (bool, error) {
	detail, _ := followerOf(snap, userID)
	added := false
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		cust, edges, err := s.lockCustomer(ctx, snap.Customer.ExternalUserID, snap, true)
		if err != nil {
			return err
		}
		f, exists := edgeOf(edges, userID)
		if !exists || !f.Active {
			at := timeOr(detail.CreatedAt, now)
			if exists { // removed here but present in WeCom now: observed now
				at = now
			}
			added = applyAdd(&f, exists, Event{UserID: userID, ExternalUserID: cust.ExternalUserID, Time: at, State: detail.State})
		}
		if err := s.store.SaveFollow(ctx, f, &detail); err != nil {
			return err
		}
		return s.settleOwner(ctx, cust, withEdge(edges, f), now)
	})
	return added, err
}

// removeUnseen tombstones the guide's active edges WeCom did not list.
func (s *GraphService) removeUnseen(ctx context.Context, userID string, seen map[string]bool, now time.Time) (int, error) {
	removed, after := 0, ""
	for {
		ids, err := s.store.ActiveCustomerIDs(ctx, userID, after, 500)
		if err != nil {
			return removed, err
		}
		for _, ext := range ids {
			if seen[ext] {
				continue
			}
			ev := Event{UserID: userID, ExternalUserID: ext, Time: now}
			if err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.removeEdge(ctx, ev, RemovedBySync) }); err != nil {
				return removed, err
			}
			removed++
		}
		if len(ids) < 500 {
			return removed, nil
		}
		after = ids[len(ids)-1]
	}
}

// SyncDirectory copies WeCom's departments (as stores) and corp tags into the graph.
func (s *GraphService) SyncDirectory(ctx context.Context) error {
	stores, err := s.dir.Departments(ctx)
	if err != nil {
		return fmt.Errorf("sync departments: %w", err)
	}
	tags, err := s.dir.CorpTags(ctx)
	if err != nil {
		return fmt.Errorf("sync tags: %w", err)
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpsertStores(ctx, stores); err != nil {
			return err
		}
		return s.store.ReplaceTags(ctx, tags)
	})
}

// SyncGuide copies one member from WeCom (user/get) into the graph.
func (s *GraphService) SyncGuide(ctx context.Context, userID string) error {
	m, err := s.dir.Member(ctx, userID)
	if err != nil {
		return fmt.Errorf("sync guide %s: %w", userID, err)
	}
	return s.store.UpsertGuide(ctx, Guide{UserID: m.UserID, Name: m.Name, StoreID: m.MainDepartment, Status: GuideActive})
}

// ReconcileAll syncs the directory and reconciles every active guide; report is called after each guide.
func (s *GraphService) ReconcileAll(ctx context.Context, now time.Time, report func(ReconcileReport)) error {
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
