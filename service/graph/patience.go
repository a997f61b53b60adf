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

// patience decides which reads wait when the budget cannot cover them all at once: the reads that
// answer the most events per call go first (the oldest first among equals) while each API's budget
// has room; a read whose oldest event has waited the patience goes anyway (its calls wait for
// budget in the client); the others are deferred, each event until its patience ends. It returns
// the deferred events with how long each waits. With the budget covering every read, nothing waits.
func (s *Service) patience(evs []Claimed, units []*readUnit, budget ReadBudget) map[int]time.Duration {
	left := map[bool]int{false: budget.Get.Now, true: budget.Batch.Now} // by "is a batch read"
	need := map[bool]int{}
	for _, u := range units {
		need[u.guide != ""] += u.calls
	}
	if s.patienceFor <= 0 || (need[false] <= left[false] && need[true] <= left[true]) {
		return nil
	}
	sort.Slice(units, func(i, j int) bool {
		a, b := len(units[i].events)*units[j].calls, len(units[j].events)*units[i].calls
		if a != b {
			return a > b
		}
		return units[i].oldest.Before(units[j].oldest)
	})
	now := s.now()
	deferred := map[int]time.Duration{}
	for _, u := range units {
		api := u.guide != ""
		switch {
		case u.calls <= left[api]:
			left[api] -= u.calls
		case now.Sub(u.oldest) >= s.patienceFor:
		default:
			u.deferred = true
			for _, i := range u.events {
				deferred[i] = max(time.Second, s.patienceFor-now.Sub(evs[i].Event.Time))
			}
		}
	}
	return deferred
}
