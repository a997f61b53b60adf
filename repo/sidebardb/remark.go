package sidebardb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

type remarkEditRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	ExternalUserID string `gorm:"column:external_userid"`
	UserID         string `gorm:"column:userid"`
	Remark         *string
	Description    *string
	MobilesChanged bool
	At             time.Time
}

func (remarkEditRow) TableName() string { return "remark_edits" }

// SaveRemark writes the edited fields onto the edge and appends the edit to remark_edits (which says
// that the phone numbers changed, not what they are), in one transaction.
func (s *Store) SaveRemark(ctx context.Context, userID, extID string, e sidebar.RemarkEdit, at time.Time) error {
	cols := map[string]any{}
	if e.Remark != nil {
		cols["remark"] = sqlstore.Clip(*e.Remark, 255)
	}
	if e.Description != nil {
		cols["description"] = sqlstore.Clip(*e.Description, 1024)
	}
	if e.Mobiles != nil {
		cols["remark_mobiles"] = strings.Join(*e.Mobiles, ",")
	}
	log := remarkEditRow{CorpID: s.corp, ExternalUserID: extID, UserID: userID, Remark: e.Remark, Description: e.Description,
		MobilesChanged: e.Mobiles != nil, At: at.UTC()}
	at = at.UTC().Truncate(time.Microsecond)
	cols["details_at"] = at
	return repo.NewTxManager(s.db).InTx(ctx, func(ctx context.Context) error {
		db := sqlstore.Conn(ctx, s.db)
		if err := s.lockCustomer(db, extID); err != nil {
			return err
		}
		// The edit is the details' newest version unless a WeCom read that started after WeCom accepted
		// it was applied already (that read holds this remark, or a newer one).
		if err := db.Table("follows").Where("corp_id = ? AND userid = ? AND external_userid = ? AND (details_at IS NULL OR details_at < ?)",
			s.corp, userID, extID, at).Updates(cols).Error; err != nil {
			return sqlstore.Translate(err)
		}
		if err := db.Create(&log).Error; err != nil {
			return sqlstore.Translate(err)
		}
		return sqlstore.RecordActivities(ctx, s.db, s.corp, []service.Activity{remarkActivity(userID, extID, e, at)})
	})
}

// remarkActivity is the remark_changed row of a guide's edit: the fields edited, and whether the
// phone numbers changed (never the numbers).
func remarkActivity(userID, extID string, e sidebar.RemarkEdit, at time.Time) service.Activity {
	d := map[string]any{"mobiles_changed": e.Mobiles != nil}
	if e.Remark != nil {
		d["remark"] = *e.Remark
	}
	if e.Description != nil {
		d["description"] = *e.Description
	}
	return service.Activity{At: at, Kind: service.ActivityRemarkChanged, UserID: userID, ExternalUserID: extID,
		ActorKind: service.ActorGuide, ActorID: userID, Detail: d}
}

type tagGroupSettingRow struct {
	CorpID       string `gorm:"primaryKey"`
	GroupID      string `gorm:"primaryKey"`
	SingleChoice bool
}

func (tagGroupSettingRow) TableName() string { return "tag_group_settings" }

// SingleChoiceGroups returns the single-choice tag groups.
func (s *Store) SingleChoiceGroups(ctx context.Context) (map[string]bool, error) {
	var ids []string
	if err := sqlstore.Conn(ctx, s.db).Model(&tagGroupSettingRow{}).Where("corp_id = ? AND single_choice = ?", s.corp, true).
		Pluck("group_id", &ids).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// SetSingleChoice writes a tag group's single-choice rule.
func (s *Store) SetSingleChoice(ctx context.Context, groupID string, single bool) error {
	r := tagGroupSettingRow{CorpID: s.corp, GroupID: groupID, SingleChoice: single}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"single_choice"})}).
		Create(&r).Error)
}
