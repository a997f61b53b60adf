package wecom

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/guidebox/guidebox/service"
)

// redisBudget keeps the windows in Redis with redis_rate's GCRA, so every replica spends from one
// budget, and WeCom's blocks as keys every replica reads. GCRA keeps one value per window (the
// theoretical arrival time) and takes the burst with each call, so a lane's reserve is simply a
// smaller burst on the same key: the check and the spending are one atomic script. The windows run
// on Redis's clock; the blocks on the client's.
type redisBudget struct {
	rdb    *redis.Client
	lim    *redis_rate.Limiter
	prefix string
}

func newRedisBudget(rdb *redis.Client, prefix string) *redisBudget {
	return &redisBudget{rdb: rdb, lim: redis_rate.NewLimiter(rdb), prefix: prefix}
}

func (r *redisBudget) key(w window, api string) string {
	return r.prefix + "quota:" + w.name + ":" + api
}

func limitOf(w window, burst int) redis_rate.Limit {
	return redis_rate.Limit{Rate: w.rate, Burst: burst, Period: w.period}
}

// take looks at the hour first without spending (a refused hour would otherwise waste a minute
// call on every retry of a waiting lane), then spends the minute and the hour. Two replicas racing
// for the hour's last call may waste one minute call; the budget is never overspent.
func (r *redisBudget) take(ctx context.Context, api string, b apiBudget, lane service.Lane, _ time.Time) (bool, time.Duration, [2]int, error) {
	h, m := b.hour, b.minute
	hb := h.laneBurst(lane)
	peek, err := r.lim.AllowN(ctx, r.key(h, api), limitOf(h, hb), 0)
	if err != nil {
		return false, 0, [2]int{}, fmt.Errorf("redis quota: %w", err)
	}
	if peek.Remaining < 1 {
		// The lane may spend once the bucket's debt is below its burst less one call.
		ei := h.period / time.Duration(h.rate)
		return false, max(peek.ResetAfter-time.Duration(hb-1)*ei, time.Millisecond), [2]int{}, nil
	}
	var left [2]int
	for i, w := range []window{m, h} {
		res, err := r.lim.Allow(ctx, r.key(w, api), limitOf(w, w.laneBurst(lane)))
		if err != nil {
			return false, 0, [2]int{}, fmt.Errorf("redis quota: %w", err)
		}
		if res.Allowed == 0 {
			return false, max(res.RetryAfter, time.Millisecond), [2]int{}, nil
		}
		left[i] = res.Remaining + w.reserved(lane)
	}
	return true, 0, left, nil
}

func (r *redisBudget) peek(ctx context.Context, api string, b apiBudget, _ time.Time) ([2]int, error) {
	var left [2]int
	for i, w := range []window{b.minute, b.hour} {
		res, err := r.lim.AllowN(ctx, r.key(w, api), limitOf(w, w.burst), 0)
		if err != nil {
			return left, fmt.Errorf("redis quota: %w", err)
		}
		left[i] = res.Remaining
	}
	return left, nil
}

func (r *redisBudget) block(ctx context.Context, api string, until time.Time, keep time.Duration) error {
	if err := r.rdb.Set(ctx, r.prefix+"block:"+api, until.UnixMilli(), keep).Err(); err != nil {
		return fmt.Errorf("redis block: %w", err)
	}
	return nil
}

func (r *redisBudget) blockOf(ctx context.Context, api string) (time.Time, error) {
	s, err := r.rdb.Get(ctx, r.prefix+"block:"+api).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("redis block: %w", err)
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, nil
	}
	return time.UnixMilli(ms), nil
}
