package sidebardb

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// Store implements sidebar.Store: the reads behind the guide sidebar's cards,
// each a single indexed query, plus tag edits and shares.
type Store struct {
	db   *gorm.DB
	corp string
	now  func() time.Time
}

var _ sidebar.Store = (*Store)(nil)

// New returns the sidebar store of corpID.
func New(db *gorm.DB, corpID string) *Store {
	return &Store{db: db, corp: corpID, now: func() time.Time { return time.Now().UTC() }}
}

type edgeViewRow struct {
	F             sqlstore.FollowRow `gorm:"embedded"`
	RemarkMobiles *string
	GuideName     *string
	GuideStatus   *string
	GuideStoreID  *int64
	EdgeTags      *string
}

// edgesQuery selects every edge to a customer with its guide and the edge's tag ids
// (idx_follows_customer, the guides PK, and the follow_tags PK per edge).
func (s *Store) edgesQuery(ctx context.Context, extID string) *gorm.DB {
	return sqlstore.Conn(ctx, s.db).Table("follows f").
		Select("f.*, g.name AS guide_name, g.status AS guide_status, g.store_id AS guide_store_id, "+
			"(SELECT GROUP_CONCAT(ft.tag_id) FROM follow_tags ft WHERE ft.corp_id = f.corp_id AND ft.userid = f.userid "+
			"AND ft.external_userid = f.external_userid) AS edge_tags").
		Joins("LEFT JOIN guides g ON g.corp_id = f.corp_id AND g.userid = f.userid").
		Where("f.corp_id = ? AND f.external_userid = ?", s.corp, extID).Order("f.added_at, f.userid")
}

func toFollowerView(r edgeViewRow) sidebar.FollowerView {
	v := sidebar.FollowerView{Follow: sqlstore.ToFollow(r.F), Guide: sbGuideRef(r.F.UserID, r.GuideName, r.GuideStatus, r.GuideStoreID)}
	if r.EdgeTags != nil && *r.EdgeTags != "" {
		v.TagIDs = strings.Split(*r.EdgeTags, ",")
	}
	if r.RemarkMobiles != nil && *r.RemarkMobiles != "" {
		v.RemarkMobiles = strings.Split(*r.RemarkMobiles, ",")
	}
	return v
}

// CustomerEdges lists every edge to a customer with its guide and tag ids, in one query.
func (s *Store) CustomerEdges(ctx context.Context, extID string) ([]sidebar.FollowerView, error) {
	var rows []edgeViewRow
	if err := s.edgesQuery(ctx, extID).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]sidebar.FollowerView, len(rows))
	for i, r := range rows {
		out[i] = toFollowerView(r)
	}
	return out, nil
}

func sbGuideRef(id string, name, status *string, store *int64) sidebar.GuideRef {
	g := sidebar.GuideRef{UserID: id, Name: id}
	if name != nil && *name != "" {
		g.Name = *name
	}
	if status != nil {
		g.Resigned = *status == service.GuideResigned
	}
	if store != nil {
		g.StoreID = *store
	}
	return g
}

type customerOwnerRow struct {
	C           sqlstore.CustomerRow `gorm:"embedded"`
	OwnerName   *string
	OwnerStatus *string
}

// CustomerWithOwner reads the customer and the owner's name.
func (s *Store) CustomerWithOwner(ctx context.Context, extID string) (service.Customer, *sidebar.GuideRef, error) {
	var rows []customerOwnerRow
	err := sqlstore.Conn(ctx, s.db).Table("customers c").Select("c.*, g.name AS owner_name, g.status AS owner_status").
		Joins("LEFT JOIN guides g ON g.corp_id = c.corp_id AND g.userid = c.owner_userid").
		Where("c.corp_id = ? AND c.external_userid = ?", s.corp, extID).Limit(1).Scan(&rows).Error
	if err != nil {
		return service.Customer{}, nil, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return service.Customer{}, nil, service.ErrNotFound
	}
	c := sqlstore.ToCustomer(rows[0].C)
	if c.OwnerUserID == "" {
		return c, nil, nil
	}
	g := sbGuideRef(c.OwnerUserID, rows[0].OwnerName, rows[0].OwnerStatus, nil)
	return c, &g, nil
}

type cardTagRow struct {
	TagID  string
	Origin string
	Rule   *string
	OnEdge bool
}

// CardTags returns an edge's tags with their origins and rules (the follow_tags primary key, the
// rules by id), then the rule tags of the customer (the customer_auto_tags primary key) the edge lacks.
func (s *Store) CardTags(ctx context.Context, userID, extID string) ([]service.Tag, error) {
	var rows []cardTagRow
	err := sqlstore.Conn(ctx, s.db).Raw(`SELECT ft.tag_id, ft.origin, r.name AS rule, 1 AS on_edge FROM follow_tags ft
  LEFT JOIN autotag_rules r ON ft.rule_id <> 0 AND r.id = ft.rule_id AND r.corp_id = ft.corp_id
  WHERE ft.corp_id = ? AND ft.userid = ? AND ft.external_userid = ?
UNION ALL
SELECT a.tag_id, ?, r.name, 0 FROM customer_auto_tags a
  JOIN autotag_rules r ON r.id = a.rule_id AND r.corp_id = a.corp_id
  WHERE a.corp_id = ? AND a.external_userid = ?`, s.corp, userID, extID, service.TagFromRule, s.corp, extID).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]service.Tag, 0, len(rows))
	seen := map[string]bool{}
	for _, r := range rows { // the edge's first: a rule's tag the edge has is shown as the edge has it
		if r.OnEdge && !seen[r.TagID] {
			seen[r.TagID] = true
			out = append(out, service.Tag{TagID: r.TagID, Origin: r.Origin, Rule: sbStr(r.Rule), OnEdge: true})
		}
	}
	for _, r := range rows {
		if !r.OnEdge && !seen[r.TagID] {
			seen[r.TagID] = true
			out = append(out, service.Tag{TagID: r.TagID, Origin: r.Origin, Rule: sbStr(r.Rule)})
		}
	}
	return out, nil
}

type lastHandoverRow struct {
	H               sqlstore.OwnershipRow `gorm:"embedded"`
	FromName        *string
	FromStatus      *string
	FromRemark      *string
	FromDescription *string
}

// LastHandover is the newest inherited or transferred ownership change to toUserID, with the previous
// guide's name and their remark and description on the customer (their edge stays as a tombstone).
func (s *Store) LastHandover(ctx context.Context, extID, toUserID string) (*sidebar.HandoverLine, error) {
	var rows []lastHandoverRow
	err := sqlstore.Conn(ctx, s.db).Table("ownership_history h").
		Select("h.*, g.name AS from_name, g.status AS from_status, f.remark AS from_remark, f.description AS from_description").
		Joins("LEFT JOIN guides g ON g.corp_id = h.corp_id AND g.userid = h.from_userid").
		Joins("LEFT JOIN follows f ON f.corp_id = h.corp_id AND f.userid = h.from_userid AND f.external_userid = h.external_userid").
		Where("h.corp_id = ? AND h.external_userid = ? AND h.to_userid = ? AND h.reason IN ?", s.corp, extID, toUserID,
			[]string{service.OwnerInherited, service.OwnerTransferred}).
		Where("h.from_userid <> ''").Order("h.id DESC").Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	return &sidebar.HandoverLine{From: sbGuideRef(r.H.FromUserID, r.FromName, r.FromStatus, nil), Reason: r.H.Reason, At: r.H.At,
		Remark: sbStr(r.FromRemark), Description: sbStr(r.FromDescription), Note: r.H.Note}, nil
}

func sbStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
