package sim

import (
	"fmt"
	"math/rand/v2"
	"sort"
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

// demoPairs are kinds bought together in the demo's history (co-purchases).
var demoPairs = map[string]string{"丝绒哑光口红": "卸妆油", "唇釉": "卸妆油", "洁面乳": "柔肤水", "氨基酸洁面乳": "柔肤水",
	"保湿精华": "修护面霜", "玻尿酸精华液": "修护晚霜", "咖啡豆": "马克杯", "挂耳咖啡": "每日坚果", "新生儿纸尿裤": "婴儿湿巾",
	"婴儿奶粉1段": "宽口奶瓶", "羊绒混纺大衣": "羊毛围巾", "四件套": "真丝枕套", "香薰蜡烛礼盒": "北欧花瓶", "孕妇奶粉": "孕期叶酸",
	"拉拉裤": "婴儿湿巾", "跑步鞋": "休闲裤"}

// demoBuy is one purchase of the history before it is grouped into orders.
type demoBuy struct {
	day int // days before now
	p   Product
	qty int
}

// DemoOrders returns a purchase history for the customers of corp (DemoCorp)
// over the year before now, a few thousand orders: each customer buys in the
// categories of their 偏好品类 tags at the store of their first guide; a
// consumable (面霜, 咖啡豆, 纸尿裤 …) is bought again every cycle by its regular
// buyers, some kinds come with their partner (口红 with 卸妆油, 奶粉 with 奶瓶),
// mothers buy along their baby's stages (孕期, then 0-1岁, 1-3岁); a few orders
// are refunded and one in five is known by unionid only. The same corp and now
// give the same orders.
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
	first := map[string]Follow{}
	for _, f := range corp.Follows {
		if _, ok := first[f.ExternalUserID]; !ok {
			first[f.ExternalUserID] = f
		}
	}
	cat := newDemoShelf(DemoProducts())
	var out []Order
	for _, cu := range corp.Customers {
		f, ok := first[cu.ExternalUserID]
		if !ok {
			continue
		}
		store := storeOf[f.UserID]
		var likes []string
		for _, id := range f.TagIDs {
			if c := category[id]; c != "" {
				likes = append(likes, c)
			}
		}
		buys := demoCustomerBuys(rnd, cat, store, likes)
		out = append(out, demoGroupOrders(rnd, buys, cu, f, store, now, len(out))...)
	}
	return out
}

// demoShelf is the catalogue by category and kind.
type demoShelf struct {
	byCat  map[string][]Product
	byKind map[string][]Product
	cats   []string
}

func newDemoShelf(ps []Product) *demoShelf {
	s := &demoShelf{byCat: map[string][]Product{}, byKind: map[string][]Product{}}
	for _, p := range ps {
		if s.byCat[p.Category] == nil {
			s.cats = append(s.cats, p.Category)
		}
		s.byCat[p.Category] = append(s.byCat[p.Category], p)
		s.byKind[p.Kind] = append(s.byKind[p.Kind], p)
	}
	return s
}

// pick returns a product of the list the store carries, or false.
func (s *demoShelf) pick(rnd *rand.Rand, ps []Product, store int) (Product, bool) {
	for range 8 {
		if len(ps) == 0 {
			return Product{}, false
		}
		p := ps[rnd.IntN(len(ps))]
		if p.StoreID == 0 || p.StoreID == store {
			return p, true
		}
	}
	return Product{}, false
}

