package handler_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"
)

// tlKinds are the 12 activity rows of every edge in the timeline benchmark: kind, actor, ref, detail.
var tlKinds = [tlPerEdge][4]string{
	{"customer_added", "wecom", "qr-poster", `{"add_way":1}`},
	{"remark_changed", "guide", "", `{"remark":"王女士-金卡","mobiles_changed":false}`},
	{"tags_changed", "guide", "", `{"added":["高价值"],"removed":[]}`},
	{"note_added", "guide", "1", `{"body":"试了大衣，约周六再来","stage":"有意向"}`},
	{"product_shared", "guide", "P00012", `{"product":"羊绒大衣","msgtype":"news"}`},
	{"reply_sent", "guide", "7", `{"title":"初次问候","kind":"text"}`},
	{"material_sent", "guide", "9", `{"title":"新品手册","kind":"link"}`},
	{"order_paid", "system", "SO-1", `{"amount_fen":129900,"items":["羊绒大衣 ×1"],"store":"南京西路店"}`},
	{"group_joined", "wecom", "wrchat", `{"group":"会员福利群"}`},
	{"tags_changed", "wecom", "", `{"added":["美妆"],"removed":["普通"]}`},
	{"customer_transferred", "admin", "", `{"note":"在职转接"}`},
	{"note_added", "guide", "2", `{"body":"周末到店试穿","next_at":1767225600000}`},
}

// loadTimeline fills the database server-side: a sequence table 0..9999, guides (one per 500 edges),
// the edges (customer e follows guide e % guides) and their activity rows, by INSERT … SELECT over the
// sequence in chunks of 100,000 edges. Each edge's rows spread over a year, 20 days apart.
func loadTimeline(b *testing.B, db *gorm.DB, edges int) {
	exec := func(q string, args ...any) { require.NoError(b, db.Exec(q, args...).Error, q) }
	guides := edges / tlPerGuide
	exec("CREATE TABLE IF NOT EXISTS bench_seq (n INT NOT NULL PRIMARY KEY)")
	var seq [][]any
	for i := 0; i < 10000; i++ {
		seq = append(seq, []any{i})
	}
	bulkInsert(b, db, "bench_seq", []string{"n"}, seq)
	now := time.Now().UTC()
	exec("INSERT INTO guides (corp_id, userid, name, store_id, status, updated_at) SELECT ?, CONCAT('tlg', LPAD(n, 5, '0')), "+
		"CONCAT('导购', n), 1 + n % 120, 'active', ? FROM bench_seq WHERE n < ?", sbCorp, now, guides)
	exec("INSERT INTO wb_channels (corp_id, state, name, updated_at) VALUES (?, 'qr-poster', '门店海报', ?)", sbCorp, now)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var kind, actor, ref, detail []string
	for _, k := range tlKinds {
		kind, actor = append(kind, "'"+k[0]+"'"), append(actor, "'"+k[1]+"'")
		ref, detail = append(ref, "'"+k[2]+"'"), append(detail, "'"+k[3]+"'")
	}
	edge := "(a.n * 10000 + s.n)"
	guide := "CONCAT('tlg', LPAD(" + edge + " % " + fmt.Sprint(guides) + ", 5, '0'))"
	for hi := 0; hi*10 < (edges+9999)/10000; hi++ {
		lo, up := hi*10, hi*10+9
		exec("INSERT INTO follows (corp_id, userid, external_userid, remark, add_way, state, added_at, active, event_at) "+
			"SELECT ?, "+guide+", CONCAT('wmtl', LPAD("+edge+", 9, '0')), '', 1, 'qr-poster', "+
			"DATE_ADD(?, INTERVAL "+edge+" % 86400 SECOND), 1, DATE_ADD(?, INTERVAL "+edge+" % 86400 SECOND) "+
			"FROM bench_seq a JOIN bench_seq s WHERE a.n BETWEEN ? AND ? AND "+edge+" < ? ORDER BY a.n, s.n",
			sbCorp, base, base, lo, up, edges)
		exec("INSERT INTO activity_log (corp_id, occurred_at, kind, guide_userid, external_userid, actor_kind, actor_id, ref, detail) "+
			"SELECT ?, DATE_ADD(DATE_ADD(?, INTERVAL "+edge+" % 86400 SECOND), INTERVAL k.n * 20 DAY), "+
			"ELT(k.n + 1, "+strings.Join(kind, ",")+"), "+guide+", CONCAT('wmtl', LPAD("+edge+", 9, '0')), "+
			"ELT(k.n + 1, "+strings.Join(actor, ",")+"), IF(k.n IN (1, 2, 3, 4, 5, 6, 11), "+guide+", ''), "+
			"IF(k.n = 10, CONCAT('tlg', LPAD(("+edge+" + 1) % "+fmt.Sprint(guides)+", 5, '0')), ELT(k.n + 1, "+strings.Join(ref, ",")+")), "+
			"ELT(k.n + 1, "+strings.Join(detail, ",")+") "+
			"FROM bench_seq a JOIN bench_seq s JOIN bench_seq k WHERE a.n BETWEEN ? AND ? AND "+edge+" < ? AND k.n < ? ORDER BY a.n, s.n, k.n",
			sbCorp, base, lo, up, edges, tlPerEdge)
	}
}
