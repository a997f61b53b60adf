package recommend

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guidebox/guidebox/service"
)

// view is what a replica holds in memory: the catalogue and the index, products numbered.
type view struct {
	stamp      Stamp
	generation int64
	builtAt    time.Time
	checked    atomic.Int64 // when the stamps were last compared with the database (Unix ns)

	products []service.Product
	id       map[string]int32
	tracked  []bool    // stock tracked: offered only where the store has stock
	buyers   []float32 // customers who bought the product in the index's history
	byTag    map[string][]int32
	byCat    map[string][]int32
	byOrder  []int32 // on-sale products in catalogue order, for an empty history
	nbs      [][]scored
	storeTop map[int64][]int32 // best first
	cycleSKU []int32           // days; 0: none known (the category's applies), -1: not a consumable
	cycleCat map[string]int32
	pool     sync.Pool // *scratch of requests
}

// Candidates a request takes from each list, most bought first: per tag of the customer, and per
// category the customer buys.
const (
	perTag      = 100
	perCategory = 30
)

// loadView reads the catalogue and the current index.
func (s *Service) loadView(ctx context.Context) (*view, error) {
	stamp, err := s.store.CatalogStamp(ctx)
	if err != nil {
		return nil, fmt.Errorf("catalogue stamp: %w", err)
	}
	ps, err := s.store.Products(ctx)
	if err != nil {
		return nil, fmt.Errorf("read products: %w", err)
	}
	tracked, err := s.store.TrackedSKUs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read tracked SKUs: %w", err)
	}
	v := &view{stamp: stamp, products: ps, id: make(map[string]int32, len(ps)), tracked: make([]bool, len(ps)),
		buyers: make([]float32, len(ps)), nbs: make([][]scored, len(ps)), storeTop: map[int64][]int32{}, cycleSKU: make([]int32, len(ps)),
		cycleCat: map[string]int32{}}
	v.checked.Store(time.Now().UnixNano())
	for i, p := range ps {
		v.id[p.SKU] = int32(i)
	}
	for _, sku := range tracked {
		if i, ok := v.id[sku]; ok {
			v.tracked[i] = true
		}
	}
	meta, err := s.store.IndexMeta(ctx)
	switch {
	case errors.Is(err, service.ErrNotFound): // never built: tags and catalogue order only
	case err != nil:
		return nil, fmt.Errorf("index meta: %w", err)
	default:
		chunks, err := s.store.IndexChunks(ctx, meta.Generation)
		if err != nil {
			return nil, fmt.Errorf("read index %d: %w", meta.Generation, err)
		}
		for _, c := range chunks {
			if err := v.decode(c); err != nil {
				return nil, fmt.Errorf("index %d chunk %s%d: %w", meta.Generation, c.Kind, c.No, err)
			}
		}
		v.generation, v.builtAt = meta.Generation, meta.BuiltAt
	}
	v.lists()
	return v, nil
}

// decode adds one chunk of the index to the view; SKUs no longer in the catalogue are skipped.
func (v *view) decode(c Chunk) error {
	return records(c.Data, func(f []string) error {
		switch c.Kind {
		case kindNeighbors:
			a, ok := v.id[f[0]]
			if !ok {
				return nil
			}
			for i := 1; i+1 < len(f); i += 2 {
				b, ok := v.id[f[i]]
				sc, err := atof32(f[i+1])
				if err != nil {
					return err
				}
				if ok {
					v.nbs[a] = append(v.nbs[a], scored{item: b, score: sc})
				}
			}
		case kindStoreTop:
			st, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return fmt.Errorf("bad store %q", f[0])
			}
			for i := 1; i+1 < len(f); i += 2 {
				if k, ok := v.id[f[i]]; ok {
					v.storeTop[st] = append(v.storeTop[st], k)
				}
			}
		case kindCycles:
			if len(f) != 3 {
				return fmt.Errorf("bad cycle %q", f)
			}
			d, err := strconv.ParseInt(f[2], 10, 32)
			if err != nil {
				return err
			}
			if f[0] == "C" {
				name, err := strconv.Unquote(f[1])
				if err != nil {
					return fmt.Errorf("bad category %s", f[1])
				}
				v.cycleCat[name] = int32(d)
			} else if k, ok := v.id[f[1]]; ok {
				v.cycleSKU[k] = int32(d)
			}
		case kindBuyers:
			n, err := atoi32(f[1])
			if err != nil {
				return err
			}
			if k, ok := v.id[f[0]]; ok {
				v.buyers[k] = float32(n)
			}
		}
		return nil
	})
}

// lists builds the per-tag and per-category lists (on-sale products, most bought first) and the
// catalogue order.
func (v *view) lists() {
	v.byTag, v.byCat = map[string][]int32{}, map[string][]int32{}
	for i, p := range v.products {
		if !p.OnSale {
			continue
		}
		v.byOrder = append(v.byOrder, int32(i))
		for _, t := range p.TagIDs {
			v.byTag[t] = append(v.byTag[t], int32(i))
		}
		if p.Category != "" {
			v.byCat[p.Category] = append(v.byCat[p.Category], int32(i))
		}
	}
	popular := func(l []int32) []int32 {
		sort.SliceStable(l, func(a, b int) bool { return v.buyers[l[a]] > v.buyers[l[b]] })
		if len(l) > perTag {
			l = l[:perTag:perTag]
		}
		return l
	}
	for t, l := range v.byTag {
		v.byTag[t] = popular(l)
	}
	for c, l := range v.byCat {
		v.byCat[c] = popular(l)
	}
	sort.SliceStable(v.byOrder, func(a, b int) bool {
		pa, pb := v.products[v.byOrder[a]], v.products[v.byOrder[b]]
		if pa.Order != pb.Order {
			return pa.Order > pb.Order
		}
		return pa.SKU < pb.SKU
	})
}

// cycle is the repurchase cycle of product k in days: its own, else its category's; 0 when it has
// none (or is known not to be a consumable).
func (v *view) cycle(k int32) int32 {
	switch d := v.cycleSKU[k]; {
	case d > 0:
		return d
	case d < 0:
		return 0
	}
	return v.cycleCat[v.products[k].Category]
}
