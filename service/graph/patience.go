package graph

import (
	"fmt"
	"sort"
	"time"
)

// DefaultReadPatience is how long an event may wait for a contact read when WeCom's budget cannot
// cover a round's reads at once (Service.SetReadPatience).
const DefaultReadPatience = 2 * time.Minute

// SetReadPatience sets how long an event may wait for its contact read while the budget is short:
// the longer, the more of a guide's customers one batch/get_by_user call answers, and the longer a
// card the guide has not opened stays incomplete (a card opened is read at once: ReadNow).
// 0 reads everything at once, however long the calls then wait for budget.
func (s *Service) SetReadPatience(d time.Duration) { s.patienceFor = max(0, d) }

// DeferredError is an event left to wait Wait for a later contact read (until its patience ends):
// the budget could not cover the round's reads, and reads answering more events per call went
// first. The worker puts it back without counting an attempt; with its guide's next event it joins
// that read.
type DeferredError struct{ Wait time.Duration }

func (e *DeferredError) Error() string {
	return fmt.Sprintf("read deferred for %s: WeCom's budget goes to reads answering more events", e.Wait.Round(time.Second))
}

// readUnit is one planned contact read: externalcontact/get of one customer (guide "") or
// batch/get_by_user of one guide's customers (exts), with the calls it costs and the events it answers.
type readUnit struct {
	ext      string
	guide    string
	exts     []string
	calls    int
	events   []int
	oldest   time.Time
	deferred bool
}

// readUnits turns the plan into reads: a get per customer some guide not read by batch waits for
// (it answers every event of the customer), a batch read per batched guide for the rest.
func readUnits(evs []Claimed, need map[string]map[string]bool, waiting map[string][]int, batch map[string]int) []*readUnit {
	var units []*readUnit
	byGuide := map[string]*readUnit{}
	for ext, users := range need {
		alone := false
		for u := range users {
			_, ok := batch[u]
			alone = alone || !ok
		}
		if alone {
			units = append(units, &readUnit{ext: ext, calls: 1, events: waiting[ext]})
			continue
		}
		for _, i := range waiting[ext] {
			u := evs[i].Event.UserID
			g := byGuide[u]
			if g == nil {
				g = &readUnit{guide: u, calls: batch[u]}
				byGuide[u] = g
				units = append(units, g)
			}
			if len(g.exts) == 0 || g.exts[len(g.exts)-1] != ext {
				g.exts = append(g.exts, ext)
			}
			g.events = append(g.events, i)
		}
	}
	for _, u := range units {
		for k, i := range u.events {
			if t := evs[i].Event.Time; k == 0 || t.Before(u.oldest) {
				u.oldest = t
			}
		}
	}
	return units
}

// enrichmentShare is the share of the contact APIs' sustained budget enrichment aims to spend while
// events come faster than that: a campaign is read in fewer, fuller reads, and the rest of the budget
// stays with the sidebar, handovers and reconciliation.
const enrichmentShare = 0.5

// targetYield is how many events a read should answer per call: 1 (any read) while contact events
// come in slower than enrichmentShare of the sustained budget of both contact APIs; above that, the
// ratio, so that reads answering fewer wait for more of their guide's customers.
func (s *Service) targetYield(budget ReadBudget, now time.Time) float64 {
	rate := enrichmentShare * (budget.Get.PerSecond + budget.Batch.PerSecond)
	if rate <= 0 {
		return 1
	}
	return max(1, s.arrivals.perSecond(now)/rate)
}

// patience decides which reads wait. A read whose oldest event has waited the patience goes in any
// case (its calls wait for budget in the client). The others go if they answer at least the target
// yield of events per call (targetYield: above 1 only while events come faster than enrichment
// should spend) and their API's budget has room now, the reads answering the most events per call
// first (the oldest first among equals). The rest are deferred, each event until its patience ends.
// It returns the deferred events with how long each waits. In normal operation (events slower than
// the budget, the budget covering the round) nothing waits.
func (s *Service) patience(evs []Claimed, units []*readUnit, budget ReadBudget) map[int]time.Duration {
	if s.patienceFor <= 0 {
		return nil
	}
	now := s.now()
	yield := s.targetYield(budget, now)
	left := map[bool]int{false: budget.Get.Now, true: budget.Batch.Now} // by "is a batch read"
	need := map[bool]int{}
	for _, u := range units {
		need[u.guide != ""] += u.calls
	}
	if yield <= 1 && need[false] <= left[false] && need[true] <= left[true] {
		return nil
	}
	sort.Slice(units, func(i, j int) bool {
		a, b := len(units[i].events)*units[j].calls, len(units[j].events)*units[i].calls
		if a != b {
			return a > b
		}
		return units[i].oldest.Before(units[j].oldest)
	})
	deferred := map[int]time.Duration{}
	for _, u := range units {
		api := u.guide != ""
		switch {
		case now.Sub(u.oldest) >= s.patienceFor:
			left[api] -= u.calls
		case float64(len(u.events)) >= yield*float64(u.calls) && u.calls <= left[api]:
			left[api] -= u.calls
		default:
			u.deferred = true
			for _, i := range u.events {
				deferred[i] = max(time.Second, s.patienceFor-now.Sub(evs[i].Event.Time))
			}
		}
	}
	return deferred
}
