package graphdb

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
)

type groupMemberRow struct {
	CorpID    string `gorm:"primaryKey"`
	ChatID    string `gorm:"primaryKey"`
	MemberID  string `gorm:"primaryKey"`
	Type      int
	JoinTime  *time.Time
	JoinScene int
	Name      string
	UnionID   string `gorm:"column:unionid"`
}

func (groupMemberRow) TableName() string { return "group_members" }

// SaveGroup writes a group snapshot and replaces the member list with its members, unless the
// stored snapshot was read at or after g.DetailsAt. The group's row (inserted bare if new) is locked
// first, so snapshots of one group are compared and written one at a time.
func (s *Store) SaveGroup(ctx context.Context, g service.Group) error {
	db := sqlstore.Conn(ctx, s.db)
	now := s.now()
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&sqlstore.GroupRow{CorpID: s.corp, ChatID: g.ChatID, UpdatedAt: now}).Error; err != nil {
		return sqlstore.Translate(err)
	}
	q := db
	if sqlstore.IsMySQL(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var stored sqlstore.GroupRow
	if err := q.Select("details_at").Where("corp_id = ? AND chat_id = ?", s.corp, g.ChatID).Take(&stored).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if stored.DetailsAt != nil && !g.DetailsAt.After(*stored.DetailsAt) {
		return nil // a newer snapshot is stored
	}
	row := sqlstore.GroupRow{CorpID: s.corp, ChatID: g.ChatID, Name: g.Name, OwnerUserID: g.OwnerUserID, Notice: g.Notice,
		CreatedAt: timePtr(g.CreatedAt), MemberVersion: g.MemberVersion, DetailsAt: timePtr(g.DetailsAt), UpdatedAt: now}
	cols := []string{"name", "owner_userid", "notice", "created_at", "member_version", "details_at", "updated_at"}
	if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&row).Error; err != nil {
		return sqlstore.Translate(err)
	}
	var before []string
	if err := db.Model(&groupMemberRow{}).Where("corp_id = ? AND chat_id = ? AND type = ?", s.corp, g.ChatID, externalMember).
		Pluck("member_id", &before).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if err := sqlstore.RecordActivities(ctx, s.db, s.corp, memberActivities(g, before)); err != nil {
		return err
	}
	if err := db.Where("corp_id = ? AND chat_id = ?", s.corp, g.ChatID).Delete(&groupMemberRow{}).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if len(g.Members) == 0 {
		return nil
	}
	rows := make([]groupMemberRow, len(g.Members))
	for i, m := range g.Members {
		rows[i] = groupMemberRow{CorpID: s.corp, ChatID: g.ChatID, MemberID: m.MemberID, Type: m.Type,
			JoinTime: timePtr(m.JoinTime), JoinScene: m.JoinScene, Name: sqlstore.Clip(m.Name, 255), UnionID: m.UnionID}
	}
	return sqlstore.Translate(db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 500).Error)
}

// GroupMemberVersion reads the member_version stored with a group.
func (s *Store) GroupMemberVersion(ctx context.Context, chatID string) (string, error) {
	var v []string
	if err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.GroupRow{}).Where("corp_id = ? AND chat_id = ?", s.corp, chatID).
		Limit(1).Pluck("member_version", &v).Error; err != nil {
		return "", sqlstore.Translate(err)
	}
	if len(v) == 0 {
		return "", service.ErrNotFound
	}
	return v[0], nil
}

// DismissGroup records that a group was dismissed (a tombstone; creating the row if unknown).
func (s *Store) DismissGroup(ctx context.Context, chatID string, at time.Time) error {
	t := at.UTC()
	row := sqlstore.GroupRow{CorpID: s.corp, ChatID: chatID, DismissedAt: &t, UpdatedAt: s.now()}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns([]string{"dismissed_at", "updated_at"})}).Create(&row).Error)
}

// GetGroup reads a group and its members.
func (s *Store) GetGroup(ctx context.Context, chatID string) (service.Group, error) {
	var row sqlstore.GroupRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND chat_id = ?", s.corp, chatID).Take(&row).Error; err != nil {
		return service.Group{}, sqlstore.Translate(err)
	}
	var ms []groupMemberRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND chat_id = ?", s.corp, chatID).Order("member_id").Find(&ms).Error; err != nil {
		return service.Group{}, sqlstore.Translate(err)
	}
	g := service.Group{ChatID: row.ChatID, Name: row.Name, OwnerUserID: row.OwnerUserID, Notice: row.Notice,
		MemberVersion: row.MemberVersion, DismissedAt: row.DismissedAt, DetailsAt: sqlstore.Deref(row.DetailsAt)}
	if row.CreatedAt != nil {
		g.CreatedAt = *row.CreatedAt
	}
	for _, m := range ms {
		gm := service.GroupMember{MemberID: m.MemberID, Type: m.Type, JoinScene: m.JoinScene, Name: m.Name, UnionID: m.UnionID}
		if m.JoinTime != nil {
			gm.JoinTime = *m.JoinTime
		}
		g.Members = append(g.Members, gm)
	}
	return g, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// externalMember is group_members.type of a customer (WeCom's member type 2).
const externalMember = 2

// memberActivities are the customers who joined (at their join time) or left (at the read) the group
// between the stored member list and the snapshot g, for the group owner's timeline.
func memberActivities(g service.Group, before []string) []service.Activity {
	had := make(map[string]bool, len(before))
	for _, id := range before {
		had[id] = true
	}
	detail := map[string]any{"group": g.Name}
	var out []service.Activity
	for _, m := range g.Members {
		if m.Type != externalMember {
			continue
		}
		if had[m.MemberID] {
			delete(had, m.MemberID)
			continue
		}
		at := m.JoinTime
		if at.IsZero() {
			at = g.DetailsAt
		}
		out = append(out, service.Activity{At: at, Kind: service.ActivityGroupJoined, UserID: g.OwnerUserID, ExternalUserID: m.MemberID,
			ActorKind: service.ActorWeCom, Ref: g.ChatID, Detail: detail})
	}
	for _, id := range before {
		if had[id] {
			out = append(out, service.Activity{At: g.DetailsAt, Kind: service.ActivityGroupLeft, UserID: g.OwnerUserID, ExternalUserID: id,
				ActorKind: service.ActorWeCom, Ref: g.ChatID, Detail: detail})
		}
	}
	return out
}
