package wecom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/guidebox/guidebox/service"
)

// BenchmarkQuotaAcquire measures what spending from the budget costs a call that finds room, in the
// process and on Redis (TEST_REDIS_ADDR, default 127.0.0.1:6379), 8 callers at once. The budget is
// far above what the benchmark spends, so nothing waits.
// Run: go test -run '^$' -bench QuotaAcquire ./wecom/
func BenchmarkQuotaAcquire(b *testing.B) {
	big := QuotaConfig{PerMinute: 1 << 30, PerHour: 1 << 30, MaxWait: time.Second}
	ctx := service.WithLane(context.Background(), service.LaneEnrichment)
	run := func(b *testing.B, backend budgetBackend) {
		q := &quota{cfg: big, backend: backend, now: time.Now, obs: noQuotaObserver{}, queues: map[string]*apiQueue{}}
		b.SetParallelism(8)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := q.acquire(ctx, "cgi-bin/externalcontact/get"); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("process", func(b *testing.B) { run(b, newMemBudget()) })
	b.Run("redis", func(b *testing.B) {
		addr := os.Getenv("TEST_REDIS_ADDR")
		if addr == "" {
			addr = "127.0.0.1:6379"
		}
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		defer rdb.Close()
		if err := rdb.Ping(context.Background()).Err(); err != nil {
			b.Skipf("no Redis at %s: %v", addr, err)
		}
		k := make([]byte, 6)
		_, _ = rand.Read(k)
		run(b, newRedisBudget(rdb, "guidebox:bench:"+hex.EncodeToString(k)+":"))
	})
}
