package sim

import (
	"fmt"
	"math/rand/v2"
	"sync"
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
	Kind     string // the kind of product (面霜, 纸尿裤 …), as the demo's purchase history buys it
	Price    int
	ImageURL string // path under the sidebar's static files
	StoreID  int
	Stock    []ProductStock // stock per store department
	// Cycle is how many days a regular buyer of the product goes between purchases in the demo's
	// history (a consumable); 0: bought once.
	Cycle int
	// Stage is the 母婴阶段 tag (孕期, 0-1岁, 1-3岁) the product carries, if any.
	Stage string
}

// ProductStock is a demo product's stock in one store.
type ProductStock struct {
	StoreID int
	Qty     int
}

// demoKind is a kind of product of a category: its price, repurchase cycle and baby stage.
type demoKind struct {
	name  string
	price int // fen
	cycle int
	stage string
}

// demoCategory is a category of the demo catalogue beyond the first 24 products: its brands and kinds.
type demoCategory struct {
	name   string
	brands []string
	kinds  []demoKind
	count  int // products to make: kinds × brands, in turn, up to count
}

func demoCategories() []demoCategory {
	return []demoCategory{
		{"护肤", []string{"雅诗兰黛", "兰蔻", "资生堂", "科颜氏", "珀莱雅", "薇诺娜", "欧莱雅", "理肤泉"}, []demoKind{
			{"修护面霜", 45900, 60, ""}, {"保湿精华", 59900, 60, ""}, {"柔肤水", 29900, 45, ""}, {"洁面乳", 13900, 45, ""},
			{"补水面膜", 19900, 30, ""}, {"眼霜", 52900, 90, ""}, {"防晒霜", 25900, 60, ""}, {"身体乳", 15900, 60, ""}}, 64},
		{"食品", []string{"三只松鼠", "良品铺子", "星巴克", "雀巢", "桂格", "立顿", "百草味", "农夫山泉"}, []demoKind{
			{"每日坚果", 9900, 30, ""}, {"咖啡豆", 12800, 21, ""}, {"挂耳咖啡", 6900, 21, ""}, {"燕麦片", 3900, 20, ""},
			{"花草茶", 5900, 45, ""}, {"牛肉干", 6800, 30, ""}}, 48},
		{"母婴", []string{"帮宝适", "花王", "美赞臣", "飞鹤", "贝亲", "好孩子", "十月结晶", "全棉时代"}, []demoKind{
			{"孕妇连衣裙", 29900, 0, "孕期"}, {"孕妇奶粉", 26800, 30, "孕期"}, {"防妊娠纹油", 19800, 60, "孕期"}, {"孕期叶酸", 8900, 30, "孕期"},
			{"新生儿纸尿裤", 15900, 25, "0-1岁"}, {"婴儿奶粉1段", 32800, 20, "0-1岁"}, {"婴儿湿巾", 4900, 25, "0-1岁"},
			{"宽口奶瓶", 12800, 0, "0-1岁"}, {"婴儿连体衣", 15900, 0, "0-1岁"},
			{"拉拉裤", 14900, 25, "1-3岁"}, {"幼儿奶粉3段", 29800, 25, "1-3岁"}, {"学步鞋", 19900, 0, "1-3岁"}, {"儿童餐具", 8900, 0, "1-3岁"}}, 45},
		{"美妆", []string{"兰蔻", "雅诗兰黛", "资生堂", "迪奥", "香奈儿", "魅可", "植村秀"}, []demoKind{
			{"唇釉", 29900, 120, ""}, {"眼影盘", 49900, 0, ""}, {"睫毛膏", 25900, 90, ""}, {"卸妆油", 39900, 60, ""},
			{"散粉", 45900, 120, ""}, {"腮红", 32900, 0, ""}, {"眉笔", 19900, 90, ""}, {"粉底液", 49900, 90, ""}}, 34},
		{"家居", []string{"野兽派", "无印良品", "宜家", "网易严选", "南极人", "富安娜"}, []demoKind{
			{"四件套", 59900, 0, ""}, {"懒人沙发", 89900, 0, ""}, {"收纳箱", 9900, 0, ""}, {"洗衣凝珠", 6900, 30, ""},
			{"香薰机", 25900, 0, ""}, {"浴巾", 12900, 0, ""}, {"马克杯", 7900, 0, ""}}, 34},
		{"服饰", []string{"MaxMara", "ICICLE 之禾", "江南布衣", "优衣库", "太平鸟", "拉夫劳伦"}, []demoKind{
			{"羊毛围巾", 39900, 0, ""}, {"针织衫", 49900, 0, ""}, {"连衣裙", 89900, 0, ""}, {"衬衫", 39900, 0, ""},
			{"西装外套", 129900, 0, ""}, {"休闲裤", 45900, 0, ""}}, 34},
		{"鞋包", []string{"Coach", "Tory Burch", "斯凯奇", "百丽", "新秀丽"}, []demoKind{
			{"单肩包", 199900, 0, ""}, {"跑步鞋", 59900, 0, ""}, {"高跟鞋", 89900, 0, ""}, {"行李箱", 159900, 0, ""}}, 14},
	}
}

