package sidebar

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// GuideRef names a guide on a card.
type GuideRef struct {
	UserID   string
	Name     string
	Resigned bool
	StoreID  int64
}

// FollowerView is one edge to a customer with the name of the guide at its end.
type FollowerView struct {
	service.Follow
	Guide GuideRef
}

// HandoverLine says where a customer came from when this guide inherited (离职继承)
// or was transferred (在职转接) the customer: "接手自 X，日期" with X's remark and notes.
type HandoverLine struct {
	From        GuideRef
	Reason      string // OwnerInherited or OwnerTransferred
	At          time.Time
	Remark      string // X's remark on the customer
	Description string // X's description of the customer
	Note        string // the handover's own note
}

// Product is a catalogue item a guide may recommend; StoreID 0 means every store.
type Product struct {
	ProductID   string
	Name        string
	Description string
	PriceCents  int64
	ImageURL    string
	LinkURL     string
	StoreID     int64
	TagIDs      []string
	Order       int64
}

// Recommendation is a product suggested for a customer, with the reason shown to the guide.
type Recommendation struct {
	Product      Product
	Reason       string
	LastSharedAt *time.Time
}

// Share is one product card a guide sent into a chat.
type Share struct {
	ID             int64
	UserID         string
	ExternalUserID string // single chat
	ChatID         string // group chat
	ProductID      string
	MsgType        string // news or miniprogram
	SharedAt       time.Time
}

// Order is a customer's purchase; the orders API is another issue, so cards carry none yet.
type Order struct {
	OrderID     string
	Title       string
	AmountCents int64
	PaidAt      time.Time
}

// CustomerCard is everything the sidebar shows about one customer to one guide, read at once.
type CustomerCard struct {
	Customer service.Customer
	Edge     service.Follow // this guide's edge (a tombstone when Lost)
	Lost     bool           // the guide no longer follows the customer: read-only
	// Incomplete: the edge's details (remark, tags, how they met) were never read from WeCom: the
	// inbox's backlog has not reached the customer and WeCom could not be read in time.
	Incomplete      bool
	Tags            []service.TagGroup
	Followers       []FollowerView // other guides who follow the customer now
	Owner           *GuideRef
	Handover        *HandoverLine
	Orders          []Order
	OrdersEnabled   bool
	Recommendations []Recommendation
	RecentShares    []Share
}

// GroupCustomer is a customer in a group chat with their main tags.
type GroupCustomer struct {
	ExternalUserID string
	Name           string
	Mine           bool // this guide follows the customer
	Tags           []service.Tag
}

// GroupCard is the sidebar's view of a customer group chat.
type GroupCard struct {
	ChatID      string
	Name        string
	Notice      string
	Owner       GuideRef
	MemberCount int
	GuideCount  int
	Dismissed   bool
	Customers   []GroupCustomer
}

// DemoGuide is a guide of the demo corp with some of their customers and groups, for the demo picker.
type DemoGuide struct {
	Guide     GuideRef
	Customers []DemoContact
	Groups    []DemoContact
}

// DemoContact is a customer or group offered by the demo picker.
type DemoContact struct {
	ID    string
	Name  string
	Owner string // the guide who follows or owns it
	Lost  bool
}

// Store is what the sidebar reads and writes in the database.
type Store interface {
	// CustomerEdges lists every edge to a customer, tombstones included, with guide names.
	CustomerEdges(ctx context.Context, externalUserID string) ([]FollowerView, error)
	// CustomerWithOwner reads the customer and names the owner; ErrNotFound if unknown.
	CustomerWithOwner(ctx context.Context, externalUserID string) (service.Customer, *GuideRef, error)
	// EdgeTags returns the tags on one edge, grouped by tag group in WeCom's order.
	EdgeTags(ctx context.Context, userID, externalUserID string) ([]service.TagGroup, error)
	// LastHandover is the newest inherited/transferred ownership change to toUserID, or nil.
	LastHandover(ctx context.Context, externalUserID, toUserID string) (*HandoverLine, error)
	// KnownTags returns the corp tags among ids.
	KnownTags(ctx context.Context, ids []string) ([]service.Tag, error)
	// ListTags returns every corp tag group with its tags.
	ListTags(ctx context.Context) ([]service.TagGroup, error)
	// ChangeEdgeTags adds and removes tags on one edge that WeCom accepted at the given time, and
	// makes that the tags' version unless a newer WeCom read already set them.
	ChangeEdgeTags(ctx context.Context, userID, externalUserID string, add, remove []string, at time.Time) error
	// GetGroup reads a group chat with its members; ErrNotFound if unknown.
	GetGroup(ctx context.Context, chatID string) (service.Group, error)
	// Guides names the given guides.
	Guides(ctx context.Context, userIDs []string) (map[string]GuideRef, error)
	// CustomerTags returns the tags on active edges of the given customers, with names.
	CustomerTags(ctx context.Context, externalUserIDs []string) (map[string][]service.Tag, error)
	// ActiveEdges reports which of the customers userID follows now.
	ActiveEdges(ctx context.Context, userID string, externalUserIDs []string) (map[string]bool, error)
	ProductStore
	// AddShare records a share and returns it with its id.
	AddShare(ctx context.Context, s Share) (Share, error)
	// RecentShares lists a guide's latest shares to a customer, newest first.
	RecentShares(ctx context.Context, userID, externalUserID string, limit int) ([]Share, error)
	// DemoDirectory lists guides with some of their customers and groups (the demo picker only).
	DemoDirectory(ctx context.Context, perGuide int) ([]DemoGuide, error)
}

// ProductStore reads and writes the product catalogue.
type ProductStore interface {
	// StoreProducts lists the products offered in a store (its own and every-store ones), by order.
	StoreProducts(ctx context.Context, storeID int64, limit int) ([]Product, error)
	// GetProduct reads one product; ErrNotFound if unknown.
	GetProduct(ctx context.Context, productID string) (Product, error)
	// UpsertProducts writes products.
	UpsertProducts(ctx context.Context, ps []Product) error
}

// ContactReader reads a customer from WeCom at once and applies the read to the graph, when a guide
// opens a card before the inbox's backlog has reached the customer (the graph domain, wired in
// cmd/guidebox). It decides whether a read is needed: the edge (nil: none yet) was never read, or
// events wait for a read of it; it reports whether it read.
type ContactReader interface {
	ReadNow(ctx context.Context, userID, externalUserID string, edge *service.Follow) (bool, error)
}

// TagMarker changes a customer's corp tags in WeCom (externalcontact/mark_tag).
type TagMarker interface {
	MarkTag(ctx context.Context, userID, externalUserID string, add, remove []string) error
}

// Recommender suggests products for a customer; the recommendations issue replaces the default.
type Recommender interface {
	Recommend(ctx context.Context, in RecommendInput) ([]Recommendation, error)
}

// RecommendInput is what a Recommender knows of the guide and customer.
type RecommendInput struct {
	UserID         string
	StoreID        int64
	ExternalUserID string
	TagIDs         []string
	TagNames       map[string]string
	Shares         []Share
	Limit          int
}

// OrderSource lists a customer's recent orders; nil until the orders API exists.
type OrderSource interface {
	RecentOrders(ctx context.Context, externalUserID string, limit int) ([]Order, error)
}
