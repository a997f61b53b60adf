package graph

import (
	"sync"
	"time"
)

// arrivals counts the fresh contact events this process prepares, by second over the last minute,
// so planning knows how fast events needing a read come in. Fresh: the event happened less than
// freshFor before it is prepared (an event coming back from a deferral or a retry is not counted
// again). Each replica sees its share of the events.
type arrivals struct {
	mu    sync.Mutex
	slots [60]struct {
		sec int64
		n   int
	}
}

const freshFor = 15 * time.Second

// note counts n events at now.
func (a *arrivals) note(now time.Time, n int) {
	if n == 0 {
		return
	}
	sec := now.Unix()
	a.mu.Lock()
	defer a.mu.Unlock()
	s := &a.slots[sec%60]
	if s.sec != sec {
		s.sec, s.n = sec, 0
	}
	s.n += n
}

// perSecond is the rate over the minute before now.
func (a *arrivals) perSecond(now time.Time) float64 {
	sec := now.Unix()
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, s := range a.slots {
		if s.sec > sec-60 && s.sec <= sec {
			n += s.n
		}
	}
	return float64(n) / 60
}
