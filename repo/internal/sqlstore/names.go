package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/service"
)

// AuditRow is an admin_audit row: one admin write, with its target, the target's store and the
// actor's scope. Handover writes them; the access domain reads them.
type AuditRow struct {
	ID      int64 `gorm:"primaryKey"`
	CorpID  string
	Actor   string
	Action  string
	Target  string
	CaseID  int64
	StoreID int64
	Scope   string
	Detail  string
	At      time.Time
}

func (AuditRow) TableName() string { return "admin_audit" }

// GuideNames reads the names, stores (with their names) and statuses of guides; unknown userids are
// left out.
func GuideNames(ctx context.Context, db *gorm.DB, corp string, userIDs []string) (map[string]service.GuideName, error) {
	out := make(map[string]service.GuideName, len(userIDs))
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID    string `gorm:"column:userid"`
		Name      string
		StoreID   int64
		StoreName string
		Status    string
	}
	err := Conn(ctx, db).Table("guides g").Select("g.userid, g.name, g.store_id, COALESCE(s.name, '') AS store_name, g.status").
		Joins("LEFT JOIN stores s ON s.corp_id = g.corp_id AND s.id = g.store_id").
		Where("g.corp_id = ? AND g.userid IN ?", corp, dedupe(userIDs)).Scan(&rows).Error
	for _, r := range rows {
		out[r.UserID] = service.GuideName{UserID: r.UserID, Name: r.Name, StoreID: r.StoreID, StoreName: r.StoreName, Status: r.Status}
	}
	return out, Translate(err)
}

// CustomerNames reads customers' names and avatars; unknown ids are left out.
func CustomerNames(ctx context.Context, db *gorm.DB, corp string, ids []string) (map[string]service.ContactName, error) {
	out := make(map[string]service.ContactName, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []CustomerRow
	err := Conn(ctx, db).Select("external_userid, name, avatar").Where("corp_id = ? AND external_userid IN ?", corp, dedupe(ids)).Find(&rows).Error
	for _, r := range rows {
		out[r.ExternalUserID] = service.ContactName{ID: r.ExternalUserID, Name: r.Name, Avatar: r.Avatar}
	}
	return out, Translate(err)
}

// GroupNames reads customer groups' names; unknown chat ids are left out.
func GroupNames(ctx context.Context, db *gorm.DB, corp string, ids []string) (map[string]service.ContactName, error) {
	out := make(map[string]service.ContactName, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []GroupRow
	err := Conn(ctx, db).Select("chat_id, name").Where("corp_id = ? AND chat_id IN ?", corp, dedupe(ids)).Find(&rows).Error
	for _, r := range rows {
		out[r.ChatID] = service.ContactName{ID: r.ChatID, Name: r.Name}
	}
	return out, Translate(err)
}

// StoreNames reads stores' names; unknown ids are left out.
func StoreNames(ctx context.Context, db *gorm.DB, corp string, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID   int64
		Name string
	}
	err := Conn(ctx, db).Table("stores").Select("id, name").Where("corp_id = ? AND id IN ?", corp, ids).Scan(&rows).Error
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, Translate(err)
}

func dedupe(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// LikeEscape is the ESCAPE clause Like's patterns need; "!" reads the same on MySQL and SQLite, where a
// backslash would not.
const LikeEscape = " ESCAPE '!'"

// Like is a LIKE pattern (used with LikeEscape) that finds s anywhere, lower-cased for a match against
// LOWER(column): the tables' binary collation makes LIKE case-sensitive on MySQL.
func Like(s string) string {
	r := make([]rune, 0, len(s)+2)
	r = append(r, '%')
	for _, c := range strings.ToLower(s) {
		if c == '%' || c == '_' || c == '!' {
			r = append(r, '!')
		}
		r = append(r, c)
	}
	return string(append(r, '%'))
}

// AppendAudit writes one admin action to admin_audit (in the transaction on ctx, if any).
func AppendAudit(ctx context.Context, db *gorm.DB, corp string, a service.AuditEntry) error {
	row := AuditRow{CorpID: corp, Actor: Clip(a.Actor, 64), Action: Clip(a.Action, 32), Target: Clip(a.Target, 128), StoreID: a.StoreID,
		Scope: Clip(a.Scope, 255), Detail: Clip(a.Detail, 1000), At: a.At.UTC()}
	return Translate(Conn(ctx, db).Create(&row).Error)
}
