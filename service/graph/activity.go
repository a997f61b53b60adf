package graph

import (
	"time"

	"github.com/guidebox/guidebox/service"
)

// edgeActivities are the activity log rows of one applied contact op: the add or removal whose
// register moved (a replay or an older event moves none, so it records nothing), and a remark or tag
// change a WeCom read brought to an edge that had been read before (the first read of an edge is
// its add, not a change; an edit made through guidebox was recorded by its own path and the read
// that follows it finds nothing new). Tag ids are named by the store that records them.
func edgeActivities(op contactOp, prev service.Follow, existed bool, f service.Follow, changed, newer bool) []service.Activity {
	ev := op.ev
	var out []service.Activity
	if changed {
		switch {
		case op.kind == opRemove && op.by == service.RemovedByCustomer:
			out = append(out, service.Activity{At: *f.RemovedAt, Kind: service.ActivityCustomerDeletedGuide, UserID: f.UserID,
				ExternalUserID: f.ExternalUserID, ActorKind: service.ActorWeCom})
		case op.kind == opRemove && op.by == service.RemovedByGuide:
			out = append(out, service.Activity{At: *f.RemovedAt, Kind: service.ActivityGuideDeletedCustomer, UserID: f.UserID,
				ExternalUserID: f.ExternalUserID, ActorKind: service.ActorGuide, ActorID: f.UserID})
		case op.kind == opRemove: // by transfer: the taker's customer_transferred tells it
		case !existed || !f.AddedAt.Equal(prev.AddedAt):
			out = append(out, service.Activity{At: f.AddedAt, Kind: service.ActivityCustomerAdded, UserID: f.UserID,
				ExternalUserID: f.ExternalUserID, ActorKind: service.ActorWeCom, Ref: f.State,
				Detail: map[string]any{"add_way": f.AddWay}})
		}
	}
	if !newer || !existed || prev.DetailsAt.IsZero() {
		return out
	}
	at := op.readAt
	if op.kind == opEdit && !ev.Time.IsZero() {
		at = ev.Time
	}
	if prev.Remark != f.Remark || prev.Description != f.Description || !sameList(prev.RemarkMobiles, f.RemarkMobiles) {
		out = append(out, service.Activity{At: at, Kind: service.ActivityRemarkChanged, UserID: f.UserID, ExternalUserID: f.ExternalUserID,
			ActorKind: service.ActorWeCom, Detail: map[string]any{"remark": f.Remark, "description": f.Description,
				"mobiles_changed": !sameList(prev.RemarkMobiles, f.RemarkMobiles)}})
	}
	if added, removed := diffIDs(prev.TagIDs, f.TagIDs); !prev.TagsAt.IsZero() && f.TagsAt.After(prev.TagsAt) && len(added)+len(removed) > 0 {
		out = append(out, service.Activity{At: at, Kind: service.ActivityTagsChanged, UserID: f.UserID, ExternalUserID: f.ExternalUserID,
			ActorKind: service.ActorWeCom, Detail: map[string]any{"added": added, "removed": removed}})
	}
	return out
}

// ownershipActivities is the row a transfer or an inheritance records for the taker.
func ownershipActivities(ch OwnershipChange) []service.Activity {
	kind := ""
	switch ch.Reason {
	case service.OwnerTransferred:
		kind = service.ActivityCustomerTransferred
	case service.OwnerInherited:
		kind = service.ActivityCustomerInherited
	default:
		return nil
	}
	at := ch.At
	if at.IsZero() {
		at = time.Now()
	}
	return []service.Activity{{At: at, Kind: kind, UserID: ch.ToUserID, ExternalUserID: ch.ExternalUserID,
		ActorKind: service.ActorWeCom, Ref: ch.FromUserID}}
}

// diffIDs lists the ids of b not in a (added) and of a not in b (removed).
func diffIDs(a, b []string) (added, removed []string) {
	in := func(xs []string, x string) bool {
		for _, y := range xs {
			if y == x {
				return true
			}
		}
		return false
	}
	for _, x := range b {
		if x != "" && !in(a, x) {
			added = append(added, x)
		}
	}
	for _, x := range a {
		if x != "" && !in(b, x) {
			removed = append(removed, x)
		}
	}
	return added, removed
}

func sameList(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
