package graphdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

type storeRow struct {
	CorpID   string `gorm:"primaryKey"`
	ID       int64  `gorm:"primaryKey;autoIncrement:false"`
	Name     string
	ParentID int64
}

func (storeRow) TableName() string { return "stores" }

// UpsertGuide creates a guide or writes its name and store (and status, when resigned), over a
// stored read only when g.DetailsAt is newer: an insert if new, then a conditional update.
func (s *Store) UpsertGuide(ctx context.Context, g service.Guide) error {
	db := sqlstore.Conn(ctx, s.db)
	now := s.now()
	row := sqlstore.GuideRow{CorpID: s.corp, UserID: g.UserID, Name: g.Name, StoreID: g.StoreID, Status: g.Status, ResignedAt: sqlstore.UTCPtr(g.ResignedAt),
		DetailsAt: timePtr(g.DetailsAt), UpdatedAt: now}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return sqlstore.Translate(err)
	}
	set := map[string]any{"name": g.Name, "store_id": g.StoreID, "details_at": timePtr(g.DetailsAt), "updated_at": now}
	if g.Status == service.GuideResigned {
		set["status"], set["resigned_at"] = g.Status, sqlstore.UTCPtr(g.ResignedAt)
	}
	return sqlstore.Translate(db.Model(&sqlstore.GuideRow{}).
		Where("corp_id = ? AND userid = ? AND (details_at IS NULL OR details_at < ?)", s.corp, g.UserID, timePtr(g.DetailsAt)).Updates(set).Error)
}

// GetGuide reads one guide.
func (s *Store) GetGuide(ctx context.Context, userID string) (service.Guide, error) {
	var row sqlstore.GuideRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND userid = ?", s.corp, userID).Take(&row).Error; err != nil {
		return service.Guide{}, sqlstore.Translate(err)
	}
	return sqlstore.ToGuide(row), nil
}

// ListGuides lists the guides of a store (storeID 0: all), by userid.
func (s *Store) ListGuides(ctx context.Context, storeID int64) ([]service.Guide, error) {
	return sqlstore.ListGuides(ctx, s.db, s.corp, storeID, "")
}

// RenameGuide moves a guide and their edges, tags and groups to a new userid (update_user with NewUserID).
func (s *Store) RenameGuide(ctx context.Context, oldID, newID string) error {
	db := sqlstore.Conn(ctx, s.db)
	for _, t := range []struct{ table, col string }{
		{"guides", "userid"}, {"follows", "userid"}, {"follow_tags", "userid"},
		{"customers", "owner_userid"}, {"group_chats", "owner_userid"}, {"group_members", "member_id"},
	} {
		if err := db.Table(t.table).Where("corp_id = ? AND "+t.col+" = ?", s.corp, oldID).
			Update(t.col, newID).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	return nil
}

// ResignGuide marks a guide resigned at the time of WeCom's delete_user, keeping their name and store
// (the handover needs the store); an unknown guide is created resigned.
func (s *Store) ResignGuide(ctx context.Context, userID string, at time.Time) error {
	t := at.UTC()
	row := sqlstore.GuideRow{CorpID: s.corp, UserID: userID, Status: service.GuideResigned, ResignedAt: &t, UpdatedAt: s.now()}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"status", "resigned_at", "updated_at"})}).Create(&row).Error)
}

// UpsertStores writes departments as stores.
func (s *Store) UpsertStores(ctx context.Context, stores []service.Store) error {
	if len(stores) == 0 {
		return nil
	}
	rows := make([]storeRow, len(stores))
	for i, st := range stores {
		rows[i] = storeRow{CorpID: s.corp, ID: st.ID, Name: st.Name, ParentID: st.ParentID}
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"name", "parent_id"})}).Create(&rows).Error)
}

// ListStores lists every store.
func (s *Store) ListStores(ctx context.Context) ([]service.Store, error) {
	var rows []storeRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ?", s.corp).Order("id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Store, len(rows))
	for i, r := range rows {
		out[i] = service.Store{ID: r.ID, Name: r.Name, ParentID: r.ParentID}
	}
	return out, nil
}

// ActiveGuideIDs pages active guides by userid.
func (s *Store) ActiveGuideIDs(ctx context.Context, after string, limit int) ([]string, error) {
	var ids []string
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.GuideRow{}).Where("corp_id = ? AND userid > ? AND status = ?", s.corp, after, service.GuideActive).
		Order("userid").Limit(limit).Pluck("userid", &ids).Error
	return ids, sqlstore.Translate(err)
}
