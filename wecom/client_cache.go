package wecom

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/ArtisanCloud/PowerLibs/v3/cache"
	"github.com/ArtisanCloud/PowerWeChat/v3/src/kernel"
)

// memCache is a per-client implementation of PowerLibs' CacheInterface, the
// cache PowerWeChat requires. PowerWeChat's default is a process-wide
// singleton keyed by corpid+secret (contract §6 pitfall 7) that also writes
// files. The client's token and tickets do not live here (see shared.go and
// powerToken): this only keeps PowerWeChat from using its default.
// Values are stored as JSON and returned JSON-decoded, as PowerWeChat expects
// (it reads tokens back as map[string]interface{}).
type memCache struct {
	mu    sync.Mutex
	items map[string]memItem
	now   func() time.Time
}

type memItem struct {
	value   []byte
	expires time.Time // zero: never
}

var _ kernel.CacheInterface = (*memCache)(nil)

func newMemCache() *memCache {
	return &memCache{items: map[string]memItem{}, now: time.Now}
}

// lookup returns the live item under key, dropping it if expired.
func (m *memCache) lookup(key string) (memItem, bool) {
	it, ok := m.items[key]
	if ok && !it.expires.IsZero() && !m.now().Before(it.expires) {
		delete(m.items, key)
		return memItem{}, false
	}
	return it, ok
}

func (m *memCache) store(key string, value any, ttl time.Duration) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	it := memItem{value: b}
	if ttl > 0 {
		it.expires = m.now().Add(ttl)
	}
	m.items[key] = it
	return nil
}

// Get returns the JSON-decoded value under key, or cache.ErrCacheMiss.
func (m *memCache) Get(key string, _ any) (any, error) {
	m.mu.Lock()
	it, ok := m.lookup(key)
	m.mu.Unlock()
	if !ok {
		return nil, cache.ErrCacheMiss
	}
	var v any
	err := json.Unmarshal(it.value, &v)
	return v, err
}

// Set stores value for ttl (ttl <= 0: no expiry).
func (m *memCache) Set(key string, value any, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.store(key, value, ttl)
}

// Has reports whether a live value is stored under key.
func (m *memCache) Has(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.lookup(key)
	return ok
}

// AddNX stores value only if key is absent and reports whether it did.
func (m *memCache) AddNX(key string, value any, ttl time.Duration) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.lookup(key); ok {
		return false
	}
	return m.store(key, value, ttl) == nil
}

// Add stores value only if key is absent; it fails with cache.ErrNotStored otherwise.
func (m *memCache) Add(key string, value any, ttl time.Duration) error {
	if !m.AddNX(key, value, ttl) {
		return cache.ErrNotStored
	}
	return nil
}

// Remember returns the cached value under key, or computes, stores and
// returns it. The callback runs without the lock held.
func (m *memCache) Remember(key string, ttl time.Duration, fn func() (any, error)) (any, error) {
	if v, err := m.Get(key, nil); err == nil {
		return v, nil
	}
	v, err := fn()
	if err != nil {
		return nil, err
	}
	if err := m.Set(key, v, ttl); err != nil {
		return nil, err
	}
	return v, nil
}
