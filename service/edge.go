package service

import (
	"context"
	"sort"
	"time"
)

// addOrEdit applies add_external_contact, add_half_external_contact or edit_external_contact.
func (s *GraphService) addOrEdit(ctx context.Context, ev Event, snap ContactSnapshot, found bool) error {
	cust, edges, err := s.lockCustomer(ctx, ev.ExternalUserID, snap, found)
	if err != nil {
		return err
	}
	detail, hasDetail := followerOf(snap, ev.UserID)
	f, exists := edgeOf(edges, ev.UserID)
	changed := false
	if ev.ChangeType != ChangeEditExternalContact {
		changed = applyAdd(&f, exists, ev)
	} else if !exists && hasDetail { // the edit overtook its add: the edge exists since WeCom's createtime
		changed = applyAdd(&f, false, Event{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID, Time: timeOr(detail.CreatedAt, ev.Time), State: detail.State})
	}
	if !changed && !(exists && hasDetail) {
		return s.settleOwner(ctx, cust, edges, ev.Time)
	}
	var d *FollowDetail
	if hasDetail {
		d = &detail
	}
	if err := s.store.SaveFollow(ctx, f, d); err != nil {
		return err
	}
	return s.settleOwner(ctx, cust, withEdge(edges, f), ev.Time)
}

// removeEdge applies del_external_contact and del_follow_user as a tombstone with its time.
func (s *GraphService) removeEdge(ctx context.Context, ev Event, by string) error {
	cust, edges, err := s.lockCustomer(ctx, ev.ExternalUserID, ContactSnapshot{}, false)
	if err != nil {
		return err
	}
	f, exists := edgeOf(edges, ev.UserID)
	if !applyRemove(&f, exists, ev, by) {
		return nil
	}
	if err := s.store.SaveFollow(ctx, f, nil); err != nil {
		return err
	}
	return s.settleOwner(ctx, cust, withEdge(edges, f), ev.Time)
}

func edgeOf(edges []Follow, userID string) (Follow, bool) {
	for _, e := range edges {
		if e.UserID == userID {
			return e, true
		}
	}
	return Follow{}, false
}

// withEdge returns edges with f replacing (or added as) the edge of f.UserID.
func withEdge(edges []Follow, f Follow) []Follow {
	out := make([]Follow, 0, len(edges)+1)
	for _, e := range edges {
		if e.UserID != f.UserID {
			out = append(out, e)
		}
	}
	return append(out, f)
}

// An edge keeps two last-writer-wins registers: the newest add (AddedAt, State) and the newest
// removal (RemovedAt, RemovedBy). It is active when its newest add is newer than its newest removal
// (a tie goes to the removal). Each event only ever moves one register forward, so the final edge
// is the same whatever order the events arrive in, and applying an event twice changes nothing.

// applyAdd folds an add event into f; it reports whether f changed.
func applyAdd(f *Follow, exists bool, ev Event) bool {
	if !exists {
		*f = Follow{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID}
	} else if !ev.Time.After(f.AddedAt) {
		return false
	}
	f.AddedAt, f.State = ev.Time, ev.State
	settleEdge(f)
	return true
}

// applyRemove folds a removal into f; it reports whether f changed.
func applyRemove(f *Follow, exists bool, ev Event, by string) bool {
	if !exists {
		*f = Follow{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID}
	} else if f.RemovedAt != nil && !ev.Time.After(*f.RemovedAt) {
		return false
	}
	t := ev.Time
	f.RemovedAt, f.RemovedBy = &t, by
	settleEdge(f)
	return true
}

// settleEdge derives Active and EventAt from the two registers.
func settleEdge(f *Follow) {
	f.Active = f.RemovedAt == nil || f.AddedAt.After(*f.RemovedAt)
	f.EventAt = f.AddedAt
	if f.RemovedAt != nil && f.RemovedAt.After(f.EventAt) {
		f.EventAt = *f.RemovedAt
	}
}

