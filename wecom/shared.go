package wecom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// What replicas share: the access token and the JS-SDK tickets (one fetch per expiry for all, so
// gettoken and the ticket APIs stay far inside WeCom's limits), the quota's windows and WeCom's
// blocks (quota.go). In Redis when Config.RedisAddr is set, in the process otherwise.

// entry is a shared credential: the value and when it expires (client clock).
type entry struct {
	Value   string `json:"v"`
	Expires int64  `json:"exp"` // Unix ms
}

func (e entry) live(now time.Time) bool { return e.Value != "" && now.UnixMilli() < e.Expires }

// store keeps shared entries and short locks.
type store interface {
	load(ctx context.Context, key string) (entry, error) // zero entry when absent
	save(ctx context.Context, key string, e entry, ttl time.Duration) error
	// dropIf deletes key if it still holds value (a credential WeCom refused), and reports whether it did.
	dropIf(ctx context.Context, key, value string) error
	// lock takes key for ttl unless someone holds it; unlock releases it if still ours.
	lock(ctx context.Context, key string, ttl time.Duration) (unlock func(), ok bool, err error)
}

// memStore is the in-process store, for a single replica.
type memStore struct {
	mu    sync.Mutex
	items map[string]entry
	locks map[string]time.Time // key → held until
	now   func() time.Time
}

func newMemStore(now func() time.Time) *memStore {
	return &memStore{items: map[string]entry{}, locks: map[string]time.Time{}, now: now}
}

func (m *memStore) load(_ context.Context, key string) (entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.items[key], nil
}

func (m *memStore) save(_ context.Context, key string, e entry, _ time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[key] = e
	return nil
}

func (m *memStore) dropIf(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items[key].Value == value {
		delete(m.items, key)
	}
	return nil
}

func (m *memStore) lock(_ context.Context, key string, ttl time.Duration) (func(), bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if until, held := m.locks[key]; held && time.Now().Before(until) {
		return nil, false, nil
	}
	until := time.Now().Add(ttl) // locks bound real waiting, so they run on the wall clock
	m.locks[key] = until
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.locks[key] == until {
			delete(m.locks, key)
		}
	}, true, nil
}

// redisStore is the store shared by replicas through Redis.
type redisStore struct{ rdb *redis.Client }

func (r redisStore) load(ctx context.Context, key string) (entry, error) {
	b, err := r.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return entry{}, nil
	}
	if err != nil {
		return entry{}, fmt.Errorf("redis get: %w", err)
	}
	var e entry
	if err := json.Unmarshal(b, &e); err != nil {
		return entry{}, nil // unreadable: treat as absent, it is fetched again and overwritten
	}
	return e, nil
}

func (r redisStore) save(ctx context.Context, key string, e entry, ttl time.Duration) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := r.rdb.Set(ctx, key, b, max(ttl, time.Millisecond)).Err(); err != nil {
		return fmt.Errorf("redis set: %w", err)
	}
	return nil
}

// dropIfScript deletes KEYS[1] if its JSON value's "v" is ARGV[1].
var dropIfScript = redis.NewScript(`
local cur = redis.call("GET", KEYS[1])
if cur and cjson.decode(cur)["v"] == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

func (r redisStore) dropIf(ctx context.Context, key, value string) error {
	if err := dropIfScript.Run(ctx, r.rdb, []string{key}, value).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redis drop: %w", err)
	}
	return nil
}

// unlockScript deletes KEYS[1] if it still holds our ARGV[1].
var unlockScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`)

func (r redisStore) lock(ctx context.Context, key string, ttl time.Duration) (func(), bool, error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	owner := hex.EncodeToString(b)
	ok, err := r.rdb.SetNX(ctx, key, owner, ttl).Result()
	if err != nil {
		return nil, false, fmt.Errorf("redis lock: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = unlockScript.Run(ctx, r.rdb, []string{key}, owner).Err() // if it fails, the lock expires
	}, true, nil
}

// Lock timing: a fetch holds the lock at most lockTTL (then another replica may fetch); waiters
// look again every lockPoll.
const (
	lockTTL  = 15 * time.Second
	lockPoll = 20 * time.Millisecond
)

// fetchFunc fetches a credential from WeCom: its value and how long it may be used.
type fetchFunc func(ctx context.Context) (string, time.Duration, error)

// shared returns the credential under key: the cached one, or one fetched by fetch, once for every
// replica: the fetcher holds a short lock, the others wait for what it stores.
func (c *Client) shared(ctx context.Context, key string, fetch fetchFunc) (string, error) {
	for {
		if e, ok := c.memo(key); ok {
			return e.Value, nil
		}
		e, err := c.store.load(ctx, key)
		if err != nil {
			return "", err
		}
		if e.live(c.now()) {
			c.remember(key, e)
			return e.Value, nil
		}
		unlock, ok, err := c.store.lock(ctx, key+":lock", lockTTL)
		if err != nil {
			return "", err
		}
		if ok {
			defer unlock()
			return c.fetchLocked(ctx, key, fetch)
		}
		t := time.NewTimer(lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		case <-t.C:
		}
	}
}

// fetchLocked fetches and stores a credential under the lock, unless a live one arrived meanwhile.
func (c *Client) fetchLocked(ctx context.Context, key string, fetch fetchFunc) (string, error) {
	if e, err := c.store.load(ctx, key); err != nil {
		return "", err
	} else if e.live(c.now()) {
		c.remember(key, e)
		return e.Value, nil
	}
	v, ttl, err := fetch(ctx)
	if err != nil {
		return "", err
	}
	e := entry{Value: v, Expires: c.now().Add(ttl).UnixMilli()}
	if err := c.store.save(ctx, key, e, ttl); err != nil {
		return "", err
	}
	c.remember(key, e)
	return v, nil
}

// forget drops a credential WeCom refused (40014, 42001): from this process, and from the store
// if it still holds that value, so the next call fetches a new one, once for every replica.
func (c *Client) forget(ctx context.Context, key, value string) error {
	c.memoMu.Lock()
	if c.memos[key].Value == value {
		delete(c.memos, key)
	}
	c.memoMu.Unlock()
	return c.store.dropIf(ctx, key, value)
}

// memo is the process's copy of a shared credential, so a call costs no store round trip.
func (c *Client) memo(key string) (entry, bool) {
	c.memoMu.Lock()
	defer c.memoMu.Unlock()
	e, ok := c.memos[key]
	return e, ok && e.live(c.now())
}

func (c *Client) remember(key string, e entry) {
	c.memoMu.Lock()
	defer c.memoMu.Unlock()
	c.memos[key] = e
}
