package workbenchdb

import (
	"context"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/workbench"
)

type builtRow struct {
	CorpID  string `gorm:"primaryKey"`
	UserID  string `gorm:"primaryKey;column:userid"`
	BuiltOn string
}

func (builtRow) TableName() string { return "wb_birthdays_built" }

// BirthdaysBuiltOn reads the day the guide's birthday index was built (the primary key).
func (s *Store) BirthdaysBuiltOn(ctx context.Context, userID string) (string, error) {
	var rows []builtRow
	if err := s.conn(ctx).Where("corp_id = ? AND userid = ?", s.corp, userID).Limit(1).Find(&rows).Error; err != nil {
		return "", sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].BuiltOn, nil
}

// RebuildBirthdays rebuilds the guide's birthday index from the guide's current customers in one
// transaction. The index is written for followers whenever a birthday is saved; the daily rebuild
// adds the customers the guide started following since (a new contact, a handover). One statement
// reads the guide's edges with their birthday values.
func (s *Store) RebuildBirthdays(ctx context.Context, userID, fieldID, day string) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		db := s.conn(ctx)
		if err := db.Exec("DELETE FROM wb_birthdays WHERE corp_id = ? AND userid = ?", s.corp, userID).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if err := db.Exec(s.insertIgnore(ctx)+"wb_birthdays (corp_id, userid, field_id, month_day, external_userid) "+
			"SELECT f.corp_id, f.userid, v.field_id, v.month_day, f.external_userid FROM follows f "+
			"JOIN wb_profile_values v ON v.corp_id = f.corp_id AND v.external_userid = f.external_userid AND v.field_id = ? "+
			"WHERE f.corp_id = ? AND f.userid = ? AND f.active = ? AND v.month_day IS NOT NULL", fieldID, s.corp, userID, true).Error; err != nil {
			return sqlstore.Translate(err)
		}
		b := builtRow{CorpID: s.corp, UserID: userID, BuiltOn: day}
		return sqlstore.Translate(db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"built_on"})}).Create(&b).Error)
	})
}

// Birthdays lists the guide's customers, still followed, whose birthday value is within the MMDD
// ranges (the wb_birthdays PK, then the follows and wb_profile_values PKs, which drop stale rows).
func (s *Store) Birthdays(ctx context.Context, userID, fieldID string, ranges [][2]int, limit int) ([]workbench.HomeEntry, error) {
	if len(ranges) == 0 {
		return nil, nil
	}
	conds := make([]string, len(ranges))
	args := []any{s.corp, userID, fieldID}
	for i, r := range ranges {
		conds[i] = "b.month_day BETWEEN ? AND ?"
		args = append(args, r[0], r[1])
	}
	var rows []entryRow
	err := s.conn(ctx).Table("wb_birthdays b").
		Select("b.external_userid, b.month_day, c.name, c.avatar, f.remark, v.value AS note").
		Joins("JOIN follows f ON f.corp_id = b.corp_id AND f.userid = b.userid AND f.external_userid = b.external_userid AND f.active = ?", true).
		Joins("JOIN wb_profile_values v ON v.corp_id = b.corp_id AND v.external_userid = b.external_userid AND v.field_id = b.field_id AND v.month_day = b.month_day").
		Joins("LEFT JOIN customers c ON c.corp_id = b.corp_id AND c.external_userid = b.external_userid").
		Where("b.corp_id = ? AND b.userid = ? AND b.field_id = ? AND ("+strings.Join(conds, " OR ")+")", args...).
		Order("b.month_day, b.external_userid").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	return toEntries(rows), nil
}
