package recommend

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Weights of the signals in an item's score. A due repurchase outranks everything; co-purchase is
// scaled to the customer's best candidate; a tag and a category the customer buys say "fits";
// the store's best sellers and overall popularity fill and break ties.
const (
	wDue      = 4.0
	wCo       = 2.0
	wTag      = 1.5
	wCategory = 0.8
	wStore    = 1.0
	wPopular  = 0.3
)

// cand is one candidate product with the part each signal gives its score.
type cand struct {
	item              int32
	due, co, tag, cat float64
	store, pop        float64
	dueDays           int
	overdue           bool    // past overdueCycles cycles
	coBest            float64 // the most one purchase gave co
	coFrom            int32   // that purchase (co-purchase)
	tagID             string
	score             float64
	stock             int64
	stocked           bool // a stock row in the store (tracked)
}

// tagPart is what the customer's tags give: each tag the product carries (up to three).
func (c *cand) tagPart() float64 { return wTag * c.tag }

// profile is what a request knows of the customer's purchases.
type profile struct {
	last      map[int32]time.Time // newest paid purchase of each product
	catWeight map[string]float64  // categories bought, recent ones weigh more
}

// Recommend ranks products for the customer in the guide's store (sidebar.Recommender): at most
// in.Limit, each with its reason.
func (s *Service) Recommend(ctx context.Context, in service.RecommendInput) ([]service.Recommendation, error) {
	v, err := s.current(ctx)
	if err != nil {
		return nil, fmt.Errorf("recommendations: %w", err)
	}
	limit := in.Limit
	if limit <= 0 {
		limit = 10
	}
	now := s.now()
	lines, err := s.store.CustomerLines(ctx, in.ExternalUserID, now.Add(-s.cfg.History), 200)
	if err != nil {
		return nil, fmt.Errorf("recommendations: lines of %s: %w", in.ExternalUserID, err)
	}
	pr := v.profile(lines, now)
	sc := v.getScratch()
	defer v.putScratch(sc)
	cs := v.candidates(sc, in, pr, now, s.cfg)
	picked, err := s.inStock(ctx, v, in.StoreID, cs, limit)
	if err != nil {
		return nil, err
	}
	picked = diversify(v, picked, pr, limit, s.cfg.PerInterest)
	lastShared := map[string]time.Time{}
	for _, sh := range in.Shares {
		if sh.SharedAt.After(lastShared[sh.ProductID]) {
			lastShared[sh.ProductID] = sh.SharedAt
		}
	}
	out := make([]service.Recommendation, len(picked))
	for i, c := range picked {
		p := v.products[c.item]
		out[i] = service.Recommendation{Product: p, Reason: v.reason(c, in)}
		out[i].Product.Stock = nil
		if c.stocked {
			out[i].Product.Stock = []service.StoreStock{{StoreID: in.StoreID, Qty: c.stock}}
		}
		if at, ok := lastShared[p.SKU]; ok {
			out[i].LastSharedAt = &at
		}
	}
	return out, nil
}

// profile reads the customer's paid purchases.
func (v *view) profile(lines []Purchase, now time.Time) profile {
	pr := profile{last: map[int32]time.Time{}, catWeight: map[string]float64{}}
	for _, l := range lines {
		k, ok := v.id[l.SKU]
		if !ok || l.Refunded {
			continue
		}
		if l.PaidAt.After(pr.last[k]) {
			pr.last[k] = l.PaidAt
		}
		if c := v.products[k].Category; c != "" {
			pr.catWeight[c] += recency(now.Sub(l.PaidAt))
		}
	}
	return pr
}

// recency weighs a purchase by its age: 1 today, ½ after 90 days.
func recency(age time.Duration) float64 { return 1 / (1 + age.Hours()/24/90) }

// scratch is a request's working memory, reused through the view's pool: a slot per product (its
// candidate's place + 1, 0 for none) and the candidates, so a request allocates next to nothing.
type scratch struct {
	slot  []int32
	cands []cand
}

func (v *view) getScratch() *scratch {
	if sc, ok := v.pool.Get().(*scratch); ok {
		return sc
	}
	return &scratch{slot: make([]int32, len(v.products))}
}

// putScratch clears the slots the request used and returns the scratch to the pool.
func (v *view) putScratch(sc *scratch) {
	for _, c := range sc.cands {
		sc.slot[c.item] = 0
	}
	sc.cands = sc.cands[:0]
	v.pool.Put(sc)
}

// at returns the candidate for product k, adding it.
func (sc *scratch) at(k int32) *cand {
	i := sc.slot[k]
	if i == 0 {
		sc.cands = append(sc.cands, cand{item: k, coFrom: -1})
		i = int32(len(sc.cands))
		sc.slot[k] = i
	}
	return &sc.cands[i-1]
}

