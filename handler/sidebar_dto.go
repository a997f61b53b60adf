package handler

import (
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// Response DTOs of the sidebar API; sidebar-ui/src/api/types.ts mirrors them.

type guideDTO struct {
	UserID   string `json:"userid"`
	Name     string `json:"name"`
	Resigned bool   `json:"resigned"`
}

type customerDTO struct {
	ExternalUserID string `json:"external_userid"`
	Name           string `json:"name"`
	Avatar         string `json:"avatar"`
	Type           int    `json:"type"`
	Gender         int    `json:"gender"`
	CorpName       string `json:"corp_name"`
}

type edgeDTO struct {
	Remark      string     `json:"remark"`
	Description string     `json:"description"`
	AddWay      int        `json:"add_way"`
	State       string     `json:"state"`
	AddedAt     *time.Time `json:"added_at"`
	Active      bool       `json:"active"`
	RemovedAt   *time.Time `json:"removed_at"`
	RemovedBy   string     `json:"removed_by"`
}

type tagDTO struct {
	TagID string `json:"tag_id"`
	Name  string `json:"name"`
}

type tagGroupDTO struct {
	GroupID string   `json:"group_id"`
	Name    string   `json:"name"`
	Tags    []tagDTO `json:"tags"`
}

type followerDTO struct {
	guideDTO
	AddedAt *time.Time `json:"added_at"`
}

type handoverDTO struct {
	From        guideDTO  `json:"from"`
	Reason      string    `json:"reason"`
	At          time.Time `json:"at"`
	Remark      string    `json:"remark"`
	Description string    `json:"description"`
	Note        string    `json:"note"`
}

type productDTO struct {
	ProductID   string `json:"product_id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	PriceCents  int64  `json:"price_cents"`
	ImageURL    string `json:"image_url"`
	LinkURL     string `json:"link_url"`
}

type recommendationDTO struct {
	Product      productDTO `json:"product"`
	Reason       string     `json:"reason"`
	LastSharedAt *time.Time `json:"last_shared_at"`
}

type shareDTO struct {
	ID             int64     `json:"id"`
	ProductID      string    `json:"product_id"`
	ExternalUserID string    `json:"external_userid,omitempty"`
	ChatID         string    `json:"chat_id,omitempty"`
	MsgType        string    `json:"msgtype"`
	SharedAt       time.Time `json:"shared_at"`
}

type orderDTO struct {
	OrderID     string    `json:"order_id"`
	Title       string    `json:"title"`
	AmountCents int64     `json:"amount_cents"`
	PaidAt      time.Time `json:"paid_at"`
}

type cardResponse struct {
	Customer        customerDTO         `json:"customer"`
	Edge            edgeDTO             `json:"edge"`
	Lost            bool                `json:"lost"`
	Incomplete      bool                `json:"incomplete"` // details not read from WeCom yet
	Tags            []tagGroupDTO       `json:"tags"`
	Followers       []followerDTO       `json:"followers"`
	Owner           *guideDTO           `json:"owner"`
	Handover        *handoverDTO        `json:"handover"`
	Orders          []orderDTO          `json:"orders"`
	OrdersEnabled   bool                `json:"orders_enabled"`
	Recommendations []recommendationDTO `json:"recommendations"`
	RecentShares    []shareDTO          `json:"recent_shares"`
}

func toGuideDTO(g sidebar.GuideRef) guideDTO {
	return guideDTO{UserID: g.UserID, Name: g.Name, Resigned: g.Resigned}
}

func nonZero(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toTagGroups(gs []service.TagGroup) []tagGroupDTO {
	out := make([]tagGroupDTO, 0, len(gs))
	for _, g := range gs {
		d := tagGroupDTO{GroupID: g.GroupID, Name: g.Name, Tags: make([]tagDTO, 0, len(g.Tags))}
		for _, t := range g.Tags {
			d.Tags = append(d.Tags, tagDTO{TagID: t.TagID, Name: t.Name})
		}
		out = append(out, d)
	}
	return out
}

func toProductDTO(p sidebar.Product) productDTO {
	return productDTO{ProductID: p.ProductID, Name: p.Name, Description: p.Description, PriceCents: p.PriceCents,
		ImageURL: p.ImageURL, LinkURL: p.LinkURL}
}

func toShareDTO(s sidebar.Share) shareDTO {
	return shareDTO{ID: s.ID, ProductID: s.ProductID, ExternalUserID: s.ExternalUserID, ChatID: s.ChatID, MsgType: s.MsgType, SharedAt: s.SharedAt}
}

func toCardResponse(c sidebar.CustomerCard) cardResponse {
	cu, e := c.Customer, c.Edge
	r := cardResponse{
		Customer: customerDTO{ExternalUserID: cu.ExternalUserID, Name: cu.Name, Avatar: cu.Avatar, Type: cu.Type, Gender: cu.Gender, CorpName: cu.CorpName},
		Edge: edgeDTO{Remark: e.Remark, Description: e.Description, AddWay: e.AddWay, State: e.State, AddedAt: nonZero(e.AddedAt),
			Active: e.Active, RemovedAt: e.RemovedAt, RemovedBy: e.RemovedBy},
		Lost: c.Lost, Incomplete: c.Incomplete, Tags: toTagGroups(c.Tags), Followers: []followerDTO{}, Orders: []orderDTO{}, OrdersEnabled: c.OrdersEnabled,
		Recommendations: []recommendationDTO{}, RecentShares: []shareDTO{},
	}
	for _, f := range c.Followers {
		r.Followers = append(r.Followers, followerDTO{guideDTO: toGuideDTO(f.Guide), AddedAt: nonZero(f.AddedAt)})
	}
	if c.Owner != nil {
		o := toGuideDTO(*c.Owner)
		r.Owner = &o
	}
	if h := c.Handover; h != nil {
		r.Handover = &handoverDTO{From: toGuideDTO(h.From), Reason: h.Reason, At: h.At, Remark: h.Remark, Description: h.Description, Note: h.Note}
	}
	for _, o := range c.Orders {
		r.Orders = append(r.Orders, orderDTO{OrderID: o.OrderID, Title: o.Title, AmountCents: o.AmountCents, PaidAt: o.PaidAt})
	}
	for _, rec := range c.Recommendations {
		r.Recommendations = append(r.Recommendations, recommendationDTO{Product: toProductDTO(rec.Product), Reason: rec.Reason, LastSharedAt: rec.LastSharedAt})
	}
	for _, s := range c.RecentShares {
		r.RecentShares = append(r.RecentShares, toShareDTO(s))
	}
	return r
}