// demoFirstCycles are the repurchase cycles of the first 24 products' kinds, which were made before
// the demo had a purchase history with cycles.
var demoFirstCycles = map[string]int{"丝绒哑光口红": 120, "玻尿酸精华液": 60, "氨基酸洁面乳": 45, "气垫粉底": 90, "防晒隔离乳": 60,
	"修护晚霜": 60, "香薰蜡烛礼盒": 60}

var demoProducts = sync.OnceValue(buildDemoProducts)

// DemoProducts returns the demo catalogue, about 300 products: first 6 in each of 美妆, 服饰, 鞋包 and
// 家居 (P001–P024, as the demo had them first), then 护肤, 食品, 母婴 (with its stages) and more of the
// first four, each with a brand, a kind and stock in the stores that carry it (some sold out, some
// carried by one store only). It is fixed data, the same for every seed.
func DemoProducts() []Product {
	ps := demoProducts()
	out := make([]Product, len(ps))
	copy(out, ps)
	return out
}

func buildDemoProducts() []Product {
	out := demoFirstProducts()
	rnd := rand.New(rand.NewPCG(300, 2))
	for _, c := range demoCategories() {
		for i := 0; i < c.count; i++ {
			k := c.kinds[i%len(c.kinds)]
			brand := c.brands[(i/len(c.kinds)+i)%len(c.brands)]
			n := len(out) + 1
			p := Product{ID: fmt.Sprintf("P%03d", n), Name: brand + " " + k.name, Brand: brand, Category: c.name, Kind: k.name,
				Price: k.price + (i/len(c.kinds))*2000, ImageURL: fmt.Sprintf("/static/products/p%03d.jpg", n), Cycle: k.cycle, Stage: k.stage}
			if rnd.IntN(9) == 0 {
				p.StoreID = demoStores()[rnd.IntN(len(demoStores()))].id
			}
			p.Stock = demoStock(rnd, p.StoreID)
			out = append(out, p)
		}
	}
	return out
}

// demoStock gives a product stock in the stores that carry it, some sold out.
func demoStock(rnd *rand.Rand, only int) []ProductStock {
	var out []ProductStock
	for _, s := range demoStores() {
		if only != 0 && only != s.id {
			continue
		}
		qty := rnd.IntN(40) + 1
		if rnd.IntN(7) == 0 {
			qty = 0 // sold out here
		} else if rnd.IntN(6) == 0 {
			qty = 1 + rnd.IntN(3) // a few left
		}
		out = append(out, ProductStock{StoreID: s.id, Qty: qty})
	}
	return out
}

// demoFirstProducts are the first 24 products, 6 in each of the demo's first four categories, a few
// carried by one store only, exactly as the demo had them before its catalogue grew.
func demoFirstProducts() []Product {
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
			p := Product{ID: fmt.Sprintf("P%03d", n), Name: name, Category: c.name, Brand: c.brands[i%len(c.brands)], Kind: name,
				Price: c.base + i*3000, ImageURL: fmt.Sprintf("/static/products/p%03d.jpg", n), Cycle: demoFirstCycles[name]}
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
