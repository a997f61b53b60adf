package wecom

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// QuotaConfig is the client's budget for WeCom's call limits (per corp per API: 10,000 a minute,
// 150,000 an hour; contract §3). Every call spends from its API's budget before it is sent, in the
// lane its context carries (service.WithLane): a call for which there is no room waits, bounded by
// its context and MaxWait, instead of being sent into a 45009. With Config.RedisAddr the budget is
// shared by every replica; without it, it is this process's alone (give each replica its share).
type QuotaConfig struct {
	Disabled  bool          // send every call at once (a benchmark against a simulator without limits)
	PerMinute int           // calls per API a minute; default 9,000 (WeCom's 10,000 less a tenth)
	PerHour   int           // calls per API an hour; default 135,000 (WeCom's 150,000 less a tenth)
	MaxWait   time.Duration // longest a call waits for budget before failing with *QuotaError; default 30 s
	// FallbackShare is the share of each window one replica spends on its own while Redis does not
	// answer (fallback.go); default DefaultFallbackShare, room for four replicas.
	FallbackShare float64
}

// Defaults: a tenth under WeCom's limits.
const (
	DefaultQuotaPerMinute = 9000
	DefaultQuotaPerHour   = 135000
	DefaultQuotaMaxWait   = 30 * time.Second
)

// WeCom's own, lower limits for the JS-SDK tickets (400 corp tickets and 100 app tickets an hour),
// budgeted a tenth under, and the APIs WeCom does not limit (auth/getuserinfo with a valid code).
var (
	ticketHourBudget = map[string]int{"cgi-bin/get_jsapi_ticket": 360, "cgi-bin/ticket/get": 90}
	unmetered        = map[string]bool{"cgi-bin/auth/getuserinfo": true}
)

// WeCom's blocks after 45009 (and 45033): 60 s after a minute's limit, 60 minutes after an hour's.
// The errcode does not say which; a 45009 again within escalateWithin of a block's end means the
// hour's, and the API is left alone for the hour.
const (
	minuteBlock    = time.Minute
	hourBlock      = time.Hour
	escalateWithin = 2 * time.Minute
)

// QuotaError is a call the client did not send: its API's budget had no room for it in its lane
// within the wait its caller allows, or WeCom has blocked the API (after a 45009). Try again later;
// adapters map it to service.ErrRateLimited.
type QuotaError struct {
	Endpoint string
	Lane     service.Lane
	Blocked  bool          // WeCom blocked the API
	Wait     time.Duration // how long until the call could have gone
}

// Error implements the error interface.
func (e *QuotaError) Error() string {
	why := "no budget"
	if e.Blocked {
		why = "blocked by WeCom (45009)"
	}
	return fmt.Sprintf("wecom %s: not sent, %s in the %s lane for another %s", e.Endpoint, why, e.Lane, e.Wait.Round(time.Millisecond))
}

// QuotaObserver receives the quota's measurements; handler.Metrics implements it. Methods must be
// safe for concurrent use and quick.
type QuotaObserver interface {
	// QuotaLeft is what an API's window (minute, hour) had left after a call was granted.
	QuotaLeft(endpoint, window string, left int)
	// QuotaQueued is how many calls of a lane wait for budget now (every API together).
	QuotaQueued(lane string, waiting int)
	// QuotaWaited is how long a call of a lane waited for budget (only calls that waited).
	QuotaWaited(lane string, d time.Duration)
	// QuotaRefused counts a call not sent: reason "budget" or "blocked".
	QuotaRefused(endpoint, lane, reason string)
	// QuotaBlocked counts a 45009/45033 from WeCom and the block it started (0: already blocked).
	QuotaBlocked(endpoint string, errcode int, block time.Duration)
	// QuotaShared reports whether replicas share the token and the budget through Redis (false: Redis
	// does not answer and this replica keeps to its own process and its share of the budget).
	QuotaShared(shared bool)
}

