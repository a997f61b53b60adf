package handoverdb

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm/clause"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

// Inherit writes completed transfers to the graph in a few set-based statements: it locks the
// customers (in key order, like the graph worker), moves the owner and appends ownership
// history where the graph has not already done so, tombstones the previous guide's edge and
// gives the taker an edge, with the previous remark, description and tags when CopyEdge is set.
func (s *Store) Inherit(ctx context.Context, in []handover.Inheritance) error {
	if len(in) == 0 {
		return nil
	}
	sort.Slice(in, func(i, j int) bool { return in[i].ExternalUserID < in[j].ExternalUserID })
	exts := make([]string, len(in))
	for i, x := range in {
		exts[i] = x.ExternalUserID
	}
	owners, err := s.lockCustomers(ctx, exts)
	if err != nil {
		return err
	}
	if err := s.moveOwners(ctx, in, owners); err != nil {
		return err
	}
	if err := s.tombstone(ctx, in); err != nil {
		return err
	}
	return s.takerEdges(ctx, in)
}

// lockCustomers makes sure each customer row exists, locks them and returns their owners.
func (s *Store) lockCustomers(ctx context.Context, exts []string) (map[string]string, error) {
	db := sqlstore.Conn(ctx, s.db)
	now := time.Now().UTC()
	rows := make([]sqlstore.CustomerRow, len(exts))
	for i, e := range exts {
		rows[i] = sqlstore.CustomerRow{CorpID: s.corp, ExternalUserID: e, UpdatedAt: now}
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 1000).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	q := db
	if sqlstore.IsMySQL(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var locked []sqlstore.CustomerRow
	if err := q.Where("corp_id = ? AND external_userid IN ?", s.corp, exts).Order("external_userid").Find(&locked).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make(map[string]string, len(locked))
	for _, r := range locked {
		out[r.ExternalUserID] = r.OwnerUserID
	}
	return out, nil
}

// moveOwners sets the taker as owner and appends history, unless the graph already moved it.
func (s *Store) moveOwners(ctx context.Context, in []handover.Inheritance, owners map[string]string) error {
	type owner struct{ to, reason string }
	byTo := map[owner][]string{}
	var hist []sqlstore.OwnershipRow
	var acts []service.Activity
	for _, x := range in {
		cur := owners[x.ExternalUserID]
		if cur == x.To {
			continue
		}
		from := cur
		if from == "" {
			from = x.From
		}
		k := owner{x.To, x.Reason}
		byTo[k] = append(byTo[k], x.ExternalUserID)
		hist = append(hist, sqlstore.OwnershipRow{CorpID: s.corp, ExternalUserID: x.ExternalUserID, FromUserID: from, ToUserID: x.To,
			Reason: x.Reason, Note: sqlstore.Clip(x.Note, 255), At: x.At.UTC()})
		acts = append(acts, inheritActivity(x, from))
	}
	db := sqlstore.Conn(ctx, s.db)
	for k, group := range byTo {
		if err := db.Model(&sqlstore.CustomerRow{}).Where("corp_id = ? AND external_userid IN ?", s.corp, group).
			Updates(map[string]any{"owner_userid": k.to, "owner_reason": k.reason, "updated_at": time.Now().UTC()}).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	if len(hist) == 0 {
		return nil
	}
	if err := db.CreateInBatches(&hist, 1000).Error; err != nil {
		return sqlstore.Translate(err)
	}
	return sqlstore.RecordActivities(ctx, s.db, s.corp, acts)
}

// inheritActivity is the taker's timeline row of a handover (an admin's case): transferred (在职转接)
// or inherited (离职继承) from the guide the customer came from.
func inheritActivity(x handover.Inheritance, from string) service.Activity {
	kind := service.ActivityCustomerInherited
	if x.Reason == service.OwnerTransferred {
		kind = service.ActivityCustomerTransferred
	}
	return service.Activity{At: x.At, Kind: kind, UserID: x.To, ExternalUserID: x.ExternalUserID, ActorKind: service.ActorAdmin,
		Ref: from, Detail: map[string]any{"note": x.Note}}
}

// tombstone closes the previous guide's edges as removed by transfer at the takeover time.
func (s *Store) tombstone(ctx context.Context, in []handover.Inheritance) error {
	type key struct {
		from string
		at   time.Time
	}
	groups := map[key][]string{}
	for _, x := range in {
		k := key{x.From, x.At.UTC()}
		groups[k] = append(groups[k], x.ExternalUserID)
	}
	for k, group := range groups {
		err := sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).
			Where("corp_id = ? AND userid = ? AND external_userid IN ? AND active = ? AND event_at <= ?", s.corp, k.from, group, true, k.at).
			Updates(map[string]any{"active": false, "removed_at": k.at, "removed_by": service.RemovedByTransfer, "event_at": k.at}).Error
		if err != nil {
			return sqlstore.Translate(err)
		}
	}
	return nil
}

// takerEdges gives each taker an active edge (WeCom's add_way 202, assigned by admin) and,
// with CopyEdge, the previous remark, description and tags where the taker has none of their own.
func (s *Store) takerEdges(ctx context.Context, in []handover.Inheritance) error {
	db := sqlstore.Conn(ctx, s.db)
	prev := map[string]service.Follow{}
	if in[0].CopyEdge {
		var err error
		if prev, err = s.edgesOf(ctx, in); err != nil {
			return err
		}
	}
	existing, err := s.existingEdges(ctx, in)
	if err != nil {
		return err
	}
	var rows []sqlstore.FollowRow
	var tags []sqlstore.FollowTagRow
	for _, x := range in {
		p := prev[x.ExternalUserID]
		if e, ok := existing[x.To+"\x00"+x.ExternalUserID]; ok {
			if e.Remark == "" && e.Description == "" && (p.Remark != "" || p.Description != "") {
				if err := s.fillRemark(ctx, x, p); err != nil {
					return err
				}
			}
		}
		at := x.At.UTC()
		rows = append(rows, sqlstore.FollowRow{CorpID: s.corp, UserID: x.To, ExternalUserID: x.ExternalUserID, Remark: sqlstore.Clip(p.Remark, 255),
			Description: sqlstore.Clip(p.Description, 1024), AddWay: 202, State: p.State, OperUserID: x.To, AddedAt: &at, Active: true, EventAt: at})
		for _, t := range p.TagIDs {
			tags = append(tags, sqlstore.FollowTagRow{CorpID: s.corp, UserID: x.To, ExternalUserID: x.ExternalUserID, TagID: t})
		}
	}
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&rows, 1000).Error; err != nil {
		return sqlstore.Translate(err)
	}
	if len(tags) > 0 {
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(&tags, 1000).Error; err != nil {
			return sqlstore.Translate(err)
		}
	}
	return nil
}

