package graph

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/guidebox/guidebox/service"
)

// An edge keeps two last-writer-wins registers: the newest add (AddedAt, State) and the newest
// removal (RemovedAt, RemovedBy). It is active when its newest add is newer than its newest removal
// (a tie goes to the removal). Each event only ever moves one register forward, so the final edge
// is the same whatever order the events arrive in, and applying an event twice changes nothing.

// applyAdd folds an add event into f; it reports whether f changed.
func applyAdd(f *service.Follow, exists bool, ev Event) bool {
	if !exists {
		*f = service.Follow{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID}
	} else if !ev.Time.After(f.AddedAt) {
		return false
	}
	f.AddedAt, f.State = ev.Time, ev.State
	settleEdge(f)
	return true
}

// applyRemove folds a removal into f; it reports whether f changed.
func applyRemove(f *service.Follow, exists bool, ev Event, by string) bool {
	if !exists {
		*f = service.Follow{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID}
	} else if f.RemovedAt != nil && !ev.Time.After(*f.RemovedAt) {
		return false
	}
	t := ev.Time
	f.RemovedAt, f.RemovedBy = &t, by
	settleEdge(f)
	return true
}

// settleEdge derives Active and EventAt from the two registers.
func settleEdge(f *service.Follow) {
	f.Active = f.RemovedAt == nil || f.AddedAt.After(*f.RemovedAt)
	f.EventAt = f.AddedAt
	if f.RemovedAt != nil && f.RemovedAt.After(f.EventAt) {
		f.EventAt = *f.RemovedAt
	}
}

// decideOwner keeps the customer's owner a guide who follows them. An owner chosen by people
// (a handover or an admin) stays while they follow the customer. Otherwise the owner is the
// longest-standing follower (earliest add, then userid), which makes the result independent of
// delivery order. An owner removed by a transfer keeps the customer until the taker's add
// arrives, whatever the order of the two events. It returns the change to record, if any.
func decideOwner(c service.Customer, edges []service.Follow, at time.Time) (OwnershipChange, bool) {
	var followers []service.Follow
	for _, e := range edges {
		if e.Active {
			followers = append(followers, e)
		}
	}
	if chosenByPeople(c.OwnerReason) && hasFollower(followers, c.OwnerUserID) {
		return OwnershipChange{}, false
	}
	sort.Slice(followers, func(i, j int) bool {
		if !followers[i].AddedAt.Equal(followers[j].AddedAt) {
			return followers[i].AddedAt.Before(followers[j].AddedAt)
		}
		return followers[i].UserID < followers[j].UserID
	})
	to, reason := "", service.OwnerLost
	if len(followers) > 0 {
		to, reason = followers[0].UserID, service.OwnerReassigned
	}
	if c.OwnerUserID == "" {
		reason = service.OwnerAdded
	} else if prev, ok := edgeOf(edges, c.OwnerUserID); ok && !prev.Active && prev.RemovedBy == service.RemovedByTransfer {
		taker := takerOf(followers, *prev.RemovedAt)
		if taker == "" {
			return OwnershipChange{}, false // the taker's add has not arrived yet
		}
		to, reason = taker, service.OwnerTransferred
	}
	if to == c.OwnerUserID {
		return OwnershipChange{}, false
	}
	return OwnershipChange{ExternalUserID: c.ExternalUserID, FromUserID: c.OwnerUserID, ToUserID: to, Reason: reason, At: at}, true
}

// takerOf finds the guide who took a transferred customer over: the earliest follower added
// at or after the transfer removed the previous owner.
func takerOf(sorted []service.Follow, removedAt time.Time) string {
	for _, f := range sorted {
		if !f.AddedAt.Before(removedAt) {
			return f.UserID
		}
	}
	return ""
}

// AssignOwner makes toUserID the customer's owner for reason (OwnerInherited, OwnerTransferred or
// OwnerManual), with a note for the history. Assigning the current owner again changes nothing.
func (s *Service) AssignOwner(ctx context.Context, extID, toUserID, reason, note string, at time.Time) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		states, err := s.store.LockCustomers(ctx, []service.Customer{{ExternalUserID: extID}})
		if err != nil {
			return err
		}
		st, ok := states[extID]
		if !ok {
			return fmt.Errorf("assign owner of %s: %w", extID, service.ErrNotFound)
		}
		c := st.Customer
		if c.OwnerUserID == toUserID && c.OwnerReason == reason {
			return nil
		}
		ch := OwnershipChange{ExternalUserID: extID, FromUserID: c.OwnerUserID, ToUserID: toUserID, Reason: reason, At: at, Note: note}
		c.OwnerUserID, c.OwnerReason = toUserID, reason
		if err := s.store.SaveCustomers(ctx, []service.Customer{c}); err != nil {
			return err
		}
		if err := s.store.AppendOwnerships(ctx, []OwnershipChange{ch}); err != nil {
			return err
		}
		return s.store.RecordActivities(ctx, ownershipActivities(ch))
	})
}

func chosenByPeople(reason string) bool {
	return reason == service.OwnerInherited || reason == service.OwnerTransferred || reason == service.OwnerManual
}

func hasFollower(fs []service.Follow, userID string) bool {
	_, ok := edgeOf(fs, userID)
	return ok
}

func edgeOf(edges []service.Follow, userID string) (service.Follow, bool) {
	for _, e := range edges {
		if e.UserID == userID {
			return e, true
		}
	}
	return service.Follow{}, false
}

// withEdge returns edges with f replacing (or added as) the edge of f.UserID.
func withEdge(edges []service.Follow, f service.Follow) []service.Follow {
	out := make([]service.Follow, 0, len(edges)+1)
	for _, e := range edges {
		if e.UserID != f.UserID {
			out = append(out, e)
		}
	}
	return append(out, f)
}

func followerOf(snap ContactSnapshot, userID string) (FollowDetail, bool) {
	for _, d := range snap.Followers {
		if d.UserID == userID {
			return d, true
		}
	}
	return FollowDetail{}, false
}
