// Package directorydb implements directory.Store with gorm: stores, guides with their store names and
// customer counts, and a guide's customers, for the admin console.
package directorydb

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/directory"
)

// Store implements directory.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ directory.Store = (*Store)(nil)

// New returns the directory store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

// Stores lists every store.
func (s *Store) Stores(ctx context.Context) ([]service.Store, error) {
	return graphdb.New(s.db, s.corp).ListStores(ctx)
}

// Guide names one guide.
func (s *Store) Guide(ctx context.Context, userID string) (service.GuideName, error) {
	names, err := sqlstore.GuideNames(ctx, s.db, s.corp, []string{userID})
	if err != nil {
		return service.GuideName{}, err
	}
	g, ok := names[userID]
	if !ok {
		return g, service.ErrNotFound
	}
	return g, nil
}

// Guides searches guides by name, userid or store name, in userid order, with customer counts.
func (s *Store) Guides(ctx context.Context, f directory.GuideFilter) ([]directory.Guide, error) {
	q := sqlstore.Conn(ctx, s.db).Table("guides g").
		Select(`g.userid, g.name, g.store_id, COALESCE(st.name, '') AS store_name, g.status, g.resigned_at,
			(SELECT COUNT(*) FROM follows f WHERE f.corp_id = g.corp_id AND f.userid = g.userid AND f.active = ?) AS customers`, true).
		Joins("LEFT JOIN stores st ON st.corp_id = g.corp_id AND st.id = g.store_id").
		Where("g.corp_id = ? AND g.userid > ?", s.corp, f.After)
	if f.Q != "" {
		like := sqlstore.Like(f.Q)
		q = q.Where("(LOWER(g.name) LIKE ?"+sqlstore.LikeEscape+" OR LOWER(g.userid) LIKE ?"+sqlstore.LikeEscape+
			" OR LOWER(st.name) LIKE ?"+sqlstore.LikeEscape+")", like, like, like)
	}
	if f.StoreID != 0 {
		q = q.Where("g.store_id = ?", f.StoreID)
	}
	if f.Stores != nil {
		q = q.Where("g.store_id IN ?", append([]int64{-1}, f.Stores...))
	}
	if f.Status != "" {
		q = q.Where("g.status = ?", f.Status)
	}
	var rows []struct {
		UserID     string `gorm:"column:userid"`
		Name       string
		StoreID    int64
		StoreName  string
		Status     string
		ResignedAt *time.Time
		Customers  int
	}
	if err := q.Order("g.userid").Limit(f.Limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]directory.Guide, len(rows))
	for i, r := range rows {
		out[i] = directory.Guide{GuideName: service.GuideName{UserID: r.UserID, Name: r.Name, StoreID: r.StoreID, StoreName: r.StoreName,
			Status: r.Status}, Customers: r.Customers, ResignedAt: sqlstore.UTCPtr(r.ResignedAt)}
	}
	return out, nil
}

// Customers pages a guide's active customers by external_userid, with names, avatars and remarks.
func (s *Store) Customers(ctx context.Context, userID string, f directory.CustomerFilter) ([]directory.Customer, error) {
	q := sqlstore.Conn(ctx, s.db).Table("follows f").
		Select("f.external_userid, COALESCE(c.name, '') AS name, COALESCE(c.avatar, '') AS avatar, f.remark, f.added_at").
		Joins("LEFT JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid").
		Where("f.corp_id = ? AND f.userid = ? AND f.active = ? AND f.external_userid > ?", s.corp, userID, true, f.After)
	if f.Q != "" {
		like := sqlstore.Like(f.Q)
		q = q.Where("(LOWER(c.name) LIKE ?"+sqlstore.LikeEscape+" OR LOWER(f.remark) LIKE ?"+sqlstore.LikeEscape+
			" OR LOWER(f.external_userid) LIKE ?"+sqlstore.LikeEscape+")", like, like, like)
	}
	var rows []struct {
		ExternalUserID string `gorm:"column:external_userid"`
		Name           string
		Avatar         string
		Remark         string
		AddedAt        *time.Time
	}
	if err := q.Order("f.external_userid").Limit(f.Limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]directory.Customer, len(rows))
	for i, r := range rows {
		out[i] = directory.Customer{ContactName: service.ContactName{ID: r.ExternalUserID, Name: r.Name, Avatar: r.Avatar},
			Remark: r.Remark, AddedAt: sqlstore.UTCPtr(r.AddedAt)}
	}
	return out, nil
}
