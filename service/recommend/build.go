package recommend

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// rec is one paid order line in the build, by number: customer, SKU, day (since 1970), store, quantity.
type rec struct{ cust, sku, day, store, qty int32 }

// scan holds the order lines of a build, their customers, SKUs and stores numbered.
type scan struct {
	cust   map[string]int32
	sku    map[string]int32
	skus   []string
	store  map[int64]int32
	stores []int64
	recs   []rec
}

func newScan() *scan {
	return &scan{cust: map[string]int32{}, sku: map[string]int32{}, store: map[int64]int32{}}
}

func (sc *scan) add(l ScanLine) {
	key := l.Customer
	if key == "" { // known only by unionid: the order stands for its customer
		key = "\x00" + l.OrderID
	}
	c, ok := sc.cust[key]
	if !ok {
		c = int32(len(sc.cust))
		sc.cust[key] = c
	}
	k, ok := sc.sku[l.SKU]
	if !ok {
		k = int32(len(sc.skus))
		sc.sku[l.SKU] = k
		sc.skus = append(sc.skus, l.SKU)
	}
	st, ok := sc.store[l.StoreID]
	if !ok {
		st = int32(len(sc.stores))
		sc.store[l.StoreID] = st
		sc.stores = append(sc.stores, l.StoreID)
	}
	sc.recs = append(sc.recs, rec{cust: c, sku: k, day: int32(l.PaidAt.Unix() / 86400), store: st, qty: int32(min(l.Qty, 1<<20))})
}

// Rebuild computes the index from the paid order lines of Config.History and stores it as the next
// generation, which every replica then loads (this one at once). It reads the lines in primary-key
// order a page at a time and keeps about 20 bytes per line in memory while it computes.
func (s *Service) Rebuild(ctx context.Context) (BuildReport, error) {
	start := time.Now()
	now := s.now()
	products, err := s.store.Products(ctx)
	if err != nil {
		return BuildReport{}, fmt.Errorf("rebuild: read products: %w", err)
	}
	category := make(map[string]string, len(products))
	for _, p := range products {
		category[p.SKU] = p.Category
	}
	sc := newScan()
	after, afterLine := "", 0
	for {
		ls, err := s.store.ScanLines(ctx, now.Add(-s.cfg.History), after, afterLine, s.cfg.ScanPage)
		if err != nil {
			return BuildReport{}, fmt.Errorf("rebuild: read order lines after %s: %w", after, err)
		}
		for _, l := range ls {
			sc.add(l)
		}
		if len(ls) < s.cfg.ScanPage {
			break
		}
		after, afterLine = ls[len(ls)-1].OrderID, ls[len(ls)-1].LineNo
	}
	chunks, rep := sc.compute(s.cfg, int32(now.Unix()/86400), category)
	rep.Took = time.Since(start)
	for _, c := range chunks {
		rep.Bytes += len(c.Data)
	}
	gen, err := s.store.SaveIndex(ctx, chunks, IndexMeta{BuiltAt: now, Lines: int64(rep.Lines), Took: rep.Took})
	if err != nil {
		return rep, fmt.Errorf("rebuild: save index: %w", err)
	}
	rep.Generation = gen
	if err := s.Refresh(ctx); err != nil {
		return rep, err
	}
	return rep, nil
}

// compute turns the scanned lines into the index's chunks.
func (sc *scan) compute(cfg Config, today int32, category map[string]string) ([]Chunk, BuildReport) {
	rs := sc.recs
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.cust != b.cust {
			return a.cust < b.cust
		}
		if a.sku != b.sku {
			return a.sku < b.sku
		}
		return a.day < b.day
	})
	n := len(sc.skus)
	buyers, repeaters := make([]int32, n), make([]int32, n)
	intervals := make([][]int32, n)
	var basketStart, basketItems []int32 // each customer's distinct SKUs
	for i := 0; i < len(rs); {
		j := i
		basketStart = append(basketStart, int32(len(basketItems)))
		for j < len(rs) && rs[j].cust == rs[i].cust {
			k := j
			for k < len(rs) && rs[k].cust == rs[j].cust && rs[k].sku == rs[j].sku {
				k++
			}
			sku := rs[j].sku
			basketItems = append(basketItems, sku)
			buyers[sku]++
			if iv := occasions(rs[j:k]); len(iv) > 0 {
				repeaters[sku]++
				if len(intervals[sku]) < 2000 {
					intervals[sku] = append(intervals[sku], iv...)
				}
			}
			j = k
		}
		i = j
	}
	basketStart = append(basketStart, int32(len(basketItems)))
	nbs := cooccur(basketStart, basketItems, buyers, cfg)
	rep := BuildReport{Lines: len(rs), Customers: len(basketStart) - 1, SKUs: n}
	var out []Chunk
	nc := &chunker{kind: kindNeighbors}
	for a, list := range nbs {
		if len(list) == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString(sc.skus[a])
		for _, x := range list {
			fmt.Fprintf(&b, "\t%s\t%.4f", sc.skus[x.item], x.score)
		}
		nc.add(b.String())
		rep.Neighbors += len(list)
	}
	out = append(out, nc.done()...)
	cycles, nCycles := sc.cycles(buyers, repeaters, intervals, category)
	rep.Cycles = nCycles
	out = append(out, cycles...)
	out = append(out, sc.storeTop(cfg, today)...) // last: it reorders the lines
	pc := &chunker{kind: kindBuyers}
	for k, b := range buyers {
		pc.add(sc.skus[k] + "\t" + strconv.Itoa(int(b)))
	}
	return append(out, pc.done()...), rep
}

