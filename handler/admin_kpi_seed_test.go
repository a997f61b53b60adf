package handler_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
)

// seedKPIHistory writes two weeks of activity for the demo corp's guides and their customers (as the
// sidebar, the workbench and the orders API record it: opens, shares, sends, orders, refunds, adds and
// losses) and folds it into the rollups, so the console's home has a trend to draw. It returns a store
// and one of its guides with activity, by id and name.
func seedKPIHistory(t *testing.T, st *consoleStack) (storeID int64, store, guide, guideName string) {
	t.Helper()
	var edges []struct {
		UserID         string `gorm:"column:userid"`
		ExternalUserID string `gorm:"column:external_userid"`
		StoreID        int64
		StoreName      string
		Name           string
	}
	require.NoError(t, st.db.Raw(`SELECT f.userid, f.external_userid, g.store_id, s.name AS store_name, g.name
		FROM follows f JOIN guides g ON g.corp_id = f.corp_id AND g.userid = f.userid JOIN stores s ON s.corp_id = g.corp_id AND s.id = g.store_id
		WHERE f.corp_id = ? AND f.active = 1 AND g.status = 'active' ORDER BY f.userid, f.external_userid`, sbCorp).Scan(&edges).Error)
	require.NotEmpty(t, edges)
	r := rand.New(rand.NewSource(12))
	var rows [][]any
	now := time.Now().UTC()
	order := 0
	for d := 13; d >= 0; d-- {
		day := now.AddDate(0, 0, -d).Truncate(time.Hour)
		opened := map[string]bool{}
		for _, e := range edges {
			at := day.Add(-time.Duration(r.Intn(8)) * time.Hour)
			if !opened[e.UserID] && r.Intn(3) > 0 {
				opened[e.UserID] = true
				rows = append(rows, []any{sbCorp, at, "sidebar_open", e.UserID, "", "guide", "", ""})
			}
			switch n := r.Intn(20); {
			case n < 3:
				rows = append(rows, []any{sbCorp, at, "product_shared", e.UserID, e.ExternalUserID, "guide", "sku", ""})
				if r.Intn(3) == 0 {
					order++
					rows = append(rows, []any{sbCorp, at.Add(time.Duration(1+r.Intn(40)) * time.Hour), "order_paid", "", e.ExternalUserID, "system",
						fmt.Sprintf("kpi-demo-%d", order), fmt.Sprintf(`{"amount_fen": %d}`, 5000+r.Intn(60000))})
				}
			case n < 5:
				rows = append(rows, []any{sbCorp, at, "material_sent", e.UserID, e.ExternalUserID, "guide", "1", ""})
			case n == 5 && d%4 == 0:
				rows = append(rows, []any{sbCorp, at, "customer_deleted_guide", e.UserID, e.ExternalUserID, "wecom", "", ""})
			case n == 6:
				rows = append(rows, []any{sbCorp, at, "customer_added", e.UserID, "wmkpi" + repotest.RandomHex(6), "wecom", "", ""})
			}
		}
	}
	// One writer in id order, as the activity log grows (parallel writers would leave the ids' gaps to wait for).
	for len(rows) > 0 {
		n := min(len(rows), 500)
		var args []any
		for _, row := range rows[:n] {
			args = append(args, row...)
		}
		require.NoError(t, st.db.Exec("INSERT INTO activity_log (corp_id, occurred_at, kind, guide_userid, external_userid, actor_kind, ref, detail) VALUES "+
			strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?,?),", n), ","), args...).Error)
		rows = rows[n:]
	}
	_, err := st.kpi.CatchUp(context.Background())
	require.NoError(t, err)
	e := edges[0]
	return e.StoreID, e.StoreName, e.UserID, e.Name
}
