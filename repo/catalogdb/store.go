package catalogdb

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/service/sidebar"
)

// Store is the catalogue and the orders of one corp.
type Store struct {
	db   *gorm.DB
	corp string
	now  func() time.Time
}

var (
	_ catalog.Store        = (*Store)(nil)
	_ sidebar.ProductStore = (*Store)(nil)
)

// New returns the catalogue store of corpID.
func New(db *gorm.DB, corpID string) *Store {
	return &Store{db: db, corp: corpID, now: func() time.Time { return time.Now().UTC() }}
}

// Stores lists the corp's stores (the graph store's query).
func (s *Store) Stores(ctx context.Context) ([]service.Store, error) {
	return graphdb.New(s.db, s.corp).ListStores(ctx)
}

// Tags lists the corp tags.
func (s *Store) Tags(ctx context.Context) ([]service.Tag, error) {
	var rows []sqlstore.TagRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp).Order("tag_id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Tag, len(rows))
	for i, r := range rows {
		out[i] = service.Tag{TagID: r.TagID, GroupID: r.GroupID, Name: r.Name, Order: r.SortOrder}
	}
	return out, nil
}