// occasions returns the days between a customer's successive purchase occasions of one SKU (rs
// sorted by day); purchases within occasionDays of an occasion's first belong to it.
func occasions(rs []rec) []int32 {
	var out []int32
	start := rs[0].day
	for _, r := range rs[1:] {
		if r.day-start >= occasionDays {
			out = append(out, r.day-start)
			start = r.day
		}
	}
	return out
}

// storeTop ranks each store's SKUs by quantity sold within the window. It reorders the lines in
// place (by store and SKU; compute is done with their first order) and needs no memory of its own
// beyond one store's list.
func (sc *scan) storeTop(cfg Config, today int32) []Chunk {
	from := today - int32(cfg.StoreWindow/(24*time.Hour))
	rs := sc.recs[:0]
	for _, r := range sc.recs {
		if r.day >= from {
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].store != rs[j].store {
			return rs[i].store < rs[j].store
		}
		return rs[i].sku < rs[j].sku
	})
	type sq struct {
		sku int32
		q   int64
	}
	c := &chunker{kind: kindStoreTop}
	var list []sq
	for i := 0; i < len(rs); {
		st := rs[i].store
		list = list[:0]
		for i < len(rs) && rs[i].store == st {
			k, q := rs[i].sku, int64(0)
			for ; i < len(rs) && rs[i].store == st && rs[i].sku == k; i++ {
				q += int64(rs[i].qty)
			}
			list = append(list, sq{k, q})
		}
		sort.Slice(list, func(a, b int) bool {
			if list[a].q != list[b].q {
				return list[a].q > list[b].q
			}
			return sc.skus[list[a].sku] < sc.skus[list[b].sku]
		})
		var b strings.Builder
		b.WriteString(strconv.FormatInt(sc.stores[st], 10))
		for _, x := range list[:min(len(list), cfg.StoreTop)] {
			fmt.Fprintf(&b, "\t%s\t%d", sc.skus[x.sku], x.q)
		}
		c.add(b.String())
	}
	return c.done()
}

// cycles finds repurchase cycles: a SKU's median interval between purchase occasions when enough
// of its buyers bought again; a category's from the intervals of its SKUs, for SKUs with too few
// of their own.
func (sc *scan) cycles(buyers, repeaters []int32, intervals [][]int32, category map[string]string) ([]Chunk, int) {
	c := &chunker{kind: kindCycles}
	type catAcc struct {
		buyers, repeaters int32
		iv                []int32
	}
	cats := map[string]*catAcc{}
	n := 0
	for k, iv := range intervals {
		if cat := category[sc.skus[k]]; cat != "" {
			a := cats[cat]
			if a == nil {
				a = &catAcc{}
				cats[cat] = a
			}
			a.buyers += buyers[k]
			a.repeaters += repeaters[k]
			if len(a.iv) < 5000 {
				a.iv = append(a.iv, iv...)
			}
		}
		repeat := float64(repeaters[k]) >= minRepeatShare*float64(buyers[k])
		switch {
		case len(iv) >= minCycleSamplesSKU && repeat:
			c.add("S\t" + sc.skus[k] + "\t" + strconv.Itoa(int(median(iv))))
			n++
		case buyers[k] >= minBuyersNotConsumable && !repeat: // bought by many, again by few: not its category's cycle
			c.add("S\t" + sc.skus[k] + "\t-1")
		}
	}
	names := make([]string, 0, len(cats))
	for name := range cats {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := cats[name]
		if len(a.iv) >= minCycleSamplesCat && float64(a.repeaters) >= minRepeatShare*float64(a.buyers) {
			c.add("C\t" + strconv.Quote(name) + "\t" + strconv.Itoa(int(median(a.iv))))
			n++
		}
	}
	return c.done(), n
}

func median(v []int32) int32 {
	s := append([]int32(nil), v...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
