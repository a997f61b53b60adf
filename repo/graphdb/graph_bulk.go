package graphdb

import (
	"context"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// LockCustomers writes WeCom's profiles (insert-only placeholders for the rest), locks the customers
// in id order and loads every edge to them with tags: four statements for any number of customers.
func (s *Store) LockCustomers(ctx context.Context, customers []service.Customer) (map[string]*graph.CustomerState, error) {
	db := sqlstore.Conn(ctx, s.db)
	now := s.now()
	var known, bare []sqlstore.CustomerRow
	ids := make([]string, len(customers))
	for i, c := range customers {
		ids[i] = c.ExternalUserID
		row := sqlstore.CustomerRow{CorpID: s.corp, ExternalUserID: c.ExternalUserID, UnionID: c.UnionID, Name: c.Name, Avatar: c.Avatar,
			Type: c.Type, Gender: c.Gender, CorpName: c.CorpName, UpdatedAt: now}
		if c.Name == "" && c.UnionID == "" {
			bare = append(bare, row)
		} else {
			known = append(known, row)
		}
	}
	if len(known) > 0 {
		cols := []string{"unionid", "name", "avatar", "type", "gender", "corp_name", "updated_at"}
		if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&known).Error; err != nil {
			return nil, sqlstore.Translate(err)
		}
	}
	if len(bare) > 0 {
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&bare).Error; err != nil {
			return nil, sqlstore.Translate(err)
		}
	}
	var rows []sqlstore.CustomerRow
	q := db
	if sqlstore.IsMySQL(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("corp_id = ? AND external_userid IN ?", s.corp, ids).Order("external_userid").Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make(map[string]*graph.CustomerState, len(rows))
	for _, r := range rows {
		out[r.ExternalUserID] = &graph.CustomerState{Customer: sqlstore.ToCustomer(r)}
	}
	return out, s.loadEdges(ctx, ids, out)
}

// loadEdges fills each state with its edges and their tags (the customer locks are held).
func (s *Store) loadEdges(ctx context.Context, ids []string, out map[string]*graph.CustomerState) error {
	db := sqlstore.Conn(ctx, s.db)
	var edges []sqlstore.FollowRow
	if err := db.Where("corp_id = ? AND external_userid IN ?", s.corp, ids).Order("external_userid, userid").Find(&edges).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if len(edges) == 0 {
		return nil
	}
	var tags []sqlstore.FollowTagRow
	if err := db.Where("corp_id = ? AND external_userid IN ?", s.corp, ids).Order("tag_id").Find(&tags).Error; err != nil {
		return sqlstore.Translate(err)
	}
	byEdge := map[[2]string][]string{}
	for _, t := range tags {
		k := [2]string{t.UserID, t.ExternalUserID}
		byEdge[k] = append(byEdge[k], t.TagID)
	}
	for _, e := range edges {
		if st := out[e.ExternalUserID]; st != nil {
			f := sqlstore.ToFollow(e)
			f.TagIDs = byEdge[[2]string{e.UserID, e.ExternalUserID}]
			st.Edges = append(st.Edges, f)
		}
	}
	return nil
}

// SaveEdges upserts edges in two statements (with and without WeCom's details) and replaces
// the tags of the edges whose tags changed.
func (s *Store) SaveEdges(ctx context.Context, writes []graph.EdgeWrite) error {
	db := sqlstore.Conn(ctx, s.db)
	now := s.now()
	var plain, detailed []sqlstore.FollowRow
	var retag []graph.EdgeWrite
	for _, w := range writes {
		f := w.F
		row := sqlstore.FollowRow{CorpID: s.corp, UserID: f.UserID, ExternalUserID: f.ExternalUserID, State: f.State, Active: f.Active,
			AddedAt: timePtr(f.AddedAt), RemovedAt: sqlstore.UTCPtr(f.RemovedAt), RemovedBy: f.RemovedBy, EventAt: f.EventAt.UTC(),
			Remark: sqlstore.Clip(f.Remark, 255), Description: sqlstore.Clip(f.Description, 1024), AddWay: f.AddWay, OperUserID: f.OperUserID}
		if w.D == nil {
			plain = append(plain, row)
			continue
		}
		row.SyncedAt = &now
		detailed = append(detailed, row)
		if w.TagsChanged {
			retag = append(retag, w)
		}
	}
	regs := []string{"state", "added_at", "active", "removed_at", "removed_by", "event_at"}
	if len(plain) > 0 {
		if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(regs)}).Create(&plain).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	if len(detailed) > 0 {
		cols := append(regs, "remark", "description", "add_way", "oper_userid", "synced_at")
		if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&detailed).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	return s.retag(ctx, retag)
}

// retag replaces the tags of the given edges.
func (s *Store) retag(ctx context.Context, writes []graph.EdgeWrite) error {
	db := sqlstore.Conn(ctx, s.db)
	var rows []sqlstore.FollowTagRow
	for _, w := range writes {
		if err := db.Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, w.F.UserID, w.F.ExternalUserID).
			Delete(&sqlstore.FollowTagRow{}).Error; err != nil {
			return sqlstore.Translate(err)
		}
		seen := map[string]bool{}
		for _, t := range w.D.TagIDs {
			if t != "" && !seen[t] {
				seen[t] = true
				rows = append(rows, sqlstore.FollowTagRow{CorpID: s.corp, UserID: w.F.UserID, ExternalUserID: w.F.ExternalUserID, TagID: t})
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return sqlstore.Translate(db.Create(&rows).Error)
}

// SetOwners writes owners and reasons of existing customers in one statement.
func (s *Store) SetOwners(ctx context.Context, customers []service.Customer) error {
	if len(customers) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]sqlstore.CustomerRow, len(customers))
	for i, c := range customers {
		rows[i] = sqlstore.CustomerRow{CorpID: s.corp, ExternalUserID: c.ExternalUserID, OwnerUserID: c.OwnerUserID, OwnerReason: c.OwnerReason, UpdatedAt: now}
	}
	cols := []string{"owner_userid", "owner_reason", "updated_at"}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&rows).Error)
}

// AppendOwnerships appends history rows in one statement.
func (s *Store) AppendOwnerships(ctx context.Context, changes []graph.OwnershipChange) error {
	if len(changes) == 0 {
		return nil
	}
	rows := make([]sqlstore.OwnershipRow, len(changes))
	for i, ch := range changes {
		rows[i] = sqlstore.OwnershipRow{CorpID: s.corp, ExternalUserID: ch.ExternalUserID, FromUserID: ch.FromUserID, ToUserID: ch.ToUserID,
			Reason: ch.Reason, Note: sqlstore.Clip(ch.Note, 255), At: ch.At.UTC()}
	}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Create(&rows).Error)
}

// ActiveAmong returns which of the given customers the guide follows now.
func (s *Store) ActiveAmong(ctx context.Context, userID string, extIDs []string) ([]string, error) {
	var ids []string
	err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).Where("corp_id = ? AND userid = ? AND external_userid IN ? AND active = ?", s.corp, userID, extIDs, true).
		Pluck("external_userid", &ids).Error
	return ids, sqlstore.Translate(err)
}
