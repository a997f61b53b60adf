package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScaleCorpGeneratesTwoMillionEdges checks the shape of a 4 000-guide corp; how fast its edges
// come is BenchmarkScaleCorpAllEdges.
func TestScaleCorpGeneratesTwoMillionEdges(t *testing.T) {
	c := GenerateCorp(1, 4000, 1800000, 1.15)
	edges, perGuide := 0, make([]int, c.NumGuides)
	for e := range c.Edges() {
		edges++
		perGuide[e.Guide]++
	}
	t.Logf("%d edges; busiest guide holds %d", edges, perGuide[0])
	assert.Greater(t, edges, 2000000)
	assert.Greater(t, perGuide[0], 10000, "top guides hold tens of thousands")
	assert.Equal(t, edges, c.EdgeCount(), "deterministic")
}

// BenchmarkScaleCorpAllEdges walks every edge (over two million) of the corp above.
func BenchmarkScaleCorpAllEdges(b *testing.B) {
	c := GenerateCorp(1, 4000, 1800000, 1.15)
	for b.Loop() {
		n := 0
		for range c.Edges() {
			n++
		}
		b.ReportMetric(float64(n), "edges/op")
	}
}

func TestScaleCorpDeterministicAndConsistent(t *testing.T) {
	a, b := GenerateCorp(9, 100, 5000, 1.5), GenerateCorp(9, 100, 5000, 1.5)
	assert.Equal(t, a.Customer(4321), b.Customer(4321))
	assert.Equal(t, a.CustomerEdges(77, nil), b.CustomerEdges(77, nil))
	assert.NotEqual(t, a.CustomerID(1), GenerateCorp(10, 100, 5000, 1.5).CustomerID(1))

	ids := map[string]bool{}
	for cu := range a.Customers() {
		require.Len(t, cu.ExternalUserID, 30)
		require.False(t, ids[cu.ExternalUserID], "unique ids")
		ids[cu.ExternalUserID] = true
	}
	for i := range a.NumCustomers {
		es := a.CustomerEdges(i, nil)
		require.NotEmpty(t, es)
		seen := map[int32]bool{}
		for _, e := range es {
			require.False(t, seen[e.Guide], "a customer follows a guide once")
			seen[e.Guide] = true
		}
	}
	var n int
	for range a.EdgesRange(100, 200) {
		n++
	}
	assert.GreaterOrEqual(t, n, 100)
	assert.Equal(t, 2, a.StoreOf(0))
	assert.Equal(t, 1, a.NumStores)
}

func TestLoadScaleServesAPIs(t *testing.T) {
	e := newEnv(t)
	c := GenerateCorp(3, 50, 2000, 1.2)
	require.NoError(t, e.sim.LoadScale(c))
	res, err := e.app.ExternalContact.Get(e.ctx, c.CustomerID(10), "")
	require.NoError(t, err)
	require.Equal(t, 0, res.ErrCode)
	assert.Equal(t, c.Customer(10).Name, res.ExternalContact.Name)
	assert.Equal(t, len(c.CustomerEdges(10, nil)), len(res.FollowUsers))
	list, err := e.app.ExternalContact.List(e.ctx, c.GuideID(0))
	require.NoError(t, err)
	assert.NotEmpty(t, list.ExternalUserID)
}

func BenchmarkScaleEdges(b *testing.B) {
	c := GenerateCorp(1, MaxScaleGuides, 1000000, 1.0)
	for b.Loop() {
		for range c.EdgesRange(0, 100000) {
		}
	}
}
