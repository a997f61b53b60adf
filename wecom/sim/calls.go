package sim

import "sync"

// CallCount is what the simulator answered on one API: every call that reached it (faults injected
// by SetFail5xx or SetDrop are not calls WeCom answered, and are not counted), how many of them it
// answered with errcode 0, and how many it refused with errcode 45009 (a call limit, or the block
// after one).
type CallCount struct {
	Calls       int
	OK          int
	RateLimited int
}

// callCounter counts calls by path; it has its own mutex so reading it never waits for the state.
type callCounter struct {
	mu sync.Mutex
	n  map[string]CallCount
}

func newCallCounter() *callCounter { return &callCounter{n: map[string]CallCount{}} }

func (c *callCounter) count(path string, res result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n[path]
	n.Calls++
	switch code, _ := res["errcode"].(int); code {
	case 0:
		n.OK++
	case 45009:
		n.RateLimited++
	}
	c.n[path] = n
}

// Calls returns the calls answered so far by path (e.g. "/cgi-bin/gettoken",
// "/cgi-bin/externalcontact/get"), so a test or a benchmark can count what guidebox spent.
func (s *Sim) Calls() map[string]CallCount {
	c := s.calls
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]CallCount, len(c.n))
	for p, n := range c.n {
		out[p] = n
	}
	return out
}

// ResetCalls starts the Calls count again from zero.
func (s *Sim) ResetCalls() {
	c := s.calls
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = map[string]CallCount{}
}
