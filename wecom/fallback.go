package wecom

import (
	"context"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// When Redis does not answer, the replicas cannot share, but WeCom calls go on: each replica falls
// back to its own process — its own token and tickets (one fetch per replica per expiry instead of
// one for all) and its own budget windows at QuotaConfig.FallbackShare of the corp's, so N replicas
// together stay inside WeCom's limits while N × share ≤ 1. After a failure Redis is left alone for
// redisRetryAfter (a down Redis costs one timeout per period, not one per call), then tried again;
// the first answer ends the fallback. QuotaObserver.QuotaShared reports each change.

// redisRetryAfter is how long a replica keeps to its own process after Redis failed (a variable
// for tests).
var redisRetryAfter = 5 * time.Second

// DefaultFallbackShare is the share of each budget window a replica spends on its own while Redis is
// down: room for four replicas.
const DefaultFallbackShare = 0.25

var retryMu sync.Mutex

func retryAfter() time.Duration {
	retryMu.Lock()
	defer retryMu.Unlock()
	return redisRetryAfter
}

// redisHealth is whether Redis answers, shared by the token store and the budget.
type redisHealth struct {
	mu    sync.Mutex
	down  bool
	until time.Time // wall clock: Redis is not tried before
	obs   func(shared bool)
}

// usable reports whether to try Redis now.
func (h *redisHealth) usable() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return !h.down || !time.Now().Before(h.until)
}

// failed records a Redis call's outcome and reports whether the caller should fall back: err is
// Redis's failure, not the caller's own cancellation (that error is the caller's to return).
func (h *redisHealth) failed(ctx context.Context, err error) bool {
	if err != nil && ctx.Err() != nil {
		return false
	}
	h.mu.Lock()
	was := h.down
	if err != nil {
		h.down, h.until = true, time.Now().Add(retryAfter())
	} else {
		h.down = false
	}
	now := h.down
	h.mu.Unlock()
	if was != now {
		h.obs(!now)
	}
	return err != nil
}

// fallbackStore is the shared token and tickets in Redis, or in the process while Redis is down.
type fallbackStore struct {
	remote store
	local  *memStore
	health *redisHealth
}

func (f fallbackStore) load(ctx context.Context, key string) (entry, error) {
	if f.health.usable() {
		e, err := f.remote.load(ctx, key)
		if !f.health.failed(ctx, err) {
			return e, err
		}
	}
	return f.local.load(ctx, key)
}

func (f fallbackStore) save(ctx context.Context, key string, e entry, ttl time.Duration) error {
	if f.health.usable() {
		err := f.remote.save(ctx, key, e, ttl)
		if !f.health.failed(ctx, err) {
			return err
		}
	}
	return f.local.save(ctx, key, e, ttl)
}

func (f fallbackStore) dropIf(ctx context.Context, key, value string) error {
	_ = f.local.dropIf(ctx, key, value) // a refused credential goes from both: it may be in either
	if f.health.usable() {
		err := f.remote.dropIf(ctx, key, value)
		if !f.health.failed(ctx, err) {
			return err
		}
	}
	return nil
}

func (f fallbackStore) lock(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	if f.health.usable() {
		unlock, ok, err := f.remote.lock(ctx, key, ttl)
		if !f.health.failed(ctx, err) {
			return unlock, ok, err
		}
	}
	return f.local.lock(ctx, key, ttl)
}

// fallbackBudget is the budget windows and WeCom's blocks in Redis, or this replica's share of
// them in the process while Redis is down.
type fallbackBudget struct {
	remote budgetBackend
	local  *memBudget
	share  float64
	health *redisHealth
}

func (f *fallbackBudget) take(ctx context.Context, api string, b apiBudget, lane service.Lane, now time.Time) (bool, time.Duration, [2]int, error) {
	if f.health.usable() {
		ok, wait, left, err := f.remote.take(ctx, api, b, lane, now)
		if !f.health.failed(ctx, err) {
			return ok, wait, left, err
		}
	}
	return f.local.take(ctx, api, b.scaled(f.share), lane, now)
}

func (f *fallbackBudget) peek(ctx context.Context, api string, b apiBudget, now time.Time) ([2]int, error) {
	if f.health.usable() {
		left, err := f.remote.peek(ctx, api, b, now)
		if !f.health.failed(ctx, err) {
			return left, err
		}
	}
	return f.local.peek(ctx, api, b.scaled(f.share), now)
}

func (f *fallbackBudget) block(ctx context.Context, api string, until time.Time, keep time.Duration) error {
	_ = f.local.block(ctx, api, until, keep) // this replica keeps the block whatever Redis does
	if f.health.usable() {
		err := f.remote.block(ctx, api, until, keep)
		if !f.health.failed(ctx, err) {
			return err
		}
	}
	return nil
}

func (f *fallbackBudget) blockOf(ctx context.Context, api string) (time.Time, error) {
	local, _ := f.local.blockOf(ctx, api)
	if f.health.usable() {
		remote, err := f.remote.blockOf(ctx, api)
		if !f.health.failed(ctx, err) {
			if err != nil {
				return time.Time{}, err
			}
			return maxTime(remote, local), nil
		}
	}
	return local, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// scaled is b with each window's burst and rate at share of theirs (at least 1).
func (b apiBudget) scaled(share float64) apiBudget {
	s := func(w window) window {
		w.burst = max(1, int(float64(w.burst)*share))
		w.rate = max(1, int(float64(w.rate)*share))
		return w
	}
	return apiBudget{minute: s(b.minute), hour: s(b.hour)}
}
