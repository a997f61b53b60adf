package graph

import (
	"context"
	"sort"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Kinds of change to a customer's edges.
const (
	opAdd    = iota // add_external_contact, add_half_external_contact
	opEdit          // edit_external_contact
	opRemove        // del_external_contact, del_follow_user, reconciliation's removal
	opSync          // reconciliation: WeCom lists the edge now
)

// contactOp is one change to a customer's edges, enriched from WeCom and ready to apply in memory.
type contactOp struct {
	kind    int
	ev      Event
	by      string            // who removed the edge (opRemove)
	detail  *FollowDetail     // WeCom's current view of ev.UserID's edge, when it has one
	profile *service.Customer // WeCom's profile of the customer, when found
}

// CustomerState is a locked customer with every edge to it (tags included).
type CustomerState struct {
	Customer service.Customer
	Edges    []service.Follow
}

// EdgeWrite is one edge to save: its registers, and WeCom's details when D is set.
type EdgeWrite struct {
	F           service.Follow
	D           *FollowDetail
	TagsChanged bool
}

// applyOps applies contact changes of any number of customers in the caller's transaction:
// the customers are locked and loaded at once, changed in memory, and written back in bulk, so a
// batch of events costs a handful of statements. The owner is settled once per customer.
func (s *Service) applyOps(ctx context.Context, ops []contactOp) error {
	byCust := map[string][]contactOp{}
	profiles := map[string]service.Customer{}
	for _, op := range ops {
		ext := op.ev.ExternalUserID
		byCust[ext] = append(byCust[ext], op)
		if op.profile != nil {
			profiles[ext] = *op.profile
		} else if _, ok := profiles[ext]; !ok {
			profiles[ext] = service.Customer{ExternalUserID: ext}
		}
	}
	list := make([]service.Customer, 0, len(profiles))
	for _, p := range profiles {
		list = append(list, p)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ExternalUserID < list[j].ExternalUserID })
	states, err := s.store.LockCustomers(ctx, list)
	if err != nil {
		return err
	}
	var writes []EdgeWrite
	var owners []service.Customer
	var history []OwnershipChange
	for _, c := range list {
		st := states[c.ExternalUserID]
		var last time.Time
		dirty := map[string]int{}
		for _, op := range byCust[c.ExternalUserID] {
			if w, ok := st.apply(op); ok {
				if i, seen := dirty[w.F.UserID]; seen {
					w.D, w.TagsChanged = orDetail(w.D, writes[i].D), w.TagsChanged || writes[i].TagsChanged
					writes[i] = w
				} else {
					dirty[w.F.UserID] = len(writes)
					writes = append(writes, w)
				}
			}
			if op.ev.Time.After(last) {
				last = op.ev.Time
			}
		}
		if ch, ok := decideOwner(st.Customer, st.Edges, last); ok {
			st.Customer.OwnerUserID, st.Customer.OwnerReason = ch.ToUserID, ch.Reason
			owners, history = append(owners, st.Customer), append(history, ch)
		}
	}
	if err := s.store.SaveEdges(ctx, writes); err != nil {
		return err
	}
	if err := s.store.SetOwners(ctx, owners); err != nil {
		return err
	}
	return s.store.AppendOwnerships(ctx, history)
}

func orDetail(d, prev *FollowDetail) *FollowDetail {
	if d != nil {
		return d
	}
	return prev
}

// apply folds one op into the state; it returns the edge write it needs, if any.
func (st *CustomerState) apply(op contactOp) (EdgeWrite, bool) {
	ev := op.ev
	f, exists := edgeOf(st.Edges, ev.UserID)
	changed := false
	switch op.kind {
	case opAdd:
		changed = applyAdd(&f, exists, ev)
	case opEdit:
		if !exists && op.detail != nil { // the edit overtook its add: the edge exists since WeCom's createtime
			changed = applyAdd(&f, false, Event{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID, Time: timeOr(op.detail.CreatedAt, ev.Time), State: op.detail.State})
		}
	case opRemove:
		changed = applyRemove(&f, exists, ev, op.by)
	case opSync:
		if !exists || !f.Active {
			at := ev.Time // removed here but listed by WeCom now: observed now
			if !exists && op.detail != nil {
				at = timeOr(op.detail.CreatedAt, ev.Time)
			}
			changed = applyAdd(&f, exists, Event{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID, Time: at, State: detailState(op.detail)})
		}
	}
	if !changed && !(exists && op.detail != nil) {
		return EdgeWrite{}, false
	}
	w := EdgeWrite{D: op.detail}
	if op.detail != nil {
		w.TagsChanged = !sameIDs(f.TagIDs, op.detail.TagIDs)
		d := op.detail
		f.Remark, f.Description, f.AddWay, f.OperUserID, f.TagIDs = d.Remark, d.Description, d.AddWay, d.OperUserID, d.TagIDs
		if d.State != "" {
			f.State = d.State
		}
	}
	w.F = f
	st.Edges = withEdge(st.Edges, f)
	return w, true
}

func detailState(d *FollowDetail) string {
	if d == nil {
		return ""
	}
	return d.State
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []string) bool {
	set := map[string]bool{}
	for _, x := range a {
		set[x] = true
	}
	n := 0
	for _, x := range b {
		if x == "" {
			continue
		}
		if !set[x] {
			return false
		}
		n++
	}
	return n == len(set)
}
