package recommend

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Service ranks products for customers (sidebar's Recommender) and rebuilds the index.
type Service struct {
	cfg   Config
	store Store
	log   *slog.Logger

	v        atomic.Pointer[view]
	loadMu   sync.Mutex // one load at a time
	checking atomic.Bool
	bg       sync.WaitGroup
}

// New builds the recommendations over their store. The catalogue and index are loaded with the first
// request, and looked at again every Config.RefreshEvery.
func New(cfg Config, store Store, log *slog.Logger) *Service {
	cfg.defaults()
	return &Service{cfg: cfg, store: store, log: log}
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// current returns the view, loading it on the first call; a view older than RefreshEvery is
// compared with the database in the background while this request uses it.
func (s *Service) current(ctx context.Context) (*view, error) {
	if v := s.v.Load(); v != nil {
		if time.Since(time.Unix(0, v.checked.Load())) > s.cfg.RefreshEvery && s.checking.CompareAndSwap(false, true) {
			s.bg.Add(1)
			go func() {
				defer s.bg.Done()
				defer s.checking.Store(false)
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
				defer cancel()
				if err := s.Refresh(ctx); err != nil {
					s.log.ErrorContext(ctx, "recommendations refresh", "err", err)
				}
			}()
		}
		return v, nil
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s.v.Load(), nil
}

// Refresh loads the catalogue and the index again if either changed since they were loaded (the
// catalogue's count and newest update, the index's generation).
func (s *Service) Refresh(ctx context.Context) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	if v := s.v.Load(); v != nil {
		stamp, err := s.store.CatalogStamp(ctx)
		if err != nil {
			return err
		}
		meta, err := s.store.IndexMeta(ctx)
		if err != nil && !errors.Is(err, service.ErrNotFound) {
			return err
		}
		if stamp == v.stamp && meta.Generation == v.generation && meta.BuiltAt.Equal(v.builtAt) {
			v.checked.Store(time.Now().UnixNano())
			return nil
		}
	}
	v, err := s.loadView(ctx)
	if err != nil {
		return err
	}
	s.v.Store(v)
	return nil
}

// Close waits for a background refresh to end.
func (s *Service) Close() { s.bg.Wait() }
