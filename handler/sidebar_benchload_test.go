package handler_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/wecom/sim"
)

// loadScale bulk-inserts a scale corp into the service database the way a first reconciliation would
// leave it: guides, customers owned by their first guide, edges with two corp tags each, an "added"
// ownership row per customer and a "transferred" one for every 20th customer with two guides,
// and a catalogue of 200 products. It returns the number of edges.
func loadScale(b *testing.B, db *gorm.DB, c *sim.ScaleCorp) int {
	now := time.Now().UTC()
	tagIDs := loadTags(b, db, now)
	var guides [][]any
	for g := range c.Guides() {
		guides = append(guides, []any{sbCorp, g.UserID, g.Name, g.MainDepartment, "active", now})
	}
	bulkInsert(b, db, "guides", []string{"corp_id", "userid", "name", "store_id", "status", "updated_at"}, guides)
	var products [][]any
	for i := 0; i < 200; i++ {
		products = append(products, []any{sbCorp, fmt.Sprintf("P%05d", i), fmt.Sprintf("商品 %d", i), 9900 + i*100,
			"https://shop.example.com/p", tagIDs[i%len(tagIDs)], i, true, now})
	}
	bulkInsert(b, db, "products", []string{"corp_id", "sku", "name", "price_fen", "link_url", "tag_ids", "sort_order", "on_sale", "updated_at"}, products)
	const workers, chunk = 4, 2000
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for from := range next {
				n := loadChunk(b, db, c, from, min(from+chunk, c.NumCustomers), tagIDs, now)
				mu.Lock()
				total += n
				mu.Unlock()
			}
		}()
	}
	for from := 0; from < c.NumCustomers; from += chunk {
		next <- from
	}
	close(next)
	wg.Wait()
	return total
}

func loadTags(b *testing.B, db *gorm.DB, now time.Time) []string {
	var groups, tags [][]any
	var ids []string
	for g, name := range []string{"客户等级", "偏好品类", "生命周期"} {
		gid := fmt.Sprintf("etg%02d", g)
		groups = append(groups, []any{sbCorp, gid, name, 10 - g})
		for t := 0; t < 5; t++ {
			id := fmt.Sprintf("et%02d%02d", g, t)
			ids = append(ids, id)
			tags = append(tags, []any{sbCorp, id, gid, fmt.Sprintf("%s%d", name, t), 5 - t})
		}
	}
	bulkInsert(b, db, "tag_groups", []string{"corp_id", "group_id", "name", "sort_order"}, groups)
	bulkInsert(b, db, "tags", []string{"corp_id", "tag_id", "group_id", "name", "sort_order"}, tags)
	_ = now
	return ids
}

// loadChunk inserts customers [from, to) with their edges, tags and ownership rows.
func loadChunk(b *testing.B, db *gorm.DB, c *sim.ScaleCorp, from, to int, tagIDs []string, now time.Time) int {
	var cus, fol, ftag, own [][]any
	var buf []sim.ScaleEdge
	for i := from; i < to; i++ {
		cu := c.Customer(i)
		edges := c.CustomerEdges(i, buf[:0])
		owner := c.GuideID(int(edges[0].Guide))
		cus = append(cus, []any{sbCorp, cu.ExternalUserID, cu.UnionID, cu.Name, cu.Avatar, cu.Type, cu.Gender, owner, now})
		for k, e := range edges {
			f := c.Follow(e)
			fol = append(fol, []any{sbCorp, f.UserID, f.ExternalUserID, "备注" + cu.Name, f.AddWay, f.OperUserID, f.CreateTime, true, f.CreateTime})
			for t := 0; t < 2; t++ {
				ftag = append(ftag, []any{sbCorp, f.UserID, f.ExternalUserID, tagIDs[(i+k+t*7)%len(tagIDs)]})
			}
		}
		own = append(own, []any{sbCorp, cu.ExternalUserID, "", owner, "added", c.Follow(edges[0]).CreateTime})
		if len(edges) > 1 && i%20 == 0 {
			own = append(own, []any{sbCorp, cu.ExternalUserID, c.GuideID(int(edges[1].Guide)), owner, "transferred", now})
		}
	}
	bulkInsert(b, db, "customers", []string{"corp_id", "external_userid", "unionid", "name", "avatar", "type", "gender", "owner_userid", "updated_at"}, cus)
	bulkInsert(b, db, "follows", []string{"corp_id", "userid", "external_userid", "remark", "add_way", "oper_userid", "added_at", "active", "event_at"}, fol)
	bulkInsert(b, db, "follow_tags", []string{"corp_id", "userid", "external_userid", "tag_id"}, ftag)
	bulkInsert(b, db, "ownership_history", []string{"corp_id", "external_userid", "from_userid", "to_userid", "reason", "at"}, own)
	return len(fol)
}

// bulkInsert writes rows with multi-row INSERTs of at most 1000 rows.
func bulkInsert(b *testing.B, db *gorm.DB, table string, cols []string, rows [][]any) {
	ph := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	for len(rows) > 0 {
		n := min(len(rows), 1000)
		args := make([]any, 0, n*len(cols))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := "INSERT IGNORE INTO " + table + " (" + strings.Join(cols, ",") + ") VALUES " + strings.TrimSuffix(strings.Repeat(ph+",", n), ",")
		require.NoError(b, db.Exec(q, args...).Error)
		rows = rows[n:]
	}
}
