package graphdb

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// Store implements graph.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
	now  func() time.Time
}

var _ graph.Store = (*Store)(nil)

// New returns the graph store of corpID.
func New(db *gorm.DB, corpID string) *Store {
	return &Store{db: db, corp: corpID, now: func() time.Time { return time.Now().UTC() }}
}

// UpsertCustomer writes the profile; the owner column is left alone.
func (s *Store) UpsertCustomer(ctx context.Context, c service.Customer) error {
	row := sqlstore.CustomerRow{CorpID: s.corp, ExternalUserID: c.ExternalUserID, UnionID: c.UnionID, Name: c.Name, Avatar: c.Avatar,
		Type: c.Type, Gender: c.Gender, CorpName: c.CorpName, UpdatedAt: s.now()}
	cols := []string{"unionid", "name", "avatar", "type", "gender", "corp_name", "updated_at"}
	if c.Name == "" && c.UnionID == "" { // a bare placeholder never blanks a known profile
		cols = []string{"updated_at"}
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&row).Error)
}

// SetOwner sets the customer's owner and the reason.
func (s *Store) SetOwner(ctx context.Context, extID, userID, reason string) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&sqlstore.CustomerRow{}).Where("corp_id = ? AND external_userid = ?", s.corp, extID).
		Updates(map[string]any{"owner_userid": userID, "owner_reason": reason, "updated_at": s.now()}).Error)
}

// OwnershipHistory lists a customer's ownership changes, oldest first.
func (s *Store) OwnershipHistory(ctx context.Context, extID string) ([]graph.OwnershipChange, error) {
	var rows []sqlstore.OwnershipRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Order("id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]graph.OwnershipChange, len(rows))
	for i, r := range rows {
		out[i] = graph.OwnershipChange{ExternalUserID: r.ExternalUserID, FromUserID: r.FromUserID, ToUserID: r.ToUserID, Reason: r.Reason, At: r.At, Note: r.Note}
	}
	return out, nil
}

// GetCustomer reads one customer.
func (s *Store) GetCustomer(ctx context.Context, extID string) (service.Customer, error) {
	var row sqlstore.CustomerRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Take(&row).Error; err != nil {
		return service.Customer{}, sqlstore.Translate(err)
	}
	return sqlstore.ToCustomer(row), nil
}
