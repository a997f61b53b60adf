package sim

import (
	"fmt"
	"math/rand/v2"
)

// Product is a demo product for the sidebar's catalogue. Products are not
// WeCom data; the simulator only ships them so the demo has something to
// recommend. Category matches a 偏好品类 tag name; StoreID is the store
// department carrying it alone (0: every store). Price is in fen (分).
type Product struct {
	ID       string
	Name     string
	Brand    string
	Category string
	Price    int
	ImageURL string // path under the sidebar's static files
	StoreID  int
	Stock    []ProductStock // stock per store department
}

// ProductStock is a demo product's stock in one store.
type ProductStock struct {
	StoreID int
	Qty     int
}

// DemoProducts returns the demo catalogue: 6 products in each of the four
// categories, a few of them carried by one store only, each with a brand and
// stock in the stores that carry it (some sold out). It is fixed data, the
// same for every seed.
func DemoProducts() []Product {
	cats := []struct {
		name   string
		items  []string
		brands []string
		base   int
	}{
		{"美妆", []string{"丝绒哑光口红", "玻尿酸精华液", "氨基酸洁面乳", "气垫粉底", "防晒隔离乳", "修护晚霜"}, []string{"兰蔻", "雅诗兰黛", "资生堂"}, 19900},
		{"服饰", []string{"羊绒混纺大衣", "真丝衬衫", "高腰阔腿裤", "针织开衫", "牛仔夹克", "羽绒马甲"}, []string{"MaxMara", "ICICLE 之禾", "江南布衣"}, 59900},
		{"鞋包", []string{"小牛皮托特包", "复古乐福鞋", "轻便运动鞋", "链条斜挎包", "切尔西短靴", "帆布双肩包"}, []string{"Coach", "Tory Burch", "斯凯奇"}, 39900},
		{"家居", []string{"香薰蜡烛礼盒", "真丝枕套", "陶瓷马克杯", "羊毛毯", "北欧花瓶", "记忆棉靠垫"}, []string{"野兽派", "无印良品", "宜家"}, 12900},
	}
	rnd := rand.New(rand.NewPCG(24, 1))
	var out []Product
	for ci, c := range cats {
		for i, name := range c.items {
			n := ci*len(c.items) + i + 1
			p := Product{ID: fmt.Sprintf("P%03d", n), Name: name, Category: c.name, Brand: c.brands[i%len(c.brands)],
				Price: c.base + i*3000, ImageURL: fmt.Sprintf("/static/products/p%03d.jpg", n)}
			if i == 5 {
				p.StoreID = 2 + ci // the last item of each category is store-only
			}
			for _, s := range demoStores() {
				if p.StoreID != 0 && p.StoreID != s.id {
					continue
				}
				qty := rnd.IntN(30) + 1
				if rnd.IntN(6) == 0 {
					qty = 0 // sold out here
				}
				p.Stock = append(p.Stock, ProductStock{StoreID: s.id, Qty: qty})
			}
			out = append(out, p)
		}
	}
	return out
}
