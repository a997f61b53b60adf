package recommend

import "time"

// Config tunes the recommendations; zero fields get their defaults.
type Config struct {
	Neighbors    int           // co-purchase neighbours kept per SKU (default 20)
	MinSupport   int           // customers who bought both before two SKUs are neighbours (default 2)
	MaxBasket    int           // customers with more distinct SKUs are left out of co-purchase (default 200)
	StoreTop     int           // best sellers kept per store (default 100)
	StoreWindow  time.Duration // the best sellers' window (default 90 days)
	History      time.Duration // the orders the index and a request read (default 730 days)
	ScanPage     int           // order lines per read of the index build (default 50,000)
	Recent       time.Duration // just bought or sent: left out (default 7 days)
	PerInterest  int           // items of one category before every interest has one (default 2)
	RefreshEvery time.Duration // how often a replica looks for a new index or catalogue (default 1 min)
	Now          func() time.Time
}

func (c *Config) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Neighbors, 20)
	def(&c.MinSupport, 2)
	def(&c.MaxBasket, 200)
	def(&c.StoreTop, 100)
	def(&c.ScanPage, 50000)
	def(&c.PerInterest, 2)
	defDur(&c.StoreWindow, 90*24*time.Hour)
	defDur(&c.History, 730*24*time.Hour)
	defDur(&c.Recent, 7*24*time.Hour)
	defDur(&c.RefreshEvery, time.Minute)
	if c.Now == nil {
		c.Now = time.Now
	}
}

// BuildReport says what a rebuild of the index did.
type BuildReport struct {
	Generation int64
	Lines      int // order lines read
	Customers  int // customers (or unlinked orders) among them
	SKUs       int // SKUs sold
	Neighbors  int // neighbour pairs kept
	Cycles     int // SKUs and categories with a repurchase cycle
	Bytes      int // size of the stored index
	Took       time.Duration
}

// Repurchase cycles need this much evidence: intervals of repeat purchases, and the share of buyers
// who bought again (a product bought once by nearly everyone is not a consumable).
const (
	minCycleSamplesSKU = 3
	minCycleSamplesCat = 5
	minRepeatShare     = 0.1
	occasionDays       = 7 // purchases of the same SKU within a week are one occasion
	// A SKU this many customers bought, few of them again, is not a consumable whatever its category.
	minBuyersNotConsumable = 10
	// Past this many cycles a due purchase is overdue (已过复购期) rather than due (约到复购期);
	// past maxDueCycles the customer has moved on: it is not offered again.
	overdueCycles = 1.5
	maxDueCycles  = 2
)
