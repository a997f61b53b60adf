package workbenchdb

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/workbench"
)

type fieldRow struct {
	CorpID    string `gorm:"primaryKey"`
	FieldID   string `gorm:"primaryKey"`
	Name      string
	Type      string
	Options   string // JSON array
	SortOrder int
	Birthday  bool
	Archived  bool
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

func (fieldRow) TableName() string { return "wb_profile_fields" }

func (s *Store) toFieldRow(f workbench.Field) fieldRow {
	opts := ""
	if len(f.Options) > 0 {
		b, _ := json.Marshal(f.Options)
		opts = string(b)
	}
	return fieldRow{CorpID: s.corp, FieldID: f.FieldID, Name: f.Name, Type: f.Type, Options: opts, SortOrder: f.Order,
		Birthday: f.Birthday, Archived: f.Archived, UpdatedAt: s.now()}
}

// Fields lists the fields, live ones first, by order.
func (s *Store) Fields(ctx context.Context) ([]workbench.Field, error) {
	var rows []fieldRow
	if err := s.conn(ctx).Where("corp_id = ?", s.corp).Order("archived, sort_order, field_id").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Field, len(rows))
	for i, r := range rows {
		out[i] = workbench.Field{FieldID: r.FieldID, Name: r.Name, Type: r.Type, Order: r.SortOrder, Birthday: r.Birthday, Archived: r.Archived}
		if r.Options != "" {
			_ = json.Unmarshal([]byte(r.Options), &out[i].Options)
		}
	}
	return out, nil
}

// CreateField inserts a field; a date field resets every guide's birthday index (it may become the birthday).
func (s *Store) CreateField(ctx context.Context, f workbench.Field) error {
	row := s.toFieldRow(f)
	if err := s.conn(ctx).Create(&row).Error; err != nil {
		return sqlstore.Translate(err)
	}
	return s.resetBirthdays(ctx, f)
}

// UpdateField rewrites a field's definition.
func (s *Store) UpdateField(ctx context.Context, f workbench.Field) error {
	row := s.toFieldRow(f)
	res := s.conn(ctx).Model(&fieldRow{}).Where("corp_id = ? AND field_id = ?", s.corp, f.FieldID).
		Updates(map[string]any{"name": row.Name, "options": row.Options, "sort_order": row.SortOrder, "birthday": row.Birthday,
			"archived": row.Archived, "updated_at": row.UpdatedAt})
	if res.Error != nil {
		return sqlstore.Translate(res.Error)
	}
	return s.resetBirthdays(ctx, f)
}

// resetBirthdays makes every guide's birthday index rebuild on its next read when a date field
// changes, since the birthday field may have moved.
func (s *Store) resetBirthdays(ctx context.Context, f workbench.Field) error {
	if f.Type != workbench.FieldDate {
		return nil
	}
	return sqlstore.Translate(s.conn(ctx).Exec("DELETE FROM wb_birthdays_built WHERE corp_id = ?", s.corp).Error)
}

type valueRow struct {
	CorpID         string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	FieldID        string `gorm:"primaryKey"`
	Value          string
	Num            *float64
	MonthDay       *int
	UpdatedBy      string
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (valueRow) TableName() string { return "wb_profile_values" }

func toValue(r valueRow) workbench.Value {
	v := workbench.Value{ExternalUserID: r.ExternalUserID, FieldID: r.FieldID, Text: r.Value, Num: r.Num, MonthDay: r.MonthDay,
		UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC()}
	if strings.HasPrefix(r.Value, "[") {
		_ = json.Unmarshal([]byte(r.Value), &v.Items)
	}
	return v
}

// Values reads a customer's values (the primary key).
func (s *Store) Values(ctx context.Context, extID string) ([]workbench.Value, error) {
	var rows []valueRow
	if err := s.conn(ctx).Where("corp_id = ? AND external_userid = ?", s.corp, extID).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.Value, len(rows))
	for i, r := range rows {
		out[i] = toValue(r)
	}
	return out, nil
}