// demoCustomerBuys plays one customer's year: one-off purchases in the liked categories (and now and
// then another), regular consumables bought every cycle, partners bought along, a baby's stages.
func demoCustomerBuys(rnd *rand.Rand, shelf *demoShelf, store int, likes []string) []demoBuy {
	if len(likes) == 0 {
		likes = []string{shelf.cats[rnd.IntN(len(shelf.cats))]}
	}
	var buys []demoBuy
	add := func(day int, p Product) {
		buys = append(buys, demoBuy{day: day, p: p, qty: 1 + rnd.IntN(4)/3})
		if partner := demoPairs[p.Kind]; partner != "" && rnd.IntN(10) < 6 {
			if q, ok := shelf.pick(rnd, shelf.byKind[partner], store); ok {
				buys = append(buys, demoBuy{day: day, p: q, qty: 1})
			}
		}
	}
	for _, c := range likes {
		if c == "母婴" {
			buys = append(buys, demoBabyBuys(rnd, shelf, store)...)
			continue
		}
		for range 1 + rnd.IntN(3) { // one-offs
			if p, ok := shelf.pick(rnd, shelf.byCat[c], store); ok {
				add(rnd.IntN(365), p)
			}
		}
		var regular []Product
		for _, p := range shelf.byCat[c] {
			if p.Cycle > 0 {
				regular = append(regular, p)
			}
		}
		if p, ok := shelf.pick(rnd, regular, store); ok && rnd.IntN(3) > 0 { // a regular buyer of it
			for day := rnd.IntN(min(p.Cycle*3, 300)) + p.Cycle/2; day < 365; day += p.Cycle + rnd.IntN(p.Cycle/5+1) - p.Cycle/10 {
				add(day, p)
			}
		}
	}
	if rnd.IntN(3) == 0 { // something outside their categories
		c := shelf.cats[rnd.IntN(len(shelf.cats))]
		if p, ok := shelf.pick(rnd, shelf.byCat[c], store); ok {
			add(rnd.IntN(365), p)
		}
	}
	return buys
}

// demoBabyBuys plays a mother's year: the baby is born between 200 days from now and 500 days ago;
// pregnancy kinds before the birth, 0-1岁 kinds in the first year, 1-3岁 after, each consumable
// bought every cycle while its stage lasts (days counted back from now).
func demoBabyBuys(rnd *rand.Rand, shelf *demoShelf, store int) []demoBuy {
	born := rnd.IntN(700) - 200 // days ago; negative: still expecting
	stageOf := func(day int) string {
		age := born - day // the baby's age in days on that day
		switch {
		case age < -280:
			return ""
		case age < 0:
			return "孕期"
		case age < 365:
			return "0-1岁"
		}
		return "1-3岁"
	}
	var buys []demoBuy
	byStage := map[string][]Product{}
	for _, p := range shelf.byCat["母婴"] {
		byStage[p.Stage] = append(byStage[p.Stage], p)
	}
	for day := 364; day >= 0; day -= 20 + rnd.IntN(15) {
		st := stageOf(day)
		if st == "" {
			continue
		}
		if p, ok := shelf.pick(rnd, byStage[st], store); ok {
			buys = append(buys, demoBuy{day: day, p: p, qty: 1 + rnd.IntN(2)})
			if partner := demoPairs[p.Kind]; partner != "" && rnd.IntN(2) == 0 {
				if q, ok := shelf.pick(rnd, shelf.byKind[partner], store); ok {
					buys = append(buys, demoBuy{day: day, p: q, qty: 1})
				}
			}
		}
	}
	return buys
}

// demoGroupOrders turns a customer's purchases into orders, one per day bought, numbered after n.
func demoGroupOrders(rnd *rand.Rand, buys []demoBuy, cu Customer, f Follow, store int, now time.Time, n int) []Order {
	sort.SliceStable(buys, func(i, j int) bool { return buys[i].day > buys[j].day })
	var out []Order
	for i := 0; i < len(buys); {
		day := buys[i].day
		o := Order{ID: fmt.Sprintf("DEMO%06d", n+len(out)+1), ExternalUserID: cu.ExternalUserID, StoreID: store, GuideUserID: f.UserID,
			Refunded: rnd.IntN(25) == 0}
		o.PaidAt = now.Add(-time.Duration(day+1) * 24 * time.Hour).Truncate(time.Hour).Add(time.Duration(rnd.IntN(10*60)) * time.Minute)
		if cu.UnionID != "" && rnd.IntN(5) == 0 {
			o.ExternalUserID, o.UnionID = "", cu.UnionID
		}
		seen := map[string]int{}
		for ; i < len(buys) && buys[i].day == day; i++ {
			b := buys[i]
			if k, ok := seen[b.p.ID]; ok {
				o.Lines[k].Qty += b.qty
			} else {
				seen[b.p.ID] = len(o.Lines)
				o.Lines = append(o.Lines, OrderLine{ProductID: b.p.ID, Qty: b.qty, Price: b.p.Price})
			}
		}
		for _, l := range o.Lines {
			o.Total += l.Qty * l.Price
		}
		if o.Total > 100000 && rnd.IntN(3) == 0 {
			o.Total -= o.Total / 10 // a member discount on the order
		}
		out = append(out, o)
	}
	return out
}
