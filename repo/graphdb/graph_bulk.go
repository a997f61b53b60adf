package graphdb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// LockCustomers inserts the customers not yet stored (with the profile given, if any), locks them
// in id order and loads them with every edge and its tags: four statements for any number of
// customers. Whether a profile replaces a stored one is the caller's decision (SaveCustomers).
func (s *Store) LockCustomers(ctx context.Context, customers []service.Customer) (map[string]*graph.CustomerState, error) {
	db := sqlstore.Conn(ctx, s.db)
	now := s.now()
	rows := make([]sqlstore.CustomerRow, len(customers))
	ids := make([]string, len(customers))
	for i, c := range customers {
		ids[i] = c.ExternalUserID
		rows[i] = customerRow(s.corp, c, now)
	}
	if len(rows) > 0 {
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
			return nil, sqlstore.Translate(err)
		}
	}
	rows = nil
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
			Remark: sqlstore.Clip(f.Remark, 255), Description: sqlstore.Clip(f.Description, 1024), AddWay: f.AddWay, OperUserID: f.OperUserID,
			RemarkMobiles: sqlstore.Clip(strings.Join(f.RemarkMobiles, ","), 255),
			DetailsAt:     timePtr(f.DetailsAt), TagsAt: timePtr(f.TagsAt)}
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
		cols := append(regs, "remark", "description", "remark_mobiles", "add_way", "oper_userid", "synced_at", "details_at", "tags_at")
		if err := db.Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&detailed).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	return s.retag(ctx, retag)
}

// retag makes the tags of the given edges their F.TagIDs, keeping the origin of the tags that stay.
func (s *Store) retag(ctx context.Context, writes []graph.EdgeWrite) error {
	edges := make([]sqlstore.EdgeTags, len(writes))
	for i, w := range writes {
		edges[i] = sqlstore.EdgeTags{UserID: w.F.UserID, ExternalUserID: w.F.ExternalUserID, TagIDs: w.F.TagIDs}
	}
	return sqlstore.SetEdgeTagsFromWeCom(ctx, s.db, s.corp, edges)
}

// SaveCustomers writes the profiles, profile versions, owners and reasons of locked customers in one statement.
func (s *Store) SaveCustomers(ctx context.Context, customers []service.Customer) error {
	if len(customers) == 0 {
		return nil
	}
	now := s.now()
	rows := make([]sqlstore.CustomerRow, len(customers))
	for i, c := range customers {
		rows[i] = customerRow(s.corp, c, now)
	}
	cols := []string{"unionid", "name", "avatar", "type", "gender", "corp_name", "profile_at", "owner_userid", "owner_reason", "updated_at"}
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Clauses(clause.OnConflict{DoUpdates: clause.AssignmentColumns(cols)}).Create(&rows).Error)
}

func customerRow(corp string, c service.Customer, now time.Time) sqlstore.CustomerRow {
	return sqlstore.CustomerRow{CorpID: corp, ExternalUserID: c.ExternalUserID, UnionID: c.UnionID, Name: sqlstore.Clip(c.Name, 255),
		Avatar: sqlstore.Clip(c.Avatar, 512), Type: c.Type, Gender: c.Gender, CorpName: sqlstore.Clip(c.CorpName, 255),
		OwnerUserID: c.OwnerUserID, OwnerReason: c.OwnerReason, ProfileAt: timePtr(c.ProfileAt), UpdatedAt: now}
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

// RecordActivities appends activity log rows in the caller's transaction (sqlstore.RecordActivities).
func (s *Store) RecordActivities(ctx context.Context, acts []service.Activity) error {
	return sqlstore.RecordActivities(ctx, s.db, s.corp, acts)
}
