package graph

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// ReadNow reads a customer from WeCom at once and applies the read, for a guide who opens the
// customer's card before the inbox's backlog has reached it (the sidebar's ContactReader; its ctx
// carries the interactive lane and the card's deadline). It reads when the guide's edge (nil: the
// graph has none yet) was never read, or when an event waiting for a read of that edge is newer than
// its details (ReadMargin); a guide without an active edge causes a read only when their add is
// waiting, so a card can never make WeCom read a customer nobody added. It reports whether it read.
//
// The read refreshes the profile and the details of every edge the graph has (newest read wins), and
// makes the guide's own edge active when WeCom lists it and the graph has not applied the add yet:
// added at WeCom's createtime, as the waiting add will say. That add, applied later, changes nothing
// and needs no read of its own once ReadMargin has passed.
func (s *Service) ReadNow(ctx context.Context, userID, extID string, edge *service.Follow) (bool, error) {
	if edge == nil || !edge.Active || !edge.DetailsAt.IsZero() {
		var since time.Time // edge nil: any add waiting
		switch {
		case edge == nil:
		case !edge.Active:
			since = edge.EventAt // a re-add after the removal
		default:
			since = edge.DetailsAt.Add(-ReadMargin)
		}
		waiting, err := s.inbox.Waiting(ctx, userID, extID, since)
		if err != nil || !waiting {
			return false, err
		}
	}
	at := s.readStamp()
	snap, found, err := s.contact(ctx, extID)
	if err != nil || !found {
		return false, err
	}
	profile := snap.Customer
	profile.ProfileAt = at
	ops := []contactOp{{kind: opRefresh, ev: Event{UserID: userID, ExternalUserID: extID}, profile: &profile, readAt: at}}
	for _, d := range snap.Followers {
		op := contactOp{kind: opRefresh, ev: Event{UserID: d.UserID, ExternalUserID: extID}, detail: &d, profile: &profile, readAt: at}
		if d.UserID == userID && (edge == nil || !edge.Active) {
			op.kind, op.ev.Time = opListed, listedAt(d, edge, at)
		}
		ops = append(ops, op)
	}
	return true, s.tx.InTx(ctx, func(ctx context.Context) error { return s.applyOps(ctx, ops) })
}

// listedAt is when an edge WeCom lists but the graph has not (or has removed) was added: WeCom's
// createtime when it is after the graph's removal, else the read's time.
func listedAt(d FollowDetail, edge *service.Follow, readAt time.Time) time.Time {
	if d.CreatedAt.IsZero() || (edge != nil && edge.RemovedAt != nil && !d.CreatedAt.After(*edge.RemovedAt)) {
		return readAt
	}
	return d.CreatedAt
}
