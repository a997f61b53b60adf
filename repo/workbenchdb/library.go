package workbenchdb

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/workbench"
)

type groupRow struct {
	ID          int64 `gorm:"primaryKey"`
	CorpID      string
	Library     string
	OwnerUserID string `gorm:"column:owner_userid"`
	Name        string
	SortOrder   int
	UpdatedAt   time.Time `gorm:"autoUpdateTime:false"`
}

func (groupRow) TableName() string { return "wb_groups" }

func toGroup(r groupRow) workbench.Group {
	return workbench.Group{ID: r.ID, Library: r.Library, OwnerUserID: r.OwnerUserID, Name: r.Name, Order: r.SortOrder}
}

type itemRow struct {
	ID          int64 `gorm:"primaryKey"`
	CorpID      string
	GroupID     int64
	Library     string
	OwnerUserID string `gorm:"column:owner_userid"`
	Kind        string
	Title       string
	Content     string
	URL         string `gorm:"column:url"`
	PicURL      string `gorm:"column:pic_url"`
	AppID       string `gorm:"column:appid"`
	Page        string
	SortOrder   int
	UpdatedBy   string
	UpdatedAt   time.Time `gorm:"autoUpdateTime:false"`
}

func (itemRow) TableName() string { return "wb_items" }

func (s *Store) fromItem(it workbench.Item) itemRow {
	return itemRow{ID: it.ID, CorpID: s.corp, GroupID: it.GroupID, Library: it.Library, OwnerUserID: it.OwnerUserID, Kind: it.Kind,
		Title: it.Title, Content: it.Content, URL: it.URL, PicURL: it.PicURL, AppID: it.AppID, Page: it.Page, SortOrder: it.Order,
		UpdatedBy: it.UpdatedBy, UpdatedAt: it.UpdatedAt.UTC()}
}

type itemViewRow struct {
	I        itemRow `gorm:"embedded"`
	HasImage bool
}

func toItem(v itemViewRow) workbench.Item {
	r := v.I
	return workbench.Item{ID: r.ID, GroupID: r.GroupID, Library: r.Library, OwnerUserID: r.OwnerUserID, Kind: r.Kind, Title: r.Title,
		Content: r.Content, URL: r.URL, PicURL: r.PicURL, AppID: r.AppID, Page: r.Page, Order: r.SortOrder, HasImage: v.HasImage,
		UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC()}
}

// Groups lists a library's groups of the given owners, the corp's first (idx_wb_groups_owner).
func (s *Store) Groups(ctx context.Context, library string, owners []string) ([]workbench.Group, error) {
	var rows []groupRow
	if err := s.conn(ctx).Where("corp_id = ? AND library = ? AND owner_userid IN ?", s.corp, library, owners).
		Order("owner_userid, sort_order, id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Group, len(rows))
	for i, r := range rows {
		out[i] = toGroup(r)
	}
	return out, nil
}

// itemsQuery selects items with whether they have a picture, never the picture itself.
func (s *Store) itemsQuery(ctx context.Context) *gorm.DB {
	return s.conn(ctx).Table("wb_items i").Select("i.*, (img.item_id IS NOT NULL) AS has_image").
		Joins("LEFT JOIN wb_images img ON img.corp_id = i.corp_id AND img.item_id = i.id")
}

// Items lists a library's items of the given owners (idx_wb_items_owner).
func (s *Store) Items(ctx context.Context, library string, owners []string) ([]workbench.Item, error) {
	var rows []itemViewRow
	if err := s.itemsQuery(ctx).Where("i.corp_id = ? AND i.library = ? AND i.owner_userid IN ?", s.corp, library, owners).
		Order("i.group_id, i.sort_order, i.id").Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Item, len(rows))
	for i, r := range rows {
		out[i] = toItem(r)
	}
	return out, nil
}

// GetGroup reads one group; ErrNotFound if unknown.
func (s *Store) GetGroup(ctx context.Context, id int64) (workbench.Group, error) {
	var r groupRow
	if err := s.conn(ctx).Where("corp_id = ? AND id = ?", s.corp, id).Take(&r).Error; err != nil {
		return workbench.Group{}, sqlstore.Translate(err)
	}
	return toGroup(r), nil
}

// CreateGroup inserts a group.
func (s *Store) CreateGroup(ctx context.Context, g workbench.Group) (workbench.Group, error) {
	r := groupRow{CorpID: s.corp, Library: g.Library, OwnerUserID: g.OwnerUserID, Name: g.Name, SortOrder: g.Order, UpdatedAt: s.now()}
	if err := s.conn(ctx).Create(&r).Error; err != nil {
		return workbench.Group{}, sqlstore.Translate(err)
	}
	return toGroup(r), nil
}

// UpdateGroup renames and reorders a group.
func (s *Store) UpdateGroup(ctx context.Context, g workbench.Group) error {
	return sqlstore.Translate(s.conn(ctx).Model(&groupRow{}).Where("corp_id = ? AND id = ?", s.corp, g.ID).
		Updates(map[string]any{"name": g.Name, "sort_order": g.Order, "updated_at": s.now()}).Error)
}

// DeleteGroup deletes a group, its items and their pictures in one transaction.
func (s *Store) DeleteGroup(ctx context.Context, id int64) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Exec("DELETE FROM wb_images WHERE corp_id = ? AND item_id IN (SELECT id FROM wb_items WHERE corp_id = ? AND group_id = ?)",
			s.corp, s.corp, id).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if err := db.Where("corp_id = ? AND group_id = ?", s.corp, id).Delete(&itemRow{}).Error; err != nil {
			return sqlstore.Translate(err)
		}
		return sqlstore.Translate(db.Where("corp_id = ? AND id = ?", s.corp, id).Delete(&groupRow{}).Error)
	})
}

