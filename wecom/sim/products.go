package sim

import "fmt"

// Product is a demo product for the sidebar's recommendations. Products are
// not WeCom data; the simulator only ships them so the demo has something
// to recommend. Category matches a 偏好品类 tag name; StoreID is the store
// department carrying it (0: every store). Price is in fen (分).
type Product struct {
	ID       string
	Name     string
	Category string
	Price    int
	ImageURL string // path under the sidebar's static files
	StoreID  int
}

// DemoProducts returns the demo catalogue: 6 products in each of the four
// categories, a few of them carried by one store only. It is fixed data, the
// same for every seed.
func DemoProducts() []Product {
	cats := []struct {
		name  string
		items []string
		base  int
	}{
		{"美妆", []string{"丝绒哑光口红", "玻尿酸精华液", "氨基酸洁面乳", "气垫粉底", "防晒隔离乳", "修护晚霜"}, 19900},
		{"服饰", []string{"羊绒混纺大衣", "真丝衬衫", "高腰阔腿裤", "针织开衫", "牛仔夹克", "羽绒马甲"}, 59900},
		{"鞋包", []string{"小牛皮托特包", "复古乐福鞋", "轻便运动鞋", "链条斜挎包", "切尔西短靴", "帆布双肩包"}, 39900},
		{"家居", []string{"香薰蜡烛礼盒", "真丝枕套", "陶瓷马克杯", "羊毛毯", "北欧花瓶", "记忆棉靠垫"}, 12900},
	}
	var out []Product
	for ci, c := range cats {
		for i, name := range c.items {
			n := ci*len(c.items) + i + 1
			store := 0
			if i == 5 {
				store = 2 + ci // the last item of each category is store-only
			}
			out = append(out, Product{ID: fmt.Sprintf("P%03d", n), Name: name, Category: c.name,
				Price: c.base + i*3000, ImageURL: fmt.Sprintf("/static/products/p%03d.jpg", n), StoreID: store})
		}
	}
	return out
}
