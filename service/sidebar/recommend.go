package sidebar

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// CatalogRecommender is the fallback Recommender (serve wires service/recommend): it ranks the
// products of the guide's store by how many of the customer's tags they match, and puts products
// already sent to this customer in the last 7 days last so guides do not spam.
// The catalogue of each store is cached for a short TTL; it changes rarely and every card reads it.
type CatalogRecommender struct {
	products ProductStore
	ttl      time.Duration
	now      func() time.Time
	mu       sync.Mutex
	cache    map[int64]catalogEntry
}

type catalogEntry struct {
	at       time.Time
	products []service.Product
}

// NewCatalogRecommender returns a recommender over the product catalogue.
func NewCatalogRecommender(ps ProductStore) *CatalogRecommender {
	return &CatalogRecommender{products: ps, ttl: 30 * time.Second, now: time.Now, cache: map[int64]catalogEntry{}}
}

const recentShareWindow = 7 * 24 * time.Hour

// Recommend implements Recommender.
func (r *CatalogRecommender) Recommend(ctx context.Context, in service.RecommendInput) ([]service.Recommendation, error) {
	ps, err := r.catalogue(ctx, in.StoreID)
	if err != nil {
		return nil, err
	}
	lastShared := map[string]time.Time{}
	for _, s := range in.Shares {
		if s.SharedAt.After(lastShared[s.ProductID]) {
			lastShared[s.ProductID] = s.SharedAt
		}
	}
	mine := map[string]bool{}
	for _, t := range in.TagIDs {
		mine[t] = true
	}
	type scored struct {
		i, score int
		recent   bool
	}
	all := make([]scored, len(ps))
	for i, p := range ps {
		all[i].i = i
		for _, t := range p.TagIDs {
			if mine[t] {
				all[i].score++
			}
		}
		if at, ok := lastShared[p.SKU]; ok {
			all[i].recent = r.now().Sub(at) < recentShareWindow
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].recent != all[j].recent {
			return !all[i].recent
		}
		return all[i].score > all[j].score
	})
	limit := in.Limit
	if limit <= 0 || limit > len(all) {
		limit = len(all)
	}
	out := make([]service.Recommendation, limit)
	for k := range out {
		p := ps[all[k].i]
		var names []string
		for _, t := range p.TagIDs {
			if mine[t] {
				names = append(names, in.TagNames[t])
			}
		}
		out[k] = service.Recommendation{Product: p, Reason: recommendReason(p, names, in.StoreID)}
		if at, ok := lastShared[p.SKU]; ok {
			out[k].LastSharedAt = &at
		}
	}
	return out, nil
}

func recommendReason(p service.Product, tagNames []string, storeID int64) string {
	_, tracked := p.StockIn(storeID)
	switch {
	case len(tagNames) > 0:
		return "匹配客户标签：" + strings.Join(tagNames, "、")
	case tracked: // stocked by this store rather than offered everywhere
		return "本店主推"
	}
	return "全品牌热销"
}

func (r *CatalogRecommender) catalogue(ctx context.Context, storeID int64) ([]service.Product, error) {
	r.mu.Lock()
	e, ok := r.cache[storeID]
	r.mu.Unlock()
	if ok && r.now().Sub(e.at) < r.ttl {
		return e.products, nil
	}
	ps, err := r.products.StoreProducts(ctx, storeID, 200)
	if err != nil {
		return nil, fmt.Errorf("catalogue of store %d: %w", storeID, err)
	}
	r.mu.Lock()
	r.cache[storeID] = catalogEntry{at: r.now(), products: ps}
	r.mu.Unlock()
	return ps, nil
}
