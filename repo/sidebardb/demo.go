package sidebardb

import (
	"context"

	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

type demoEdgeRow struct {
	UserID         string `gorm:"column:userid"`
	ExternalUserID string `gorm:"column:external_userid"`
	Name           string
	Active         bool
}

type demoGroupRow struct {
	ChatID      string
	Name        string
	OwnerUserID string `gorm:"column:owner_userid"`
	MemberID    string
}

// DemoDirectory lists active guides with up to perGuide customers and groups each, for the demo picker.
// It reads whole tables and is meant for the small demo corp only.
func (s *Store) DemoDirectory(ctx context.Context, perGuide int) ([]sidebar.DemoGuide, error) {
	guides, err := graphdb.New(s.db, s.corp).ListGuides(ctx, 0)
	if err != nil {
		return nil, err
	}
	var edges []demoEdgeRow
	if err := sqlstore.Conn(ctx, s.db).Table("follows f").Select("f.userid, f.external_userid, c.name, f.active").
		Joins("JOIN customers c ON c.corp_id = f.corp_id AND c.external_userid = f.external_userid").
		Where("f.corp_id = ?", s.corp).Order("f.userid, f.active DESC, c.name").Limit(5000).Scan(&edges).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	var groups []demoGroupRow
	if err := sqlstore.Conn(ctx, s.db).Table("group_chats g").Select("g.chat_id, g.name, g.owner_userid, m.member_id").
		Joins("JOIN group_members m ON m.corp_id = g.corp_id AND m.chat_id = g.chat_id AND m.type = 1").
		Where("g.corp_id = ? AND g.dismissed_at IS NULL", s.corp).Order("g.name").Limit(5000).Scan(&groups).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	var out []sidebar.DemoGuide
	for _, g := range guides {
		if g.Status == service.GuideResigned {
			continue
		}
		d := sidebar.DemoGuide{Guide: sidebar.GuideRef{UserID: g.UserID, Name: g.Name, StoreID: g.StoreID}}
		for _, e := range edges {
			if e.UserID == g.UserID && len(d.Customers) < perGuide {
				d.Customers = append(d.Customers, sidebar.DemoContact{ID: e.ExternalUserID, Name: e.Name, Owner: g.UserID, Lost: !e.Active})
			}
		}
		for _, gr := range groups {
			if gr.MemberID == g.UserID && len(d.Groups) < perGuide {
				d.Groups = append(d.Groups, sidebar.DemoContact{ID: gr.ChatID, Name: gr.Name, Owner: gr.OwnerUserID})
			}
		}
		out = append(out, d)
	}
	return out, nil
}