// WithQuotaObserver reports the quota's measurements to o.
func WithQuotaObserver(o QuotaObserver) Option {
	return func(c *Client) {
		if o != nil {
			c.quotaObs = o
		}
	}
}

// noQuotaObserver drops everything.
type noQuotaObserver struct{}

func (noQuotaObserver) QuotaLeft(string, string, int)           {}
func (noQuotaObserver) QuotaQueued(string, int)                 {}
func (noQuotaObserver) QuotaWaited(string, time.Duration)       {}
func (noQuotaObserver) QuotaRefused(string, string, string)     {}
func (noQuotaObserver) QuotaShared(bool)                        {}
func (noQuotaObserver) QuotaBlocked(string, int, time.Duration) {}

// budgetOf is an API's two windows.
func (q *quota) budgetOf(api string) apiBudget {
	perMin, perHour := q.cfg.PerMinute, q.cfg.PerHour
	if h, ok := ticketHourBudget[api]; ok {
		perMin, perHour = min(perMin, h), min(perHour, h)
	}
	return apiBudget{minute: newWindow("minute", time.Minute, perMin, 0.5), hour: newWindow("hour", time.Hour, perHour, 0.1)}
}

// try spends one call of api for lane now, or reports how long until it may (and whether WeCom's
// block is the reason).
func (q *quota) try(ctx context.Context, api string, lane service.Lane) (ok bool, wait time.Duration, blocked bool, err error) {
	now := q.now()
	until, err := q.backend.blockOf(ctx, api)
	if err != nil {
		return false, 0, false, err
	}
	if now.Before(until) {
		return false, until.Sub(now), true, nil
	}
	ok, wait, left, err := q.backend.take(ctx, api, q.budgetOf(api), lane, now)
	if ok {
		q.obs.QuotaLeft(api, "minute", left[0])
		q.obs.QuotaLeft(api, "hour", left[1])
	}
	return ok, wait, false, err
}

// blocked records WeCom's 45009/45033 on api: the API is left alone for WeCom's block time, by
// every replica. A 45009 while already blocked (calls sent before the block) changes nothing.
func (q *quota) blocked(ctx context.Context, api string, code int) {
	if q.cfg.Disabled {
		q.obs.QuotaBlocked(api, code, 0)
		return
	}
	now := q.now()
	prev, err := q.backend.blockOf(ctx, api)
	if err == nil && now.Before(prev) {
		q.obs.QuotaBlocked(api, code, 0)
		return
	}
	d := minuteBlock
	if !prev.IsZero() && now.Sub(prev) < escalateWithin {
		d = hourBlock
	}
	_ = q.backend.block(ctx, api, now.Add(d), d+escalateWithin) // if it fails, the next 45009 tries again
	q.obs.QuotaBlocked(api, code, d)
}

// Budget is what lane may spend on endpoint (e.g. "cgi-bin/externalcontact/get") now and per second
// after that: what its windows have left above the lane's reserve, and the slower window's rate. A
// domain uses it to plan (batch, or wait) and to estimate how long a backlog takes to drain.
func (c *Client) Budget(ctx context.Context, endpoint string, lane service.Lane) (service.Budget, error) {
	q := c.quota
	if q.cfg.Disabled || unmetered[endpoint] {
		return service.Budget{Now: 1 << 30, PerSecond: 1e9}, nil
	}
	b := q.budgetOf(endpoint)
	per := min(b.minute.perSecond(), b.hour.perSecond())
	until, err := q.backend.blockOf(ctx, endpoint)
	if err != nil {
		return service.Budget{}, err
	}
	if q.now().Before(until) {
		return service.Budget{PerSecond: per}, nil
	}
	left, err := q.backend.peek(ctx, endpoint, b, q.now())
	if err != nil {
		return service.Budget{}, err
	}
	now := max(0, min(left[0]-b.minute.reserved(lane), left[1]-b.hour.reserved(lane)))
	return service.Budget{Now: now, PerSecond: per}, nil
}
