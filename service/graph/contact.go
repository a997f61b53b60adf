package graph

import (
	"context"
	"sort"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Kinds of change to a customer's edges.
const (
	opAdd     = iota // add_external_contact, add_half_external_contact
	opEdit           // edit_external_contact
	opRemove         // del_external_contact, del_follow_user, reconciliation's removal
	opSync           // reconciliation: WeCom lists the edge now
	opRefresh        // a read of the customer: details of the edges the graph has, registers untouched
	opListed         // a read lists an edge the graph lacks or has removed: added at ev.Time
)

// contactOp is one change to a customer's edges, enriched from WeCom and ready to apply in memory.
type contactOp struct {
	kind    int
	ev      Event
	by      string            // who removed the edge (opRemove)
	detail  *FollowDetail     // WeCom's view of ev.UserID's edge, when it has one
	profile *service.Customer // WeCom's profile of the customer, when found (ProfileAt set)
	readAt  time.Time         // when detail and profile were read from WeCom
}

// CustomerState is a locked customer with every edge to it (tags included).
type CustomerState struct {
	Customer service.Customer
	Edges    []service.Follow
}

// EdgeWrite is one edge to save: its registers, and, when D is set, a newer snapshot of its
// details (F holds them, with F.DetailsAt) and, when TagsChanged, its tags (F.TagIDs).
type EdgeWrite struct {
	F           service.Follow
	D           *FollowDetail
	TagsChanged bool
}

// applyOps applies contact changes of any number of customers in the caller's transaction:
// the customers are locked and loaded at once, changed in memory, and written back in bulk, so a
// batch of events costs a handful of statements. The owner is settled once per customer; a profile
// is written only when newer than the stored one.
func (s *Service) applyOps(ctx context.Context, ops []contactOp) error {
	byCust := map[string][]contactOp{}
	profiles := map[string]service.Customer{} // the newest read of each customer, or a bare placeholder
	for _, op := range ops {
		ext := op.ev.ExternalUserID
		byCust[ext] = append(byCust[ext], op)
		if p, ok := profiles[ext]; op.profile != nil && (!ok || op.profile.ProfileAt.After(p.ProfileAt)) {
			profiles[ext] = *op.profile
		} else if !ok {
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
	var acts []service.Activity
	var saves []service.Customer
	var history []OwnershipChange
	for _, c := range list {
		st := states[c.ExternalUserID]
		dirty := newerProfile(&st.Customer, c)
		var last time.Time
		written := map[string]int{}
		for _, op := range byCust[c.ExternalUserID] {
			w, ok, a := st.apply(op)
			acts = append(acts, a...)
			if ok {
				if i, seen := written[w.F.UserID]; seen {
					w.D, w.TagsChanged = orDetail(w.D, writes[i].D), w.TagsChanged || writes[i].TagsChanged
					writes[i] = w
				} else {
					written[w.F.UserID] = len(writes)
					writes = append(writes, w)
				}
			}
			if op.ev.Time.After(last) {
				last = op.ev.Time
			}
		}
		// Reads alone (opRefresh, no event time) change no register: the owner stays.
		if ch, ok := decideOwner(st.Customer, st.Edges, last); ok && !last.IsZero() {
			st.Customer.OwnerUserID, st.Customer.OwnerReason = ch.ToUserID, ch.Reason
			history, dirty = append(history, ch), true
			acts = append(acts, ownershipActivities(ch)...)
		}
		if dirty {
			saves = append(saves, st.Customer)
		}
	}
	if err := s.store.SaveEdges(ctx, writes); err != nil {
		return err
	}
	if err := s.store.SaveCustomers(ctx, saves); err != nil {
		return err
	}
	if err := s.store.AppendOwnerships(ctx, history); err != nil {
		return err
	}
	return s.store.RecordActivities(ctx, acts)
}

// newerProfile copies read's profile into c when it was read after c's; it reports whether it did.
// (A customer LockCustomers just inserted holds this very read already: not newer.)
func newerProfile(c *service.Customer, read service.Customer) bool {
	if !read.ProfileAt.After(c.ProfileAt) {
		return false
	}
	c.UnionID, c.Name, c.Avatar, c.Type, c.Gender, c.CorpName = read.UnionID, read.Name, read.Avatar, read.Type, read.Gender, read.CorpName
	c.ProfileAt = read.ProfileAt
	return true
}

func orDetail(d, prev *FollowDetail) *FollowDetail {
	if d != nil {
		return d
	}
	return prev
}

// apply folds one op into the state; it returns the edge write it needs, if any, and the activities
// the change records (activity.go). The registers move by event time (edge.go); the details are
// replaced only by a snapshot read after theirs.
func (st *CustomerState) apply(op contactOp) (EdgeWrite, bool, []service.Activity) {
	ev := op.ev
	f, exists := edgeOf(st.Edges, ev.UserID)
	prev := f
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
	case opListed:
		if !exists || !f.Active {
			changed = applyAdd(&f, exists, Event{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID, Time: ev.Time, State: detailState(op.detail)})
		}
	case opSync:
		if !exists || !f.Active {
			at := ev.Time // removed here but listed by WeCom now: observed now
			if !exists && op.detail != nil {
				at = timeOr(op.detail.CreatedAt, ev.Time)
			}
			changed = applyAdd(&f, exists, Event{UserID: ev.UserID, ExternalUserID: ev.ExternalUserID, Time: at, State: detailState(op.detail)})
		}
	}
	newer := op.detail != nil && (exists || changed) && op.readAt.After(f.DetailsAt)
	if !changed && !newer {
		return EdgeWrite{}, false, nil
	}
	var w EdgeWrite
	if newer {
		d := op.detail
		w.D = d
		f.Remark, f.Description, f.RemarkMobiles, f.AddWay, f.OperUserID = d.Remark, d.Description, d.RemarkMobiles, d.AddWay, d.OperUserID
		if d.State != "" {
			f.State = d.State
		}
		f.DetailsAt = op.readAt
		if op.readAt.After(f.TagsAt) { // a guide's edit after this read started keeps its tags
			w.TagsChanged = !sameIDs(f.TagIDs, d.TagIDs)
			f.TagIDs, f.TagsAt = d.TagIDs, op.readAt
		}
	}
	w.F = f
	st.Edges = withEdge(st.Edges, f)
	return w, true, edgeActivities(op, prev, exists, f, changed, newer)
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
