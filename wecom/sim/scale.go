package sim

import (
	"fmt"
	"iter"
	"math"
	"time"
)

// MaxScaleGuides and MaxScaleEdges are the largest documented scale corp
// (a department-store group: 40 000 guides, 20 000 000 follow edges).
const (
	MaxScaleGuides = 40000
	MaxScaleEdges  = 20000000
)

// ScaleCorp is a benchmark corp generated on the fly: nothing per guide,
// customer or edge is stored, every item is a pure function of (Seed,
// index), so a 20-million-edge corp costs a few bytes and any range can be
// generated in parallel for bulk inserts. Guides are split into stores of
// about 330 (department ids 2..NumStores+1). A customer's first guide is
// drawn with a skew (guide index ≈ G·u²), so low-index guides hold tens of
// thousands of customers, as real top guides do; further edges go to the
// next guides of the list.
type ScaleCorp struct {
	Seed             int64
	NumGuides        int
	NumCustomers     int
	NumStores        int
	EdgesPerCustomer float64   // average; each customer has at least 1 edge
	Epoch            time.Time // edges are created within two years before it
}

// ScaleEdge is one generated follow edge, by index. Follow renders it.
type ScaleEdge struct {
	Guide      int32
	Customer   int32
	CreateTime int64 // Unix seconds
	AddWay     uint8
}

// GenerateCorp describes a scale corp of guides guides and customers
// customers with edgesPerCustomer edges per customer on average (values
// below 1 mean 1, at most guides). It is deterministic in seed and O(1) in
// memory; generating 2 000 000 edges takes well under a second.
func GenerateCorp(seed int64, guides, customers int, edgesPerCustomer float64) *ScaleCorp {
	guides, customers = max(guides, 1), max(customers, 0)
	epc := math.Min(math.Max(edgesPerCustomer, 1), float64(guides))
	return &ScaleCorp{Seed: seed, NumGuides: guides, NumCustomers: customers,
		NumStores: (guides + 329) / 330, EdgesPerCustomer: epc,
		Epoch: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// mix is splitmix64: a fast, well-spread hash of (seed, stream, i).
func (c *ScaleCorp) mix(stream, i uint64) uint64 {
	z := uint64(c.Seed) + stream*0xbf58476d1ce4e5b9 + i*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// GuideID is guide i's userid ("sg00001").
func (c *ScaleCorp) GuideID(i int) string { return fmt.Sprintf("sg%05d", i) }

// CustomerID is customer i's external_userid: "wm", 12 hashed characters
// and the index in base 62, 30 characters like WeCom's.
func (c *ScaleCorp) CustomerID(i int) string {
	var b [30]byte
	b[0], b[1] = 'w', 'm'
	h := c.mix(1, uint64(i))
	for k := 2; k < 14; k++ {
		b[k] = idChars[h%62]
		h /= 62
	}
	n := uint64(i)
	for k := 29; k >= 14; k-- {
		b[k] = idChars[n%62]
		n /= 62
	}
	return string(b[:])
}

// StoreOf returns the department id of guide i's store.
func (c *ScaleCorp) StoreOf(guide int) int { return 2 + guide*c.NumStores/c.NumGuides }

// CustomerEdges appends customer i's edges to buf and returns it.
func (c *ScaleCorp) CustomerEdges(i int, buf []ScaleEdge) []ScaleEdge {
	h := c.mix(2, uint64(i))
	base := math.Floor(c.EdgesPerCustomer)
	n := int(base)
	if unit(c.mix(3, uint64(i))) < c.EdgesPerCustomer-base {
		n++
	}
	u := unit(h)
	first := min(int(u*u*float64(c.NumGuides)), c.NumGuides-1)
	days := int64(c.mix(4, uint64(i)) % (730 * 86400))
	ways := [...]uint8{1, 1, 1, 2, 3, 4, 201}
	for k := range n {
		buf = append(buf, ScaleEdge{Guide: int32((first + k) % c.NumGuides), Customer: int32(i),
			CreateTime: c.Epoch.Unix() - days + int64(k)*86400, AddWay: ways[(h>>(8*k%56))%7]})
	}
	return buf
}

// Edges yields every edge, customer by customer.
func (c *ScaleCorp) Edges() iter.Seq[ScaleEdge] { return c.EdgesRange(0, c.NumCustomers) }

// EdgesRange yields the edges of customers [from, to): split the range to
// generate and insert in parallel.
func (c *ScaleCorp) EdgesRange(from, to int) iter.Seq[ScaleEdge] {
	return func(yield func(ScaleEdge) bool) {
		buf := make([]ScaleEdge, 0, 8)
		for i := max(from, 0); i < min(to, c.NumCustomers); i++ {
			buf = c.CustomerEdges(i, buf[:0])
			for _, e := range buf {
				if !yield(e) {
					return
				}
			}
		}
	}
}

// EdgeCount counts the edges (one pass over the customers).
func (c *ScaleCorp) EdgeCount() int {
	n := 0
	for range c.Edges() {
		n++
	}
	return n
}

// Follow renders an edge as the sim's Follow (allocates the two ids).
func (c *ScaleCorp) Follow(e ScaleEdge) Follow {
	return Follow{UserID: c.GuideID(int(e.Guide)), ExternalUserID: c.CustomerID(int(e.Customer)),
		CreateTime: time.Unix(e.CreateTime, 0), AddWay: int(e.AddWay), OperUserID: c.CustomerID(int(e.Customer))}
}
