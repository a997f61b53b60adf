package sim

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Order is a demo order, as a retailer's POS would post it to guidebox. Like
// products, orders are not WeCom data: the simulator ships them for the demo.
// ExternalUserID is empty on orders the POS knows only by the customer's
// UnionID (a mini-program order).
type Order struct {
	ID             string
	ExternalUserID string
	UnionID        string
	StoreID        int
	GuideUserID    string
	PaidAt         time.Time
	Total          int // fen
	Refunded       bool
	Lines          []OrderLine
}

// OrderLine is one item of a demo order.
type OrderLine struct {
	ProductID string
	Qty       int
	Price     int // fen, per item
}

// DemoOrders returns a purchase history for the customers of corp (DemoCorp):
// 0–3 orders per customer over the year before now, at the store of the
// customer's first guide, mostly in the customer's 偏好品类, a few refunded and
// one in five known by unionid only. The same corp and now give the same orders.
func DemoOrders(corp *Corp, now time.Time) []Order {
	rnd := rand.New(rand.NewPCG(2025, 10))
	storeOf := map[string]int{}
	for _, u := range corp.Users {
		storeOf[u.UserID] = u.MainDepartment
	}
	category := map[string]string{} // tag id → 偏好品类 name
	for _, g := range corp.TagGroups {
		if g.Name == "偏好品类" {
			for _, t := range g.Tags {
				category[t.ID] = t.Name
			}
		}
	}
	byCategory := map[string][]Product{}
	var all []Product
	for _, p := range DemoProducts() {
		byCategory[p.Category] = append(byCategory[p.Category], p)
		all = append(all, p)
	}
	first := map[string]Follow{}
	for _, f := range corp.Follows {
		if _, ok := first[f.ExternalUserID]; !ok {
			first[f.ExternalUserID] = f
		}
	}
	var out []Order
	for _, cu := range corp.Customers {
		f, ok := first[cu.ExternalUserID]
		if !ok {
			continue
		}
		liked := ""
		for _, id := range f.TagIDs {
			if c := category[id]; c != "" {
				liked = c
			}
		}
		for range []int{0, 1, 1, 1, 2, 2, 2, 3, 3, 0}[rnd.IntN(10)] {
			o := Order{ID: fmt.Sprintf("DEMO%06d", len(out)+1), ExternalUserID: cu.ExternalUserID, StoreID: storeOf[f.UserID],
				GuideUserID: f.UserID, Refunded: rnd.IntN(16) == 0}
			days, mins := rnd.IntN(365)+1, rnd.IntN(10*60)
			o.PaidAt = now.Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Hour).Add(time.Duration(mins) * time.Minute)
			if cu.UnionID != "" && rnd.IntN(5) == 0 {
				o.ExternalUserID, o.UnionID = "", cu.UnionID
			}
			for range rnd.IntN(3) + 1 {
				pool := all
				if liked != "" && rnd.IntN(10) < 7 {
					pool = byCategory[liked]
				}
				p := pool[rnd.IntN(len(pool))]
				if p.StoreID != 0 && p.StoreID != o.StoreID {
					continue // carried by another store only
				}
				l := OrderLine{ProductID: p.ID, Qty: 1 + rnd.IntN(4)/3, Price: p.Price}
				o.Lines = append(o.Lines, l)
				o.Total += l.Qty * l.Price
			}
			if len(o.Lines) == 0 {
				continue
			}
			if o.Total > 100000 && rnd.IntN(3) == 0 {
				o.Total -= o.Total / 10 // a member discount on the order
			}
			out = append(out, o)
		}
	}
	return out
}
