package recommend_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/repo/repotest"
)

// The embedded SQLite default (make run) builds the index, loads it and ranks: stock, co-purchase,
// repurchase and reasons.
func TestRecommendationsOnSQLite(t *testing.T) {
	e := newEnvOn(t, repotest.NewSQLite(t))
	e.products(
		product("A", "丝绒口红", "美妆", map[int64]int64{2: 10}),
		product("B", "卸妆油", "美妆", map[int64]int64{2: 2}),
		product("C", "面霜", "护肤", map[int64]int64{2: 0}, "t-mz"),
		product("S1", "修护面霜", "护肤", nil),
	)
	for i := range 5 {
		e.buy(fmt.Sprintf("wm-ab%d", i), 2, 10+i, "A", "B")
		e.buy(fmt.Sprintf("wm-s%d", i), 2, 200, "S1")
		e.buy(fmt.Sprintf("wm-s%d", i), 2, 140, "S1")
	}
	e.buy("wm-x", 2, 30, "A")
	e.buy("wm-x", 2, 60, "S1")
	rep := e.rebuild()
	assert.Positive(t, rep.Neighbors)
	got := e.recommend("wm-x", 2, 3, []string{"t-mz"})
	require.Len(t, got, 2, "C is sold out")
	assert.Equal(t, []rec{{"S1", "上次购买已 60 天，约到复购期"}, {"B", "买过「丝绒口红」的顾客常买 · 本店仅剩 2 件"}}, got)
}
