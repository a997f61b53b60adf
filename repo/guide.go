package repo

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/service"
)

type guideRow struct {
	CorpID     string `gorm:"primaryKey"`
	UserID     string `gorm:"primaryKey;column:userid"`
	Name       string
	StoreID    int64
	Status     string
	ResignedAt *time.Time
	UpdatedAt  time.Time
}

func (guideRow) TableName() string { return "guides" }

type storeRow struct {
	CorpID   string `gorm:"primaryKey"`
	ID       int64  `gorm:"primaryKey;autoIncrement:false"`
	Name     string
	ParentID int64
}

func (storeRow) TableName() string { return "stores" }

func toGuide(r guideRow) service.Guide {
	return service.Guide{UserID: r.UserID, Name: r.Name, StoreID: r.StoreID, Status: r.Status, ResignedAt: r.ResignedAt}
}

// UpsertGuide writes a guide's name, store and status.
func (s *GraphStore) UpsertGuide(ctx context.Context, g service.Guide) error {
	row := guideRow{CorpID: s.corp, UserID: g.UserID, Name: g.Name, StoreID: g.StoreID, Status: g.Status, ResignedAt: utcPtr(g.ResignedAt), UpdatedAt: s.now()}
	cols := []string{"name", "store_id", "updated_at"}
	if g.Status == service.GuideResigned {
		cols = append(cols, "status", "resigned_at")
	}
	return translate(conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&row).Error)
}

// GetGuide reads one guide.
func (s *GraphStore) GetGuide(ctx context.Context, userID string) (service.Guide, error) {
	var row guideRow
	if err := conn(ctx, s.db).Where("corp_id = ? AND userid = ?", s.corp, userID).Take(&row).Error; err != nil {
		return service.Guide{}, translate(err)
	}
	return toGuide(row), nil
}

// ListGuides lists the guides of a store (storeID 0: all), by userid.
func (s *GraphStore) ListGuides(ctx context.Context, storeID int64) ([]service.Guide, error) {
	return listGuides(ctx, s.db, s.corp, storeID, "")
}

// listGuides lists a corp's guides of a store (0: every store) with a status ("": any), by userid.
func listGuides(ctx context.Context, db *gorm.DB, corp string, storeID int64, status string) ([]service.Guide, error) {
	q := conn(ctx, db).Where("corp_id = ?", corp)
	if storeID != 0 {
		q = q.Where("store_id = ?", storeID)
	}
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []guideRow
	if err := q.Order("userid").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]service.Guide, len(rows))
	for i, r := range rows {
		out[i] = toGuide(r)
	}
	return out, nil
}

// RenameGuide moves a guide and their edges, tags and groups to a new userid (update_user with NewUserID).
func (s *GraphStore) RenameGuide(ctx context.Context, oldID, newID string) error {
	db := conn(ctx, s.db)
	for _, t := range []struct{ table, col string }{
		{"guides", "userid"}, {"follows", "userid"}, {"follow_tags", "userid"},
		{"customers", "owner_userid"}, {"group_chats", "owner_userid"}, {"group_members", "member_id"},
	} {
		if err := db.Table(t.table).Where("corp_id = ? AND "+t.col+" = ?", s.corp, oldID).
			Update(t.col, newID).Error; err != nil {
			return translate(err)
		}
	}
	return nil
}

// ResignGuide marks a guide resigned at the time of WeCom's delete_user, keeping their name and store
// (the handover needs the store); an unknown guide is created resigned.
func (s *GraphStore) ResignGuide(ctx context.Context, userID string, at time.Time) error {
	t := at.UTC()
	row := guideRow{CorpID: s.corp, UserID: userID, Status: service.GuideResigned, ResignedAt: &t, UpdatedAt: s.now()}
	return translate(conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"status", "resigned_at", "updated_at"})}).Create(&row).Error)
}

// UpsertStores writes departments as stores.
func (s *GraphStore) UpsertStores(ctx context.Context, stores []service.Store) error {
	if len(stores) == 0 {
		return nil
	}
	rows := make([]storeRow, len(stores))
	for i, st := range stores {
		rows[i] = storeRow{CorpID: s.corp, ID: st.ID, Name: st.Name, ParentID: st.ParentID}
	}
	return translate(conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"name", "parent_id"})}).Create(&rows).Error)
}

// ListStores lists every store.
func (s *GraphStore) ListStores(ctx context.Context) ([]service.Store, error) {
	var rows []storeRow
	if err := conn(ctx, s.db).Where("corp_id = ?", s.corp).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]service.Store, len(rows))
	for i, r := range rows {
		out[i] = service.Store{ID: r.ID, Name: r.Name, ParentID: r.ParentID}
	}
	return out, nil
}

// ActiveGuideIDs pages active guides by userid.
func (s *GraphStore) ActiveGuideIDs(ctx context.Context, after string, limit int) ([]string, error) {
	var ids []string
	err := conn(ctx, s.db).Model(&guideRow{}).Where("corp_id = ? AND userid > ? AND status = ?", s.corp, after, service.GuideActive).
		Order("userid").Limit(limit).Pluck("userid", &ids).Error
	return ids, translate(err)
}
