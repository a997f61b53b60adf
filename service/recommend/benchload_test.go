package recommend_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/repotest"
)

// The benchmark's catalogue: 20 categories, products in blocks by category, each carrying its
// category's tag and, half of them, one of 40 other tags; products 2k and 2k+1 are a pair bought
// together; 1 in 10 is a consumable. Customers belong to a store (c % 20), like two or three
// categories and have two of the tags; each has a regular product bought again and again.
const (
	benchCats  = 20
	benchTags  = 40
	benchOrder = "BO%08d"
)

func benchSKU(i int) string      { return fmt.Sprintf("SKU%06d", i) }
func benchCustomer(c int) string { return fmt.Sprintf("wmbench%08d", c) }
func benchCustomerTags(c int) []string {
	return []string{fmt.Sprintf("cat%02d", c%benchCats), fmt.Sprintf("tag%02d", (c/benchCats)%benchTags)}
}

// zipf picks 0..n-1, low ones far more often (popularity within a category).
func zipf(rng *rand.Rand, n int) int {
	return min(n-1, int(math.Floor(math.Pow(rng.Float64(), 3)*float64(n))))
}

// loadRecBench bulk-loads products, stock and order lines (the recommendations read no other table)
// and returns the number of lines.
func loadRecBench(b *testing.B, db *gorm.DB, products, orders, customers int) int {
	rng := rand.New(rand.NewPCG(11, 12))
	now := time.Now().UTC()
	perCat := products / benchCats
	var ps, stock [][]any
	for i := 0; i < products; i++ {
		cat := i / perCat % benchCats
		tags := fmt.Sprintf("cat%02d", cat)
		if i%2 == 0 {
			tags += fmt.Sprintf(",tag%02d", rng.IntN(benchTags))
		}
		ps = append(ps, []any{corp, benchSKU(i), fmt.Sprintf("商品 %d", i), fmt.Sprintf("品牌%d", i%50), fmt.Sprintf("品类%02d", cat),
			9900 + i%100*100, tags, products - i, true, now})
		for s := 0; s < benchStores; s++ {
			if rng.IntN(10) < 6 {
				qty := 1 + rng.IntN(50)
				if rng.IntN(10) == 0 {
					qty = 0
				}
				stock = append(stock, []any{corp, s + 1, benchSKU(i), qty, now})
			}
		}
	}
	repotest.BulkInsert(b, db, "products", []string{"corp_id", "sku", "name", "brand", "category", "price_fen", "tag_ids", "sort_order", "on_sale", "updated_at"}, ps)
	repotest.BulkInsert(b, db, "product_stock", []string{"corp_id", "store_id", "sku", "qty", "updated_at"}, stock)
	ps, stock = nil, nil
	cols := []string{"corp_id", "order_id", "line_no", "sku", "qty", "price_fen", "external_userid", "store_id", "paid_at", "refunded"}
	var batch [][]any
	lines := 0
	pick := func(c int) int { // a product of one of the customer's categories, popular ones first
		cat := (c + rng.IntN(3)*7) % benchCats
		return cat*perCat + zipf(rng, perCat)
	}
	for o := 0; o < orders; o++ {
		c := rng.IntN(customers)
		paid := now.Add(-time.Duration(rng.IntN(365*24*60)) * time.Minute)
		var skus []int
		if rng.IntN(3) == 0 { // the customer's regular consumable
			skus = append(skus, (c%benchCats)*perCat+(c/benchCats)%max(1, perCat/10)*10)
		}
		for range 1 + rng.IntN(2) {
			p := pick(c)
			skus = append(skus, p)
			if rng.IntN(10) < 3 {
				skus = append(skus, p^1) // its pair
			}
		}
		for n, p := range skus {
			batch = append(batch, []any{corp, fmt.Sprintf(benchOrder, o), n + 1, benchSKU(min(p, products-1)), 1 + rng.IntN(2), 9900,
				benchCustomer(c), c%benchStores + 1, paid, rng.IntN(30) == 0})
		}
		if len(batch) >= 50000 {
			lines += len(batch)
			repotest.BulkInsert(b, db, "order_lines", cols, batch)
			batch = batch[:0]
		}
	}
	lines += len(batch)
	repotest.BulkInsert(b, db, "order_lines", cols, batch)
	return lines
}
