package autotag

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Config tunes the auto-tags; zero fields get their defaults.
type Config struct {
	PageLines   int           // order lines per page of the nightly pass (default 20,000)
	Queue       int           // customers waiting for an evaluation after their orders (default 10,000)
	Batch       int           // customers evaluated together after their orders (default 200)
	MarkBatch   int           // marks read at a time by PushMarks (default 200)
	MaxAttempts int           // tries of a mark whose outcome was unknown before it fails (default 5)
	CacheFor    time.Duration // how long rules and products are reused between reads (default 30 s)
	Now         func() time.Time
}

// Service evaluates the rules and writes their tags.
type Service struct {
	cfg   Config
	store Store
	wecom WeCom
	sync  TagSync
	log   *slog.Logger

	eval sync.Mutex // one evaluation writes at a time in this process: a newer read is never overwritten
	q    *queue
	pass atomic.Bool // a pass runs in this process
	bg   sync.WaitGroup

	cacheMu    sync.Mutex
	rules      []Rule
	rulesAt    time.Time
	products   map[string]ProductInfo
	productsAt time.Time
}

// New builds the auto-tags over their store and WeCom; sync re-reads the corp tags into the graph
// after a rule's tag is created in WeCom. Orders are evaluated by a goroutine started with the first
// one; Close stops it.
func New(cfg Config, store Store, wc WeCom, sync TagSync, log *slog.Logger) *Service {
	if cfg.PageLines <= 0 {
		cfg.PageLines = 20000
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 10000
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 200
	}
	if cfg.MarkBatch <= 0 {
		cfg.MarkBatch = 200
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.CacheFor <= 0 {
		cfg.CacheFor = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Service{cfg: cfg, store: store, wecom: wc, sync: sync, log: log}
	s.q = newQueue(cfg.Queue, s.evaluateQueued)
	return s
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// currentRules returns the rules switched on, read again after CacheFor or a change made here.
func (s *Service) currentRules(ctx context.Context) ([]Rule, error) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.rules != nil && time.Since(s.rulesAt) < s.cfg.CacheFor {
		return s.rules, nil
	}
	all, err := s.store.ListRules(ctx)
	if err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	rs := make([]Rule, 0, len(all))
	for _, r := range all {
		if r.Enabled { // a rule switched off gives nothing
			rs = append(rs, r)
		}
	}
	s.rules, s.rulesAt = rs, time.Now()
	return rs, nil
}

// currentProducts returns the products' categories and tags, read again after CacheFor, or after a
// second when fresh is set (a line names an unknown SKU, maybe a new product).
func (s *Service) currentProducts(ctx context.Context, fresh bool) (map[string]ProductInfo, error) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	maxAge := s.cfg.CacheFor
	if fresh {
		maxAge = time.Second
	}
	if s.products != nil && time.Since(s.productsAt) < maxAge {
		return s.products, nil
	}
	ps, err := s.store.Products(ctx)
	if err != nil {
		return nil, fmt.Errorf("read products: %w", err)
	}
	s.products, s.productsAt = ps, time.Now()
	return ps, nil
}

// forget drops the cached rules after a change.
func (s *Service) forget() {
	s.cacheMu.Lock()
	s.rules = nil
	s.cacheMu.Unlock()
}

// Close stops taking orders and returns once the customers queued are evaluated and a pass started
// by StartPass has ended.
func (s *Service) Close() {
	s.q.close()
	s.bg.Wait()
}

func byID(rules []Rule) map[int64]Rule {
	m := make(map[int64]Rule, len(rules))
	for _, r := range rules {
		m[r.ID] = r
	}
	return m
}