// edgesOf reads each previous guide's edge to the customers.
func (s *Store) edgesOf(ctx context.Context, in []handover.Inheritance) (map[string]service.Follow, error) {
	byFrom := map[string][]string{}
	for _, x := range in {
		byFrom[x.From] = append(byFrom[x.From], x.ExternalUserID)
	}
	out := map[string]service.Follow{}
	for from, exts := range byFrom {
		m, err := s.EdgeDetails(ctx, from, exts)
		if err != nil {
			return nil, err
		}
		for k, v := range m {
			out[k] = v
		}
	}
	return out, nil
}

// existingEdges reads the takers' current edges to the customers, keyed taker+"\x00"+customer.
func (s *Store) existingEdges(ctx context.Context, in []handover.Inheritance) (map[string]sqlstore.FollowRow, error) {
	exts := make([]string, len(in))
	for i, x := range in {
		exts[i] = x.ExternalUserID
	}
	var rows []sqlstore.FollowRow
	if err := sqlstore.Conn(ctx, s.db).Where("corp_id = ? AND external_userid IN ?", s.corp, exts).Find(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make(map[string]sqlstore.FollowRow, len(rows))
	for _, r := range rows {
		out[r.UserID+"\x00"+r.ExternalUserID] = r
	}
	return out, nil
}

// fillRemark copies remark and description onto a taker edge that has none of its own.
func (s *Store) fillRemark(ctx context.Context, x handover.Inheritance, p service.Follow) error {
	return sqlstore.Translate(sqlstore.Conn(ctx, s.db).Model(&sqlstore.FollowRow{}).
		Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, x.To, x.ExternalUserID).
		Updates(map[string]any{"remark": sqlstore.Clip(p.Remark, 255), "description": sqlstore.Clip(p.Description, 1024)}).Error)
}
