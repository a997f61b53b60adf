package graph

import (
	"context"
	"sync"
	"time"
)

// sizeCache keeps guides' active customer counts for a while: planning needs the pages of a batch
// read, not the exact count, and a guide's count changes slowly next to a batch's pace.
type sizeCache struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]sizeEntry
}

type sizeEntry struct {
	n  int
	at time.Time
}

// sizeTTL is how long a guide's count is used before it is counted again.
const sizeTTL = 5 * time.Minute

// get returns the guides' counts, counting those not cached (or too old) in one query. If the
// query fails, those guides count as empty: the plan is then cheaper on paper than it is, and the
// batch read pages on until it finds every customer.
func (c *sizeCache) get(ctx context.Context, store Store, ids []string) map[string]int {
	out := make(map[string]int, len(ids))
	now := time.Now()
	var missing []string
	c.mu.Lock()
	for _, id := range ids {
		if e, ok := c.m[id]; ok && now.Sub(e.at) < c.ttl {
			out[id] = e.n
		} else {
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out
	}
	counts, err := store.ActiveCounts(ctx, missing)
	if err != nil {
		return out
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 100000 { // a bound, not an LRU: start over
		c.m = map[string]sizeEntry{}
	}
	for _, id := range missing {
		out[id] = counts[id]
		c.m[id] = sizeEntry{n: counts[id], at: now}
	}
	return out
}