// lockCustomer makes sure the customer row exists (with WeCom's profile when known), locks it and
// every edge to it, which serialises each change to this customer across workers and replicas.
func (s *GraphService) lockCustomer(ctx context.Context, extID string, snap ContactSnapshot, found bool) (Customer, []Follow, error) {
	c := Customer{ExternalUserID: extID}
	if found {
		c = snap.Customer
	}
	if err := s.store.UpsertCustomer(ctx, c); err != nil {
		return Customer{}, nil, err
	}
	c, err := s.store.LockCustomer(ctx, extID)
	if err != nil {
		return Customer{}, nil, err
	}
	edges, err := s.store.LockFollows(ctx, extID)
	return c, edges, err
}

// settleOwner keeps the customer's owner a guide who follows them, recording every change.
// An owner chosen by people (a handover or an admin) stays while they follow the customer.
// Otherwise the owner is the longest-standing follower (earliest add, then userid), which makes the
// result independent of delivery order. An owner removed by a transfer keeps the customer until the
// taker's add arrives, whatever the order of the two events.
func (s *GraphService) settleOwner(ctx context.Context, c Customer, edges []Follow, at time.Time) error {
	var followers []Follow
	for _, e := range edges {
		if e.Active {
			followers = append(followers, e)
		}
	}
	if chosenByPeople(c.OwnerReason) && hasFollower(followers, c.OwnerUserID) {
		return nil
	}
	sort.Slice(followers, func(i, j int) bool {
		if !followers[i].AddedAt.Equal(followers[j].AddedAt) {
			return followers[i].AddedAt.Before(followers[j].AddedAt)
		}
		return followers[i].UserID < followers[j].UserID
	})
	to, reason := "", OwnerLost
	if len(followers) > 0 {
		to, reason = followers[0].UserID, OwnerReassigned
	}
	if c.OwnerUserID == "" {
		reason = OwnerAdded
	} else if prev, ok := edgeOf(edges, c.OwnerUserID); ok && !prev.Active && prev.RemovedBy == RemovedByTransfer {
		taker := takerOf(followers, *prev.RemovedAt)
		if taker == "" {
			return nil // the taker's add has not arrived yet
		}
		to, reason = taker, OwnerTransferred
	}
	if to == c.OwnerUserID {
		return nil
	}
	return s.setOwner(ctx, c, to, reason, "", at)
}

// takerOf finds the guide who took a transferred customer over: the earliest follower added
// at or after the transfer removed the previous owner.
func takerOf(sorted []Follow, removedAt time.Time) string {
	for _, f := range sorted {
		if !f.AddedAt.Before(removedAt) {
			return f.UserID
		}
	}
	return ""
}

// setOwner records an ownership change on the customer and in its append-only history.
func (s *GraphService) setOwner(ctx context.Context, c Customer, to, reason, note string, at time.Time) error {
	if err := s.store.SetOwner(ctx, c.ExternalUserID, to, reason); err != nil {
		return err
	}
	return s.store.AppendOwnership(ctx, OwnershipChange{ExternalUserID: c.ExternalUserID, FromUserID: c.OwnerUserID, ToUserID: to, Reason: reason, At: at, Note: note})
}

// AssignOwner makes toUserID the customer's owner for reason (OwnerInherited, OwnerTransferred or
// OwnerManual), with a note for the history. Assigning the current owner again changes nothing.
func (s *GraphService) AssignOwner(ctx context.Context, extID, toUserID, reason, note string, at time.Time) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		c, _, err := s.lockCustomer(ctx, extID, ContactSnapshot{}, false)
		if err != nil {
			return err
		}
		if c.OwnerUserID == toUserID && c.OwnerReason == reason {
			return nil
		}
		return s.setOwner(ctx, c, toUserID, reason, note, at)
	})
}

func chosenByPeople(reason string) bool {
	return reason == OwnerInherited || reason == OwnerTransferred || reason == OwnerManual
}

func hasFollower(fs []Follow, userID string) bool {
	for _, f := range fs {
		if f.UserID == userID {
			return true
		}
	}
	return false
}

func followerOf(snap ContactSnapshot, userID string) (FollowDetail, bool) {
	for _, d := range snap.Followers {
		if d.UserID == userID {
			return d, true
		}
	}
	return FollowDetail{}, false
}
