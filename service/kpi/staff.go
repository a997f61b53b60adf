package kpi

import (
	"context"
	"sort"
	"time"
)

// staffTTL is how long the guides in service per store are reused: the directory changes by the
// hour, the console asks many times a minute.
const staffTTL = time.Minute

// staffing is the guides in service per store now, and the days those who left since a day resigned:
// a guide is in service on a day when active now or resigned on that day or later.
type staffing struct {
	active   map[int64]int64
	resigned map[int64][]Day // by store, ascending
	stores   map[int64]bool  // the stores asked about (nil: every store)
}

// now is the guides in service of a store (0: every store asked about).
func (st staffing) now(store int64) int64 {
	if store != 0 {
		return st.active[store]
	}
	var n int64
	for id, a := range st.active {
		if st.stores == nil || st.stores[id] {
			n += a
		}
	}
	return n
}

// on is the guides in service of a store (0: every store asked about) on day d.
func (st staffing) on(store int64, d Day) int64 {
	n := st.now(store)
	count := func(days []Day) int64 { // those resigned on d or later
		return int64(len(days) - sort.Search(len(days), func(i int) bool { return days[i] >= d }))
	}
	if store != 0 {
		return n + count(st.resigned[store])
	}
	for id, days := range st.resigned {
		if st.stores == nil || st.stores[id] {
			n += count(days)
		}
	}
	return n
}

type staffCache struct {
	since Day
	at    time.Time
	all   staffing
}

// staff answers the staffing of stores (nil: every store) since a day, from one read of the whole
// corp reused for staffTTL.
func (s *Service) staff(ctx context.Context, stores []int64, since Day) (staffing, error) {
	s.mu.Lock()
	c := s.staffed
	s.mu.Unlock()
	now := s.cfg.Now()
	if c == nil || c.since > since || now.Sub(c.at) > staffTTL || now.Before(c.at) {
		active, gone, err := s.store.GuideCounts(ctx, nil, since.Time(s.cfg.Location))
		if err != nil {
			return staffing{}, err
		}
		all := staffing{active: active, resigned: map[int64][]Day{}}
		for _, r := range gone {
			all.resigned[r.StoreID] = append(all.resigned[r.StoreID], DayOf(r.At, s.cfg.Location))
		}
		for _, days := range all.resigned {
			sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
		}
		c = &staffCache{since: since, at: now, all: all}
		s.mu.Lock()
		s.staffed = c
		s.mu.Unlock()
	}
	out := c.all
	if stores != nil {
		out.stores = map[int64]bool{}
		for _, id := range stores {
			out.stores[id] = true
		}
	}
	return out, nil
}
