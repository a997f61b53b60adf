package workbench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Service is the guide's workbench. It is safe for concurrent use.
type Service struct {
	store Store
	media MediaUploader
	loc   *time.Location
	now   func() time.Time

	fields   *cached[[]Field]
	stages   *cached[[]Stage]
	channels *cached[map[string]string]
	uploads  keyedMutex // one upload per image at a time

	builtMu    sync.Mutex
	builtDay   string            // the day built holds
	built      map[string]string // guide → "field|day" of the birthday index this replica saw built
	rebuilding map[string]bool   // guides whose index is being rebuilt in the background
}

// Config tunes the service: Location is the corp's time zone (what "today" and "this week" mean);
// Now is the clock (time.Now when nil).
type Config struct {
	Location *time.Location
	Now      func() time.Time
}

// cacheTTL bounds how stale the corp's definitions (fields, stages, channel names) may be on a replica
// that did not change them; the replica that writes reloads at once.
const cacheTTL = 30 * time.Second

// New builds the workbench over its store and WeCom's media upload (nil: image materials cannot be sent).
func New(store Store, media MediaUploader, cfg Config) *Service {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{store: store, media: media, loc: cfg.Location, now: cfg.Now}
	s.fields = newCached(cfg.Now, store.Fields)
	s.stages = newCached(cfg.Now, store.Stages)
	s.channels = newCached(cfg.Now, func(ctx context.Context) (map[string]string, error) {
		cs, err := store.Channels(ctx)
		if err != nil {
			return nil, err
		}
		m := make(map[string]string, len(cs))
		for _, c := range cs {
			m[c.State] = c.Name
		}
		return m, nil
	})
	return s
}

const maxWeComIDLen = 64

// checkWeComID refuses what cannot be a WeCom id (userid, external_userid, chat_id).
func checkWeComID(field, id string) error {
	if id == "" || len(id) > maxWeComIDLen || strings.ContainsAny(id, " \t\r\n/") {
		return service.Invalid(field, "must be a WeCom id")
	}
	return nil
}

// canRead checks the guide follows or followed the customer (the sidebar's rule).
func (s *Service) canRead(ctx context.Context, userID, extID string) error {
	if err := checkWeComID("external_userid", extID); err != nil {
		return err
	}
	followed, _, err := s.store.Edge(ctx, userID, extID)
	if err != nil {
		return fmt.Errorf("edge %s→%s: %w", userID, extID, err)
	}
	if !followed {
		return fmt.Errorf("customer %s not followed by %s: %w", extID, userID, service.ErrForbidden)
	}
	return nil
}

// canWrite checks the guide follows the customer now: a lost customer is read-only.
func (s *Service) canWrite(ctx context.Context, userID, extID string) error {
	if err := checkWeComID("external_userid", extID); err != nil {
		return err
	}
	followed, active, err := s.store.Edge(ctx, userID, extID)
	if err != nil {
		return fmt.Errorf("edge %s→%s: %w", userID, extID, err)
	}
	if !followed {
		return fmt.Errorf("customer %s not followed by %s: %w", extID, userID, service.ErrForbidden)
	}
	if !active {
		return fmt.Errorf("customer %s no longer follows %s, read-only: %w", extID, userID, service.ErrForbidden)
	}
	return nil
}

// cached holds a value loaded from the store for cacheTTL.
type cached[T any] struct {
	now  func() time.Time
	load func(ctx context.Context) (T, error)
	mu   sync.Mutex
	at   time.Time
	ok   bool
	v    T
}

func newCached[T any](now func() time.Time, load func(ctx context.Context) (T, error)) *cached[T] {
	return &cached[T]{now: now, load: load}
}

func (c *cached[T]) get(ctx context.Context) (T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ok && c.now().Sub(c.at) < cacheTTL {
		return c.v, nil
	}
	v, err := c.load(ctx)
	if err != nil {
		return v, err
	}
	c.v, c.at, c.ok = v, c.now(), true
	return v, nil
}

func (c *cached[T]) reset() {
	c.mu.Lock()
	c.ok = false
	c.mu.Unlock()
}

// keyedMutex serialises work per key (an image's upload) without one lock for all.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[int64]*keyLock
}

type keyLock struct {
	sync.Mutex
	users int
}

func (k *keyedMutex) lock(key int64) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[int64]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