// SetValues upserts and deletes values in one transaction; a birthday set is indexed for the
// customer's current followers.
func (s *Store) SetValues(ctx context.Context, extID string, set []workbench.Value, clear []string, birthdayField string) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if len(clear) > 0 {
			if err := db.Where("corp_id = ? AND external_userid = ? AND field_id IN ?", s.corp, extID, clear).Delete(&valueRow{}).Error; err != nil {
				return sqlstore.Translate(err)
			}
		}
		for _, v := range set {
			row := valueRow{CorpID: s.corp, ExternalUserID: extID, FieldID: v.FieldID, Value: v.Text, Num: v.Num, MonthDay: v.MonthDay,
				UpdatedBy: v.UpdatedBy, UpdatedAt: v.UpdatedAt.UTC()}
			if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"value", "num", "month_day", "updated_by", "updated_at"})}).
				Create(&row).Error; err != nil {
				return sqlstore.Translate(err)
			}
			if v.FieldID == birthdayField && v.MonthDay != nil {
				if err := db.Exec(s.insertIgnore(ctx)+"wb_birthdays (corp_id, userid, field_id, month_day, external_userid) "+
					"SELECT f.corp_id, f.userid, ?, ?, f.external_userid FROM follows f WHERE f.corp_id = ? AND f.external_userid = ? AND f.active = ?",
					v.FieldID, *v.MonthDay, s.corp, extID, true).Error; err != nil {
					return sqlstore.Translate(err)
				}
			}
		}
		return nil
	})
}

type hitRow struct {
	V         valueRow `gorm:"embedded"`
	Name      *string
	OwnerID   *string `gorm:"column:owner_userid"`
	OwnerName *string
}

// SearchValues finds customers by one field (idx_wb_values_text or idx_wb_values_num, then primary keys).
func (s *Store) SearchValues(ctx context.Context, f workbench.Field, q workbench.ProfileQuery) ([]workbench.ProfileHit, error) {
	db := s.conn(ctx).Table("wb_profile_values v").
		Select("v.*, c.name, c.owner_userid, g.name AS owner_name").
		Joins("LEFT JOIN customers c ON c.corp_id = v.corp_id AND c.external_userid = v.external_userid").
		Joins("LEFT JOIN guides g ON g.corp_id = c.corp_id AND g.userid = c.owner_userid").
		Where("v.corp_id = ? AND v.field_id = ? AND v.external_userid > ?", s.corp, f.FieldID, q.After)
	switch f.Type {
	case workbench.FieldText:
		db = db.Where("v.value LIKE ? ESCAPE '!'", likeEscape(q.Text)+"%")
	case workbench.FieldSelect:
		db = db.Where("v.value = ?", q.Text)
	case workbench.FieldMulti:
		b, _ := json.Marshal(q.Text)
		db = db.Where("v.value LIKE ? ESCAPE '!'", "%"+likeEscape(string(b))+"%")
	case workbench.FieldNumber, workbench.FieldDate:
		if min, ok := bound(f, q.Min); ok {
			db = db.Where("v.num >= ?", min)
		}
		if max, ok := bound(f, q.Max); ok {
			db = db.Where("v.num <= ?", max)
		}
	}
	var rows []hitRow
	if err := db.Order("v.external_userid").Limit(q.Limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]workbench.ProfileHit, len(rows))
	for i, r := range rows {
		out[i] = workbench.ProfileHit{ExternalUserID: r.V.ExternalUserID, Name: str(r.Name), OwnerUserID: str(r.OwnerID),
			OwnerName: str(r.OwnerName), Value: toValue(r.V)}
	}
	return out, nil
}

// bound turns a search bound into the num column's scale: a number, or a date as yyyymmdd.
func bound(f workbench.Field, v string) (float64, bool) {
	if v == "" {
		return 0, false
	}
	if f.Type == workbench.FieldDate {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return 0, false
		}
		return float64(d.Year()*10000 + int(d.Month())*100 + d.Day()), true
	}
	var n float64
	if err := json.Unmarshal([]byte(v), &n); err != nil {
		return 0, false
	}
	return n, true
}

// likeEscape escapes LIKE's wildcards with '!'.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}