// candidates gathers and scores the products worth offering, best first; what the customer must not
// be offered (off sale, just bought or sent, bought before and not due) is left out. Stock is checked
// later. The candidates live in sc until the caller returns it.
func (v *view) candidates(sc *scratch, in service.RecommendInput, pr profile, now time.Time, cfg Config) []*cand {
	// Repurchase: a product bought before whose cycle has come round.
	for k, at := range pr.last {
		d := v.cycle(k)
		age := int(now.Sub(at).Hours() / 24)
		if d > 0 && float64(age) >= 0.8*float64(d) && float64(age) <= maxDueCycles*float64(d) {
			c := sc.at(k)
			c.dueDays, c.overdue = age, float64(age) > overdueCycles*float64(d)
			c.due = 1 - math.Abs(float64(age)-float64(d))/(2*float64(d)) // on the day best, half after two cycles
		}
	}
	// Co-purchase: the neighbours of what the customer bought, recent purchases weighing more.
	for a, at := range pr.last {
		w := recency(now.Sub(at))
		for _, nb := range v.nbs[a] {
			x := w * float64(nb.score)
			c := sc.at(nb.item)
			c.co += x
			if x > c.coBest {
				c.coBest, c.coFrom = x, a
			}
		}
	}
	// Tags: products carrying the customer's tags.
	for _, t := range in.TagIDs {
		for _, k := range v.byTag[t] {
			c := sc.at(k)
			if c.tag == 0 {
				c.tagID = t
			}
			c.tag = math.Min(c.tag+1, 3)
		}
	}
	// Categories the customer buys.
	maxCat := 0.0
	for _, w := range pr.catWeight {
		maxCat = math.Max(maxCat, w)
	}
	for cat, w := range pr.catWeight {
		for _, k := range v.byCat[cat][:min(len(v.byCat[cat]), perCategory)] {
			sc.at(k).cat = w / maxCat
		}
	}
	// The store's best sellers, and the catalogue for a store without sales.
	top := v.storeTop[in.StoreID]
	for i, k := range top {
		sc.at(k).store = 1 - float64(i)/float64(len(top))
	}
	if len(sc.cands) < 3*in.Limit+10 {
		for _, k := range v.byOrder[:min(len(v.byOrder), 3*in.Limit+10)] {
			sc.at(k)
		}
	}
	return v.score(sc, in, pr, now, cfg)
}

// score leaves out what must not be offered, scores the rest and sorts it, best first (the catalogue's
// SKU order breaks ties).
func (v *view) score(sc *scratch, in service.RecommendInput, pr profile, now time.Time, cfg Config) []*cand {
	var recentShare map[string]bool
	for _, sh := range in.Shares {
		if now.Sub(sh.SharedAt) < cfg.Recent {
			if recentShare == nil {
				recentShare = map[string]bool{}
			}
			recentShare[sh.ProductID] = true
		}
	}
	maxPop, maxCo := float32(1), 0.0
	for i := range sc.cands {
		maxPop = max(maxPop, v.buyers[sc.cands[i].item])
		maxCo = math.Max(maxCo, sc.cands[i].co)
	}
	out := make([]*cand, 0, len(sc.cands))
	for i := range sc.cands {
		c := &sc.cands[i]
		p := &v.products[c.item]
		at, bought := pr.last[c.item]
		switch {
		case !p.OnSale, recentShare[p.SKU]:
			continue
		case bought && (now.Sub(at) < cfg.Recent || c.due == 0): // just bought, or not due again
			continue
		}
		if maxCo > 0 {
			c.co /= maxCo
		}
		c.pop = float64(v.buyers[c.item] / maxPop)
		c.score = wDue*c.due + wCo*c.co + c.tagPart() + wCategory*c.cat + wStore*c.store + wPopular*c.pop
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].score != out[j].score {
			return out[i].score > out[j].score
		}
		return out[i].item < out[j].item
	})
	return out
}

// inStock keeps the best candidates the store can sell: stock not tracked (offered everywhere), or a
// stock row in the store above zero. It reads the stock of a few times limit candidates at a time.
func (s *Service) inStock(ctx context.Context, v *view, storeID int64, cs []*cand, limit int) ([]*cand, error) {
	want := 2*limit + 5 // enough for the diversity pass to choose from
	var out []*cand
	for from := 0; from < len(cs) && len(out) < want; {
		to := min(len(cs), from+2*want)
		var skus []string
		for _, c := range cs[from:to] {
			if v.tracked[c.item] {
				skus = append(skus, v.products[c.item].SKU)
			}
		}
		stock, err := s.store.StoreStock(ctx, storeID, skus)
		if err != nil {
			return nil, fmt.Errorf("recommendations: stock in store %d: %w", storeID, err)
		}
		for _, c := range cs[from:to] {
			if v.tracked[c.item] {
				q, ok := stock[v.products[c.item].SKU]
				if !ok || q <= 0 {
					continue // not carried here, or sold out
				}
				c.stock, c.stocked = q, true
			}
			out = append(out, c)
		}
		from = to
	}
	return out, nil
}