// GetItem reads one item; ErrNotFound if unknown.
func (s *Store) GetItem(ctx context.Context, id int64) (workbench.Item, error) {
	var rows []itemViewRow
	if err := s.itemsQuery(ctx).Where("i.corp_id = ? AND i.id = ?", s.corp, id).Limit(1).Scan(&rows).Error; err != nil {
		return workbench.Item{}, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return workbench.Item{}, service.ErrNotFound
	}
	return toItem(rows[0]), nil
}

// CreateItem inserts an item.
func (s *Store) CreateItem(ctx context.Context, it workbench.Item) (workbench.Item, error) {
	r := s.fromItem(it)
	r.ID = 0
	if err := s.conn(ctx).Create(&r).Error; err != nil {
		return workbench.Item{}, sqlstore.Translate(err)
	}
	return toItem(itemViewRow{I: r}), nil
}

// UpdateItem rewrites an item's content.
func (s *Store) UpdateItem(ctx context.Context, it workbench.Item) error {
	r := s.fromItem(it)
	return sqlstore.Translate(s.conn(ctx).Model(&itemRow{}).Where("corp_id = ? AND id = ?", s.corp, it.ID).
		Updates(map[string]any{"title": r.Title, "content": r.Content, "url": r.URL, "pic_url": r.PicURL, "appid": r.AppID,
			"page": r.Page, "sort_order": r.SortOrder, "updated_by": r.UpdatedBy, "updated_at": r.UpdatedAt}).Error)
}

// DeleteItem deletes an item and its picture.
func (s *Store) DeleteItem(ctx context.Context, id int64) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Where("corp_id = ? AND item_id = ?", s.corp, id).Delete(&imageRow{}).Error; err != nil {
			return sqlstore.Translate(err)
		}
		return sqlstore.Translate(db.Where("corp_id = ? AND id = ?", s.corp, id).Delete(&itemRow{}).Error)
	})
}

type imageRow struct {
	CorpID         string `gorm:"primaryKey"`
	ItemID         int64  `gorm:"primaryKey"`
	ContentType    string
	Data           []byte
	MediaID        string
	MediaExpiresAt *time.Time
}

func (imageRow) TableName() string { return "wb_images" }

// GetImage reads an item's picture and media id.
func (s *Store) GetImage(ctx context.Context, itemID int64) (workbench.Image, error) {
	var r imageRow
	if err := s.conn(ctx).Where("corp_id = ? AND item_id = ?", s.corp, itemID).Take(&r).Error; err != nil {
		return workbench.Image{}, sqlstore.Translate(err)
	}
	return workbench.Image{ContentType: r.ContentType, Data: r.Data, MediaID: r.MediaID, MediaExpiresAt: sqlstore.UTCPtr(r.MediaExpiresAt)}, nil
}

// PutImage stores a picture and forgets the old media id.
func (s *Store) PutImage(ctx context.Context, itemID int64, contentType string, data []byte) error {
	r := imageRow{CorpID: s.corp, ItemID: itemID, ContentType: contentType, Data: data}
	return sqlstore.Translate(s.conn(ctx).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(
		[]string{"content_type", "data", "media_id", "media_expires_at"})}).Create(&r).Error)
}

// SetMedia records the picture's media id and its expiry.
func (s *Store) SetMedia(ctx context.Context, itemID int64, mediaID string, expires time.Time) error {
	return sqlstore.Translate(s.conn(ctx).Model(&imageRow{}).Where("corp_id = ? AND item_id = ?", s.corp, itemID).
		Updates(map[string]any{"media_id": mediaID, "media_expires_at": expires.UTC()}).Error)
}

type sendRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	UserID         string `gorm:"column:userid"`
	ExternalUserID string `gorm:"column:external_userid"`
	ChatID         string
	ItemID         int64
	Library        string
	Kind           string
	Title          string
	SentAt         time.Time
}

func (sendRow) TableName() string { return "wb_sends" }

// AddSend appends a send.
func (s *Store) AddSend(ctx context.Context, sd workbench.Send) (workbench.Send, error) {
	r := sendRow{CorpID: s.corp, UserID: sd.UserID, ExternalUserID: sd.ExternalUserID, ChatID: sd.ChatID, ItemID: sd.ItemID,
		Library: sd.Library, Kind: sd.Kind, Title: sqlstore.Clip(sd.Title, 128), SentAt: sd.SentAt.UTC()}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&r).Error; err != nil {
			return sqlstore.Translate(err)
		}
		return sqlstore.RecordActivities(ctx, s.db, s.corp, []service.Activity{sendActivity(r)})
	})
	if err != nil {
		return workbench.Send{}, err
	}
	sd.ID = r.ID
	return sd, nil
}

// sendActivity is a send's row in the activity log: reply_sent or material_sent, ref the item.
func sendActivity(r sendRow) service.Activity {
	kind := service.ActivityMaterialSent
	if r.Library == workbench.LibraryReply {
		kind = service.ActivityReplySent
	}
	d := map[string]any{"title": r.Title, "kind": r.Kind}
	if r.ChatID != "" {
		d["chat_id"] = r.ChatID
	}
	return service.Activity{At: r.SentAt, Kind: kind, UserID: r.UserID, ExternalUserID: r.ExternalUserID, ActorKind: service.ActorGuide,
		ActorID: r.UserID, Ref: strconv.FormatInt(r.ItemID, 10), Detail: d}
}
