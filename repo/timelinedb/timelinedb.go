// Package timelinedb implements timeline.Store with gorm: a customer's activity log rows, newest first,
// one query per page on idx_activity_customer with the names joined by primary key.
package timelinedb

import (
	"context"

	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/timeline"
)

// Store implements timeline.Store for one corp.
type Store struct {
	db   *gorm.DB
	corp string
}

var _ timeline.Store = (*Store)(nil)

// New returns the timeline store of corpID.
func New(db *gorm.DB, corpID string) *Store { return &Store{db: db, corp: corpID} }

// Followed reads the edge (the follows primary key), active or not.
func (s *Store) Followed(ctx context.Context, userID, extID string) (bool, error) {
	var n []int
	err := sqlstore.Conn(ctx, s.db).Table("follows").Select("1").
		Where("corp_id = ? AND userid = ? AND external_userid = ?", s.corp, userID, extID).Limit(1).Scan(&n).Error
	return len(n) > 0, sqlstore.Translate(err)
}

type pageRow struct {
	A           sqlstore.ActivityRow `gorm:"embedded"`
	GuideName   *string
	GuideStatus *string
	ActorName   *string
	FromName    *string
	ChannelName *string
}

// Page reads one page: a backward range scan of idx_activity_customer from the cursor (occurred_at
// <= the cursor's, then the row-value tie on id written as an OR the range keeps), with the row's
// guide, acting guide, the guide a handover came from and the add's channel joined by primary key.
func (s *Store) Page(ctx context.Context, extID string, after *timeline.Cursor, limit int) ([]timeline.Row, error) {
	q := sqlstore.Conn(ctx, s.db).Table("activity_log a").
		Select("a.*, g.name AS guide_name, g.status AS guide_status, ga.name AS actor_name, gf.name AS from_name, ch.name AS channel_name").
		Joins("LEFT JOIN guides g ON g.corp_id = a.corp_id AND g.userid = a.guide_userid").
		Joins("LEFT JOIN guides ga ON ga.corp_id = a.corp_id AND ga.userid = a.actor_id AND a.actor_kind IN ?",
			[]string{service.ActorGuide, service.ActorAdmin}).
		Joins("LEFT JOIN guides gf ON gf.corp_id = a.corp_id AND gf.userid = a.ref AND a.kind IN ?",
			[]string{service.ActivityCustomerTransferred, service.ActivityCustomerInherited}).
		Joins("LEFT JOIN wb_channels ch ON ch.corp_id = a.corp_id AND ch.state = a.ref AND a.kind = ?", service.ActivityCustomerAdded).
		Where("a.corp_id = ? AND a.external_userid = ?", s.corp, extID)
	if after != nil {
		at := after.At.UTC()
		q = q.Where("a.occurred_at <= ? AND (a.occurred_at < ? OR a.id < ?)", at, at, after.ID)
	}
	var rows []pageRow
	if err := q.Order("a.occurred_at DESC, a.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make([]timeline.Row, len(rows))
	for i, r := range rows {
		a := r.A
		out[i] = timeline.Row{Activity: service.Activity{ID: a.ID, At: a.OccurredAt.UTC(), Kind: a.Kind, UserID: a.GuideUserID,
			ExternalUserID: a.ExternalUserID, ActorKind: a.ActorKind, ActorID: a.ActorID, Ref: a.Ref, Detail: sqlstore.DecodeDetail(a.Detail)},
			GuideName: deref(r.GuideName), GuideResigned: deref(r.GuideStatus) == service.GuideResigned, ActorName: deref(r.ActorName),
			FromName: deref(r.FromName), ChannelName: deref(r.ChannelName)}
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
