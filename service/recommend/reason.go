package recommend

import (
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// diversify picks up to limit candidates (best first) spread over the customer's interests: the
// categories of the products their tags and purchases point to. While an interest has no item yet,
// a category with perInterest items already gives way; then the best go in order.
func diversify(v *view, cs []*cand, pr profile, limit, perInterest int) []*cand {
	interests := map[string]bool{}
	for _, c := range cs {
		if cat := v.products[c.item].Category; cat != "" && (c.tag > 0 || pr.catWeight[cat] > 0) {
			interests[cat] = true
		}
	}
	taken := make([]bool, len(cs))
	count := map[string]int{}
	var out []*cand
	for len(out) < limit && len(out) < len(cs) {
		pick, heldBack := -1, -1
		for i, c := range cs {
			if taken[i] {
				continue
			}
			cat := v.products[c.item].Category
			if len(interests) == 0 || interests[cat] || count[cat] < perInterest {
				pick = i
				break
			}
			if heldBack < 0 {
				heldBack = i // the best held back, taken if nothing else may go
			}
		}
		if pick < 0 {
			pick = heldBack
		}
		taken[pick] = true
		c := cs[pick]
		cat := v.products[c.item].Category
		count[cat]++
		delete(interests, cat)
		out = append(out, c)
	}
	return out
}

// reason says why the item is offered, in a phrase the guide can say: its main signal (for a product
// the customer bought before, always its repurchase), then the store's stock.
func (v *view) reason(c *cand, in service.RecommendInput) string {
	if c.due > 0 {
		return withStock(c, v.dueReason(c))
	}
	main := "店铺推荐"
	best := 0.0
	consider := func(part float64, text func() string) {
		if part > best {
			best, main = part, text()
		}
	}
	if c.pop > 0 {
		consider(wPopular*c.pop, func() string { return "人气商品" })
	}
	consider(wStore*c.store, func() string { return "本店热销" })
	consider(wCategory*c.cat, func() string { return fmt.Sprintf("常买「%s」", v.products[c.item].Category) })
	consider(c.tagPart(), func() string {
		if name := in.TagNames[c.tagID]; name != "" {
			return fmt.Sprintf("标签「%s」", name)
		}
		return "符合客户标签"
	})
	if c.coFrom >= 0 {
		consider(wCo*c.co, func() string { return fmt.Sprintf("买过「%s」的顾客常买", v.products[c.coFrom].Name) })
	}
	return withStock(c, main)
}

func (v *view) dueReason(c *cand) string {
	if c.overdue {
		return fmt.Sprintf("上次购买已 %d 天，已过复购期", c.dueDays)
	}
	return fmt.Sprintf("上次购买已 %d 天，约到复购期", c.dueDays)
}

// withStock adds the store's stock to a reason: 本店有货, or how many are left when few are.
func withStock(c *cand, main string) string {
	switch {
	case !c.stocked:
		return main
	case c.stock <= 3:
		return fmt.Sprintf("%s · 本店仅剩 %d 件", main, c.stock)
	}
	return main + " · 本店有货"
}
