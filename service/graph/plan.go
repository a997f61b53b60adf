package graph

import (
	"context"
	"sort"
	"time"
)

// ReadMargin is how much later than an event a WeCom read must have started for the graph to take
// it as having seen the event's change, so the event needs no read of its own. WeCom stamps events
// in whole seconds (CreateTime), so the change happened up to a second after the event's time;
// the rest covers the difference between WeCom's clock and guidebox's (both NTP-synced in practice:
// milliseconds) and WeCom answering a read from a replica that has not caught up with a change it
// just called back about. An event inside the margin is read again: a wasted call, never a stale edge.
const ReadMargin = 3 * time.Second

// batchPage is how many customers batch/get_by_user returns a call (its limit's maximum).
const batchPage = 100

// contactPlan is a batch's contact events that need a read (events: their indexes), those a newer
// read already answered (skip), and those left to wait for a later read (deferred: for how long).
type contactPlan struct {
	events   []int
	skip     []bool
	deferred map[int]time.Duration
	mayDefer bool
}

// planContacts decides the batch's contact reads. An event whose edge and customer were read after
// it (ReadMargin) needs none. The rest are read once per customer (externalcontact/get: every
// follower), except that a guide with k customers waiting, whose customers batch/get_by_user lists in
// fewer than k pages, has them read that way (only that guide's edge of each: the customers' other
// edges are left as they are; those events' own reads refresh them). When the get budget cannot cover
// the gets at once, a guide for whom both cost the same is read by batch if that API's budget would
// drain sooner, so the two budgets are spent together. When the budget cannot cover the round's reads
// at once, or events come faster than enrichment should spend, the reads that answer the most events
// per call go first and the others wait (patience).
func (s *Service) planContacts(ctx context.Context, evs []Claimed, plan *contactPlan, r *batchReads) error {
	if len(plan.events) == 0 {
		return nil
	}
	var exts []string
	seen := map[string]bool{}
	for _, i := range plan.events {
		if ext := evs[i].Event.ExternalUserID; !seen[ext] {
			seen[ext] = true
			exts = append(exts, ext)
		}
	}
	edges, err := s.store.EdgeReads(ctx, exts)
	if err != nil {
		return err
	}
	now, fresh := s.now(), 0
	for _, i := range plan.events {
		if now.Sub(evs[i].Event.Time) < freshFor {
			fresh++
		}
	}
	s.arrivals.note(now, fresh)
	need := map[string]map[string]bool{} // customer → guides whose edge to them is waiting
	waiting := map[string][]int{}        // customer → the events waiting for a read of them
	for _, i := range plan.events {
		ev := evs[i].Event
		if e, ok := edges[EdgeKey{ev.UserID, ev.ExternalUserID}]; ok && readAfter(e, ev.Time) {
			plan.skip[i] = true
			continue
		}
		if need[ev.ExternalUserID] == nil {
			need[ev.ExternalUserID] = map[string]bool{}
		}
		need[ev.ExternalUserID][ev.UserID] = true
		waiting[ev.ExternalUserID] = append(waiting[ev.ExternalUserID], i)
	}
	budget, berr := s.dir.ReadBudget(ctx)
	batch := s.chooseBatches(ctx, need, edges, budget, berr == nil)
	units := readUnits(evs, need, waiting, batch)
	if berr == nil && plan.mayDefer {
		plan.deferred = s.patience(evs, units, budget)
	}
	for _, u := range units {
		if u.deferred {
			continue
		}
		if u.guide == "" {
			r.contacts[u.ext] = &contactRead{}
			continue
		}
		for _, ext := range u.exts {
			r.guide(u.guide).want[ext] = true
		}
	}
	return nil
}

// readAfter reports whether the edge's details and its customer's profile were read after an event
// at t (and its margin).
func readAfter(e EdgeRead, t time.Time) bool {
	after := t.Add(ReadMargin)
	return e.DetailsAt.After(after) && e.ProfileAt.After(after)
}

// guideCost is one guide's part of a batch: its customers waiting and the pages of a batch read.
type guideCost struct {
	userID string
	exts   []string
	pages  int
}

// chooseBatches returns the guides whose waiting customers are read with batch/get_by_user, with
// the pages each read takes. The budget, when known, settles the ties.
func (s *Service) chooseBatches(ctx context.Context, need map[string]map[string]bool, edges map[EdgeKey]EdgeRead,
	budget ReadBudget, known bool) map[string]int {
	byGuide := map[string][]string{}
	for ext, users := range need {
		for u := range users {
			byGuide[u] = append(byGuide[u], ext)
		}
	}
	short := known && len(need) > budget.Get.Now // the gets would wait for budget
	var ids []string
	for u, exts := range byGuide {
		if len(exts) >= 2 || short { // one customer is never fewer calls by batch
			ids = append(ids, u)
		}
	}
	sizes := s.sizes.get(ctx, s.store, ids)
	batch := map[string]int{}
	var ties []guideCost
	gets, batchCalls := len(need), 0
	for _, u := range ids {
		c := guideCost{userID: u, exts: byGuide[u], pages: pagesOf(u, byGuide[u], sizes[u], edges)}
		switch {
		case c.pages < len(c.exts):
			batch[u], batchCalls, gets = c.pages, batchCalls+c.pages, gets-onlyFor(c.exts, need)
		case c.pages == len(c.exts):
			ties = append(ties, c)
		}
	}
	if !short {
		return batch
	}
	sort.Slice(ties, func(i, j int) bool { return len(ties[i].exts) > len(ties[j].exts) })
	for _, c := range ties {
		if budget.Batch.Drain(batchCalls+c.pages) > budget.Get.Drain(gets) {
			break
		}
		batch[c.userID], batchCalls, gets = c.pages, batchCalls+c.pages, gets-onlyFor(c.exts, need)
	}
	return batch
}

// pagesOf is how many batch/get_by_user calls list every customer of guide u: the active ones the
// graph knows (size, cached) and those waiting whose edge is not active yet.
func pagesOf(u string, exts []string, size int, edges map[EdgeKey]EdgeRead) int {
	n := size
	for _, ext := range exts {
		if !edges[EdgeKey{u, ext}].Active {
			n++
		}
	}
	return max(1, (n+batchPage-1)/batchPage)
}

// onlyFor counts the customers among a guide's exts that only that guide is waiting for: the gets
// a batch read of the guide saves.
func onlyFor(exts []string, need map[string]map[string]bool) int {
	n := 0
	for _, ext := range exts {
		if len(need[ext]) == 1 {
			n++
		}
	}
	return n
}
