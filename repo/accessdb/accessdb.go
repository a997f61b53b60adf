// Package accessdb implements access.Store with gorm: the directory's stores and the admin audit log.
package accessdb

import (
	"context"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/access"
)

// Store implements access.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ access.Store = (*Store)(nil)

// New returns the access store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

// Stores lists every store of the corp.
func (s *Store) Stores(ctx context.Context) ([]service.Store, error) {
	return graphdb.New(s.db, s.corp).ListStores(ctx)
}

// ListAudit lists audit entries newest first, with the actor's and the store's names.
func (s *Store) ListAudit(ctx context.Context, f access.AuditFilter) ([]access.AuditEntry, error) {
	q := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp)
	if f.Stores != nil {
		q = q.Where("store_id IN ?", append([]int64{-1}, f.Stores...)) // -1: an empty scope matches nothing
	}
	if f.StoreID != 0 {
		q = q.Where("store_id = ?", f.StoreID)
	}
	if f.CaseID != 0 {
		q = q.Where("case_id = ?", f.CaseID)
	}
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []sqlstore.AuditRow
	if err := q.Order("id DESC").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	actors, storeIDs := make([]string, 0, len(rows)), make([]int64, 0, len(rows))
	for _, r := range rows {
		actors, storeIDs = append(actors, r.Actor), append(storeIDs, r.StoreID)
	}
	names, err := sqlstore.GuideNames(ctx, s.db, s.corp, actors)
	if err != nil {
		return nil, err
	}
	stores, err := sqlstore.StoreNames(ctx, s.db, s.corp, storeIDs)
	if err != nil {
		return nil, err
	}
	out := make([]access.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = access.AuditEntry{ID: r.ID, Actor: r.Actor, ActorName: names[r.Actor].Name, Action: r.Action, Target: r.Target,
			CaseID: r.CaseID, StoreID: r.StoreID, StoreName: stores[r.StoreID], Scope: r.Scope, Detail: r.Detail, At: r.At}
	}
	return out, nil
}
