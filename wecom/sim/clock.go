package sim

import (
	"sync"
	"time"
)

// Clock is the simulator's notion of "now". Token expiry, ticket expiry,
// OAuth code and welcome-code lifetimes, rate-limit windows, the 24 h transfer
// takeover and the 90-day transfer rule all read it, so a test can jump a day
// ahead with a ManualClock instead of sleeping.
type Clock interface {
	Now() time.Time
}

// realClock is the wall clock, the default when Config.Clock is nil.
type realClock struct{}

// Now returns time.Now().
func (realClock) Now() time.Time { return time.Now() }

// ManualClock is a Clock that only moves when told to. It is safe for
// concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a ManualClock reading t0.
func NewManualClock(t0 time.Time) *ManualClock { return &ManualClock{now: t0} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (a negative d is ignored: WeCom's time
// never runs backwards) and returns the new time.
func (c *ManualClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
	}
	return c.now
}
