package repo

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// GraphStore implements service.GraphStore for one corp.
type GraphStore struct {
	db   *gorm.DB
	corp string
	now  func() time.Time
}

var _ graph.Store = (*GraphStore)(nil)

// NewGraphStore returns the graph store of corpID.
func NewGraphStore(db *gorm.DB, corpID string) *GraphStore {
	return &GraphStore{db: db, corp: corpID, now: func() time.Time { return time.Now().UTC() }}
}

type customerRow struct {
	CorpID         string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	UnionID        string `gorm:"column:unionid"`
	Name           string
	Avatar         string
	Type           int
	Gender         int
	CorpName       string
	OwnerUserID    string `gorm:"column:owner_userid"`
	OwnerReason    string
	UpdatedAt      time.Time
}

func (customerRow) TableName() string { return "customers" }

func toCustomer(r customerRow) service.Customer {
	return service.Customer{ExternalUserID: r.ExternalUserID, UnionID: r.UnionID, Name: r.Name, Avatar: r.Avatar,
		Type: r.Type, Gender: r.Gender, CorpName: r.CorpName, OwnerUserID: r.OwnerUserID, OwnerReason: r.OwnerReason}
}

// UpsertCustomer writes the profile; the owner column is left alone.
func (s *GraphStore) UpsertCustomer(ctx context.Context, c service.Customer) error {
	row := customerRow{CorpID: s.corp, ExternalUserID: c.ExternalUserID, UnionID: c.UnionID, Name: c.Name, Avatar: c.Avatar,
		Type: c.Type, Gender: c.Gender, CorpName: c.CorpName, UpdatedAt: s.now()}
	cols := []string{"unionid", "name", "avatar", "type", "gender", "corp_name", "updated_at"}
	if c.Name == "" && c.UnionID == "" { // a bare placeholder never blanks a known profile
		cols = []string{"updated_at"}
	}
	return translate(conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&row).Error)
}

// SetOwner sets the customer's owner and the reason.
func (s *GraphStore) SetOwner(ctx context.Context, extID, userID, reason string) error {
	return translate(conn(ctx, s.db).Model(&customerRow{}).Where("corp_id = ? AND external_userid = ?", s.corp, extID).
		Updates(map[string]any{"owner_userid": userID, "owner_reason": reason, "updated_at": s.now()}).Error)
}

type ownershipRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	ExternalUserID string `gorm:"column:external_userid"`
	FromUserID     string `gorm:"column:from_userid"`
	ToUserID       string `gorm:"column:to_userid"`
	Reason         string
	Note           string
	At             time.Time
}

func (ownershipRow) TableName() string { return "ownership_history" }

// OwnershipHistory lists a customer's ownership changes, oldest first.
func (s *GraphStore) OwnershipHistory(ctx context.Context, extID string) ([]graph.OwnershipChange, error) {
	var rows []ownershipRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]graph.OwnershipChange, len(rows))
	for i, r := range rows {
		out[i] = graph.OwnershipChange{ExternalUserID: r.ExternalUserID, FromUserID: r.FromUserID, ToUserID: r.ToUserID, Reason: r.Reason, At: r.At, Note: r.Note}
	}
	return out, nil
}

// GetCustomer reads one customer.
func (s *GraphStore) GetCustomer(ctx context.Context, extID string) (service.Customer, error) {
	var row customerRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Take(&row).Error; err != nil {
		return service.Customer{}, translate(err)
	}
	return toCustomer(row), nil
}
