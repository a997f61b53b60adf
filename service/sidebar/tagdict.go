package sidebar

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// tagDict caches the corp's tag groups (at most a few thousand tags, renamed rarely) so a card turns its
// tag ids into grouped names without a query. It reloads after ttl, and at once (at most every
// second) when a card carries a tag id it does not know, e.g. a tag created a moment ago.
type tagDict struct {
	load func(ctx context.Context) ([]service.TagGroup, error)
	ttl  time.Duration
	now  func() time.Time

	mu     sync.Mutex
	at     time.Time
	groups []service.TagGroup
	index  map[string][2]int // tag id → (group, tag) position
}

func newTagDict(load func(ctx context.Context) ([]service.TagGroup, error), ttl time.Duration) *tagDict {
	return &tagDict{load: load, ttl: ttl, now: time.Now}
}

func (d *tagDict) snapshot(ctx context.Context, ids []string) ([]service.TagGroup, map[string][2]int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	stale := d.index == nil || d.now().Sub(d.at) > d.ttl
	if !stale && d.now().Sub(d.at) > time.Second {
		for _, id := range ids {
			if _, ok := d.index[id]; !ok {
				stale = true
				break
			}
		}
	}
	if stale {
		gs, err := d.load(ctx)
		if err != nil {
			return nil, nil, err
		}
		idx := map[string][2]int{}
		for gi, g := range gs {
			for ti, t := range g.Tags {
				idx[t.TagID] = [2]int{gi, ti}
			}
		}
		d.groups, d.index, d.at = gs, idx, d.now()
	}
	return d.groups, d.index, nil
}

// Group turns tag ids into tag groups in WeCom's order; ids of deleted tags are left out.
func (d *tagDict) Group(ctx context.Context, ids []string) ([]service.TagGroup, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	groups, idx, err := d.snapshot(ctx, ids)
	if err != nil {
		return nil, err
	}
	var pos [][2]int
	for _, id := range ids {
		if p, ok := idx[id]; ok {
			pos = append(pos, p)
		}
	}
	sort.Slice(pos, func(i, j int) bool {
		if pos[i][0] != pos[j][0] {
			return pos[i][0] < pos[j][0]
		}
		return pos[i][1] < pos[j][1]
	})
	var out []service.TagGroup
	for _, p := range pos {
		g := groups[p[0]]
		if len(out) == 0 || out[len(out)-1].GroupID != g.GroupID {
			out = append(out, service.TagGroup{GroupID: g.GroupID, Name: g.Name, Order: g.Order})
		}
		last := &out[len(out)-1]
		last.Tags = append(last.Tags, g.Tags[p[1]])
	}
	return out, nil
}
