package sim

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// WeCom's documented call limits per API (contract §3 "Rate limits",
// 接口频率限制, https://developer.work.weixin.qq.com/document/path/90312).
const (
	WeComPerMinute   = 10000  // per corp per API
	WeComPerHour     = 150000 // per corp per API
	WeComIPPerMinute = 20000  // per caller IP per API
	WeComIPPerHour   = 600000 // per caller IP per API
)

// WeCom's blocks: past a per-minute limit an API answers 45009 for 60 s, past
// a per-hour limit for 60 minutes.
const (
	minuteBlock = time.Minute
	hourBlock   = time.Hour
)

// Limits are one API's call limits on the sim clock: per corp (every caller)
// and per caller IP, each in a clock minute and a clock hour. A call past any
// of them answers errcode 45009 and blocks the API (for the corp, or for that
// IP) for WeCom's block time: 60 s after a per-minute limit, 60 minutes after
// a per-hour one, counted from the call that went over. Refused calls are not
// counted. A zero field takes the simulator's default (Config.Limits, whose
// zero fields are WeCom's values); a negative one lifts that limit.
//
// Whether WeCom counts in clock windows or sliding ones is not documented
// [U]; the simulator counts in clock windows, which a client that keeps any
// 60 s (3600 s) span within the limit never trips either.
type Limits struct {
	PerMinute   int // per corp; WeCom 10 000
	PerHour     int // per corp; WeCom 150 000
	IPPerMinute int // per caller IP; WeCom 20 000
	IPPerHour   int // per caller IP; WeCom 600 000
}

// Unlimited lifts every call limit, for benchmarks that measure guidebox
// rather than WeCom's limits (they should say so).
var Unlimited = Limits{PerMinute: -1, PerHour: -1, IPPerMinute: -1, IPPerHour: -1}

// over fills l's zero fields from def.
func (l Limits) over(def Limits) Limits {
	pick := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	return Limits{PerMinute: pick(l.PerMinute, def.PerMinute), PerHour: pick(l.PerHour, def.PerHour),
		IPPerMinute: pick(l.IPPerMinute, def.IPPerMinute), IPPerHour: pick(l.IPPerHour, def.IPPerHour)}
}

// weComLimits are WeCom's documented values.
var weComLimits = Limits{PerMinute: WeComPerMinute, PerHour: WeComPerHour, IPPerMinute: WeComIPPerMinute, IPPerHour: WeComIPPerHour}

// String states the limits the way a benchmark report should, e.g.
// "per corp 10000/min 150000/h, per IP 20000/min 600000/h".
func (l Limits) String() string {
	f := func(n int) string {
		if n < 0 {
			return "unlimited"
		}
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("per corp %s/min %s/h, per IP %s/min %s/h", f(l.PerMinute), f(l.PerHour), f(l.IPPerMinute), f(l.IPPerHour))
}

// limiter counts calls per API, per corp and per caller IP, and keeps the
// blocks. It has its own mutex; the state lock is held around it.
type limiter struct {
	mu        sync.Mutex
	def       Limits            // Config.Limits over WeCom's values
	overrides map[string]Limits // path or AllPaths → SetLimits
	counters  map[scope]*counter
}

// scope is what one counter counts: an API for the whole corp (ip ""), or an
// API for one caller IP.
type scope struct{ path, ip string }

// counter is one scope's clock-minute and clock-hour counts and its block.
type counter struct {
	minute, hour int64 // the windows counted (Unix time / 60, / 3600)
	nMin, nHour  int
	until        time.Time // answers 45009 before this
}

func newLimiter(def Limits) *limiter {
	return &limiter{def: def.over(weComLimits), overrides: map[string]Limits{}, counters: map[scope]*counter{}}
}

// SetLimits sets the call limits of path (e.g. "/cgi-bin/externalcontact/get",
// or AllPaths for every API without its own); zero fields take Config.Limits.
// Limits{} removes the setting. Blocks already running keep running.
func (s *Sim) SetLimits(path string, l Limits) {
	f := s.limits
	f.mu.Lock()
	defer f.mu.Unlock()
	if l == (Limits{}) {
		delete(f.overrides, normPath(path))
		return
	}
	f.overrides[normPath(path)] = l
}

// SetRateLimit sets the per-corp per-minute limit of path (or AllPaths), the
// other limits staying at Config.Limits; perMinute <= 0 removes the setting.
func (s *Sim) SetRateLimit(path string, perMinute int) {
	if perMinute <= 0 {
		s.SetLimits(path, Limits{})
		return
	}
	s.SetLimits(path, Limits{PerMinute: perMinute})
}

// Limits returns the limits that apply to path now.
func (s *Sim) Limits(path string) Limits {
	f := s.limits
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limitsOf(normPath(path))
}

func (f *limiter) limitsOf(path string) Limits {
	if l, ok := f.overrides[path]; ok {
		return l.over(f.def)
	}
	if l, ok := f.overrides[AllPaths]; ok {
		return l.over(f.def)
	}
	return f.def
}

func (f *limiter) counter(path, ip string, now time.Time) *counter {
	c := f.counters[scope{path, ip}]
	if c == nil {
		c = &counter{}
		f.counters[scope{path, ip}] = c
	}
	if m := now.Unix() / 60; m != c.minute {
		c.minute, c.nMin = m, 0
	}
	if h := now.Unix() / 3600; h != c.hour {
		c.hour, c.nHour = h, 0
	}
	return c
}

// over reports whether one more call breaks perMinute or perHour, and if so
// blocks c for WeCom's block time.
func (c *counter) over(perMinute, perHour int, now time.Time) bool {
	switch {
	case perHour >= 0 && c.nHour+1 > perHour:
		c.until = now.Add(hourBlock)
	case perMinute >= 0 && c.nMin+1 > perMinute:
		c.until = now.Add(minuteBlock)
	default:
		return false
	}
	return true
}

// allow counts one call to path from ip at now, or reports false (45009)
// when the corp or the IP is blocked or the call breaks a limit.
func (f *limiter) allow(path, ip string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.limitsOf(path)
	corp, byIP := f.counter(path, "", now), f.counter(path, "ip:"+ip, now)
	if now.Before(corp.until) || now.Before(byIP.until) {
		return false
	}
	if corp.over(l.PerMinute, l.PerHour, now) || byIP.over(l.IPPerMinute, l.IPPerHour, now) {
		return false
	}
	for _, c := range []*counter{corp, byIP} {
		c.nMin++
		c.nHour++
	}
	return true
}

// remoteIP is the caller's address as WeCom sees it: the connection's source
// IP (the simulator trusts no forwarding header).
func remoteIP(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return remoteAddr
	}
	return host
}
