package wecom

import "time"

// SetRedisRetryAfter shortens how long a replica keeps to its own process after Redis failed, for
// tests; it returns the previous value.
func SetRedisRetryAfter(d time.Duration) time.Duration {
	retryMu.Lock()
	defer retryMu.Unlock()
	prev := redisRetryAfter
	redisRetryAfter = d
	return prev
}
