package recommend

import (
	"math"
	"sort"
)

// scored is a neighbour and its similarity.
type scored struct {
	item  int32
	score float32
}

// cooccur finds each SKU's neighbours: the SKUs most bought by the same customers, by cosine
// similarity over customers (both / √(buyers a · buyers b)), at least MinSupport customers in
// common, the best Neighbors kept. Baskets (each customer's distinct SKUs, basketStart/basketItems)
// larger than MaxBasket are left out, so one customer who buys everything costs nothing. The work is
// the sum over customers of their basket's size squared; memory is two arrays the size of the lines.
func cooccur(basketStart, basketItems []int32, buyers []int32, cfg Config) [][]scored {
	n := len(buyers)
	// The inverse: for each SKU, the customers who bought it.
	start := make([]int32, n+1)
	for c := 0; c+1 < len(basketStart); c++ {
		if int(basketStart[c+1]-basketStart[c]) > cfg.MaxBasket {
			continue
		}
		for _, k := range basketItems[basketStart[c]:basketStart[c+1]] {
			start[k+1]++
		}
	}
	for k := 0; k < n; k++ {
		start[k+1] += start[k]
	}
	custs := make([]int32, start[n])
	fill := append([]int32(nil), start[:n]...)
	for c := 0; c+1 < len(basketStart); c++ {
		if int(basketStart[c+1]-basketStart[c]) > cfg.MaxBasket {
			continue
		}
		for _, k := range basketItems[basketStart[c]:basketStart[c+1]] {
			custs[fill[k]] = int32(c)
			fill[k]++
		}
	}
	out := make([][]scored, n)
	count := make([]int32, n)
	var touched []int32
	for a := 0; a < n; a++ {
		if int(start[a+1]-start[a]) < cfg.MinSupport {
			continue
		}
		touched = touched[:0]
		for _, c := range custs[start[a]:start[a+1]] {
			for _, b := range basketItems[basketStart[c]:basketStart[c+1]] {
				if int(b) == a {
					continue
				}
				if count[b] == 0 {
					touched = append(touched, b)
				}
				count[b]++
			}
		}
		var list []scored
		for _, b := range touched {
			if int(count[b]) >= cfg.MinSupport {
				sim := float64(count[b]) / math.Sqrt(float64(buyers[a])*float64(buyers[b]))
				list = append(list, scored{item: b, score: float32(sim)})
			}
			count[b] = 0
		}
		sort.Slice(list, func(i, j int) bool {
			if list[i].score != list[j].score {
				return list[i].score > list[j].score
			}
			return list[i].item < list[j].item
		})
		if len(list) > cfg.Neighbors {
			list = list[:cfg.Neighbors]
		}
		out[a] = list
	}
	return out
}
