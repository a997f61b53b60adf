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
	Mobiles     []string   `json:"mobiles"`
	AddWay      int        `json:"add_way"`
	AddWayName  string     `json:"add_way_name"`
	State       string     `json:"state"`
	Channel     string     `json:"channel"` // the state code's name; "" when the corp has not named it
	AddedAt     *time.Time `json:"added_at"`
	Active      bool       `json:"active"`
	RemovedAt   *time.Time `json:"removed_at"`
	RemovedBy   string     `json:"removed_by"`
}

type tagDTO struct {
	TagID string `json:"tag_id"`
	Name  string `json:"name"`
	// Origin says who put the tag on the customer (card tags only): guide, rule or wecom; Rule names
	// the auto-tag rule; Auto marks a rule's tag on the customer that is not on the guide's edge
	// (the tag editor leaves it alone).
	Origin string `json:"origin,omitempty"`
	Rule   string `json:"rule,omitempty"`
	Auto   bool   `json:"auto,omitempty"`
}

type tagGroupDTO struct {
	GroupID      string   `json:"group_id"`
	Name         string   `json:"name"`
	SingleChoice bool     `json:"single_choice"`
	Tags         []tagDTO `json:"tags"`
}

type workbenchSummaryDTO struct {
	Stage        string     `json:"stage"`
	NextFollowUp *time.Time `json:"next_follow_up"`
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
	ProductID   string `json:"product_id"` // the SKU
	Name        string `json:"name"`
	Brand       string `json:"brand"`
	Category    string `json:"category"`
	Description string `json:"description"`
	PriceCents  int64  `json:"price_cents"` // fen (分)
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

type orderItemDTO struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"` // the product's name; "" for a SKU not in the catalogue
	Qty      int64  `json:"qty"`
	PriceFen int64  `json:"price_fen"`
}

type orderDTO struct {
	OrderID    string         `json:"order_id"`
	PaidAt     time.Time      `json:"paid_at"`
	StoreID    int64          `json:"store_id"`
	StoreName  string         `json:"store_name"`
	Items      []orderItemDTO `json:"items"`
	TotalFen   int64          `json:"total_fen"`
	Refunded   bool           `json:"refunded"`
	RefundedAt *time.Time     `json:"refunded_at"`
}

type cardResponse struct {
	Customer        customerDTO         `json:"customer"`
	Edge            edgeDTO             `json:"edge"`
	Lost            bool                `json:"lost"`
	Workbench       workbenchSummaryDTO `json:"workbench"`
	Incomplete      bool                `json:"incomplete"` // details not read from WeCom yet
	Tags            []tagGroupDTO       `json:"tags"`
	Followers       []followerDTO       `json:"followers"`
	Owner           *guideDTO           `json:"owner"`
	Handover        *handoverDTO        `json:"handover"`
	Orders          []orderDTO          `json:"orders"`
	OrdersEnabled   bool                `json:"orders_enabled"`
	Recommendations []recommendationDTO `json:"recommendations"`
	RecentShares    []shareDTO          `json:"recent_shares"`
	// Unavailable names the parts left out because they could not be read this time:
	// "recommendations", "orders", "workbench".
	Unavailable []string `json:"unavailable"`
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
			d.Tags = append(d.Tags, tagDTO{TagID: t.TagID, Name: t.Name, Origin: t.Origin, Rule: t.Rule, Auto: t.Origin != "" && !t.OnEdge})
		}
		out = append(out, d)
	}
	return out
}

func toCorpTagGroups(gs []sidebar.CorpTagGroup) []tagGroupDTO {
	out := make([]tagGroupDTO, 0, len(gs))
	for _, g := range gs {
		d := toTagGroups([]service.TagGroup{g.TagGroup})[0]
		d.SingleChoice = g.SingleChoice
		out = append(out, d)
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toProductDTO(p service.Product) productDTO {
	return productDTO{ProductID: p.SKU, Name: p.Name, Brand: p.Brand, Category: p.Category, Description: p.Description,
		PriceCents: p.PriceFen, ImageURL: p.ImageURL, LinkURL: p.LinkURL}
}

func toOrderDTO(o service.Order) orderDTO {
	d := orderDTO{OrderID: o.OrderID, PaidAt: o.PaidAt, StoreID: o.StoreID, StoreName: o.StoreName, Items: make([]orderItemDTO, 0, len(o.Lines)),
		TotalFen: o.TotalFen, Refunded: o.Status == service.OrderRefunded, RefundedAt: o.RefundedAt}
	for _, l := range o.Lines {
		d.Items = append(d.Items, orderItemDTO{SKU: l.SKU, Name: l.Name, Qty: l.Qty, PriceFen: l.PriceFen})
	}
	return d
}

func toShareDTO(s service.Share) shareDTO {
	return shareDTO{ID: s.ID, ProductID: s.ProductID, ExternalUserID: s.ExternalUserID, ChatID: s.ChatID, MsgType: s.MsgType, SharedAt: s.SharedAt}
}

func toCardResponse(c sidebar.CustomerCard) cardResponse {
	cu, e := c.Customer, c.Edge
	r := cardResponse{
		Customer: customerDTO{ExternalUserID: cu.ExternalUserID, Name: cu.Name, Avatar: cu.Avatar, Type: cu.Type, Gender: cu.Gender, CorpName: cu.CorpName},
		Edge: edgeDTO{Remark: e.Remark, Description: e.Description, Mobiles: nonNilStrings(c.RemarkMobiles), AddWay: e.AddWay,
			AddWayName: c.AddWayName, State: e.State, Channel: c.Channel, AddedAt: nonZero(e.AddedAt),
			Active: e.Active, RemovedAt: e.RemovedAt, RemovedBy: e.RemovedBy},
		Workbench: workbenchSummaryDTO{Stage: c.Workbench.Stage, NextFollowUp: c.Workbench.NextFollowUp},
		Lost:      c.Lost, Incomplete: c.Incomplete, Tags: toTagGroups(c.Tags), Followers: []followerDTO{}, Orders: []orderDTO{}, OrdersEnabled: c.OrdersEnabled,
		Recommendations: []recommendationDTO{}, RecentShares: []shareDTO{}, Unavailable: nonNilStrings(c.Unavailable),
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
		r.Orders = append(r.Orders, toOrderDTO(o))
	}
	for _, rec := range c.Recommendations {
		r.Recommendations = append(r.Recommendations, recommendationDTO{Product: toProductDTO(rec.Product), Reason: rec.Reason, LastSharedAt: rec.LastSharedAt})
	}
	for _, s := range c.RecentShares {
		r.RecentShares = append(r.RecentShares, toShareDTO(s))
	}
	return r
}
