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

// FollowerView is one edge to a customer with the name of the guide at its end, and the phone
// numbers the guide noted with the remark (remark_mobiles).
type FollowerView struct {
	service.Follow
	Guide         GuideRef
	RemarkMobiles []string
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

// CustomerCard is everything the sidebar shows about one customer to one guide, read at once.
type CustomerCard struct {
	Customer      service.Customer
	Edge          service.Follow // this guide's edge (a tombstone when Lost)
	RemarkMobiles []string       // the phone numbers on this guide's remark
	Lost          bool           // the guide no longer follows the customer: read-only
	AddWayName    string         // how the customer was added (add_way), in Chinese
	Channel       string         // the name of the edge's state code (渠道), or "" when unnamed
	Workbench     WorkbenchSummary
	// Incomplete: the edge's details (remark, tags, how they met) were never read from WeCom: the
	// inbox's backlog has not reached the customer and WeCom could not be read in time.
	Incomplete      bool
	Tags            []service.TagGroup
	Followers       []FollowerView // other guides who follow the customer now
	Owner           *GuideRef
	Handover        *HandoverLine
	Orders          []service.Order // the customer's latest orders, newest first
	OrdersEnabled   bool
	Recommendations []service.Recommendation
	RecentShares    []service.Share
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
	Guides      []GuideRef // the corp members in the group, by name
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
	// CardTags returns the tags on one edge with where each came from (OnEdge set), then the tags
	// auto-tag rules give the customer that the edge lacks (origin rule, OnEdge false); Rule names the
	// rule of a rule's tag. Only ids, origins and rules are set.
	CardTags(ctx context.Context, userID, externalUserID string) ([]service.Tag, error)
	// LastHandover is the newest inherited/transferred ownership change to toUserID, or nil.
	LastHandover(ctx context.Context, externalUserID, toUserID string) (*HandoverLine, error)
	// KnownTags returns the corp tags among ids.
	KnownTags(ctx context.Context, ids []string) ([]service.Tag, error)
	// ListTags returns every corp tag group with its tags.
	ListTags(ctx context.Context) ([]service.TagGroup, error)
	// ChangeEdgeTags adds and removes tags on one edge that WeCom accepted at the given time, and
	// makes that the tags' version unless a newer WeCom read already set them.
	ChangeEdgeTags(ctx context.Context, userID, externalUserID string, add, remove []string, at time.Time) error
	// SingleChoiceGroups returns the tag groups the corp made single-choice.
	SingleChoiceGroups(ctx context.Context) (map[string]bool, error)
	// SetSingleChoice makes a tag group single-choice or not.
	SetSingleChoice(ctx context.Context, groupID string, single bool) error
	// SaveRemark writes a remark edit WeCom accepted onto the edge and appends it to the remark log.
	SaveRemark(ctx context.Context, userID, externalUserID string, e RemarkEdit, at time.Time) error
	// GetGroup reads a group chat with its members; ErrNotFound if unknown.
	GetGroup(ctx context.Context, chatID string) (service.Group, error)
	// Guides names the given guides.
	Guides(ctx context.Context, userIDs []string) (map[string]GuideRef, error)
	// CustomerTags returns the tags on active edges of the given customers, with names.
	CustomerTags(ctx context.Context, externalUserIDs []string) (map[string][]service.Tag, error)
	// ActiveEdges reports which of the customers userID follows now.
	ActiveEdges(ctx context.Context, userID string, externalUserIDs []string) (map[string]bool, error)
	// AddShare records a share and returns it with its id.
	AddShare(ctx context.Context, s service.Share) (service.Share, error)
	// RecentShares lists a guide's latest shares to a customer, newest first.
	RecentShares(ctx context.Context, userID, externalUserID string, limit int) ([]service.Share, error)
	// RecordSidebarOpen appends a sidebar_open activity for userID on the customer's card, at most one
	// per guide and customer within a few minutes (the KPIs' login rate).
	RecordSidebarOpen(ctx context.Context, userID, externalUserID string, at time.Time) error
	// DemoDirectory lists guides with some of their customers and groups (the demo picker only).
	DemoDirectory(ctx context.Context, perGuide int) ([]DemoGuide, error)
}

// ProductStore reads the product catalogue (the catalogue domain's store).
type ProductStore interface {
	// StoreProducts lists on-sale products offered in a store (stock not tracked, or a stock row for the
	// store), larger order first; each carries only that store's stock row.
	StoreProducts(ctx context.Context, storeID int64, limit int) ([]service.Product, error)
	// GetProduct reads one product with its stock in every store; ErrNotFound if unknown.
	GetProduct(ctx context.Context, sku string) (service.Product, error)
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

// RemarkEdit is a guide's change of their remark fields on a customer; nil fields stay as they are,
// an empty Mobiles clears the phone numbers.
type RemarkEdit struct {
	Remark      *string
	Description *string
	Mobiles     *[]string
}

// RemarkWriter changes a guide's remark fields on a customer in WeCom (externalcontact/remark).
// A refusal may carry its reason for the guide (service.Explained).
type RemarkWriter interface {
	Remark(ctx context.Context, userID, externalUserID string, e RemarkEdit) error
}

// WeComWriter is what the sidebar writes to WeCom: tags and remarks.
type WeComWriter interface {
	TagMarker
	RemarkWriter
}

// WorkbenchSummary is what the card shows from the guide's workbench: the customer's stage in the
// pipeline and this guide's next follow-up.
type WorkbenchSummary struct {
	Stage        string
	NextFollowUp *time.Time
}

// Workbench is what the card reads from the guide's workbench (service/workbench, wired in
// cmd/guidebox): the summary above, and the names the corp gave its channels (state codes).
type Workbench interface {
	CardSummary(ctx context.Context, userID, externalUserID string) (WorkbenchSummary, error)
	// ChannelName is the name of a state code, "" when the corp has not named it.
	ChannelName(ctx context.Context, state string) (string, error)
}

// Recommender suggests products for a customer, each with its reason (service/recommend, wired in
// cmd/guidebox; CatalogRecommender when none is given).
type Recommender interface {
	Recommend(ctx context.Context, in service.RecommendInput) ([]service.Recommendation, error)
}

// OrderSource lists a customer's latest orders, newest first, with store and product names
// (the catalogue domain). Orders known only by the customer's unionid are included.
type OrderSource interface {
	RecentOrders(ctx context.Context, externalUserID string, limit int) ([]service.Order, error)
}
