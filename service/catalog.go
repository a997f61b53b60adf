package service

import (
	"strings"
	"time"
	"unicode"
)

// Product is a catalogue item (商品), identified in the corp by its SKU (货号). The catalogue
// domain writes it; the sidebar and the recommendations read it.
type Product struct {
	SKU         string
	Name        string
	Brand       string
	Category    string
	Description string
	PriceFen    int64 // price in fen (分)
	ImageURL    string
	LinkURL     string
	TagIDs      []string // corp tags the product suits
	OnSale      bool
	Order       int64 // larger first in lists
	// Stock is the product's stock per store. Nil means stock is not tracked: the product is offered
	// in every store. A read for one store carries only that store's row.
	Stock []StoreStock
}

// StoreStock is a product's stock in one store (a WeCom department id); 0 means offered there but sold out.
type StoreStock struct {
	StoreID int64
	Qty     int64
}

// OfferedIn reports whether guides of storeID may offer the product: stock is not tracked, or the
// store has a stock row (even at 0, a product the store carries and will restock).
func (p Product) OfferedIn(storeID int64) bool {
	if p.Stock == nil {
		return true
	}
	for _, s := range p.Stock {
		if s.StoreID == storeID {
			return true
		}
	}
	return false
}

// StockIn is the product's stock in storeID; tracked is false when the product's stock is not tracked.
func (p Product) StockIn(storeID int64) (qty int64, tracked bool) {
	if p.Stock == nil {
		return 0, false
	}
	for _, s := range p.Stock {
		if s.StoreID == storeID {
			return s.Qty, true
		}
	}
	return 0, true
}

// MaxSKULen is the longest SKU the schema holds.
const MaxSKULen = 64

// CheckSKU refuses an empty or over-long SKU, or one holding whitespace or control characters
// (it is matched exactly, in files, JSON and URLs).
func CheckSKU(field, sku string) error {
	if sku == "" {
		return Invalid(field, "is required")
	}
	if len(sku) > MaxSKULen {
		return Invalid(field, "at most 64 bytes")
	}
	if strings.IndexFunc(sku, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFFFD' }) >= 0 {
		return Invalid(field, "no spaces or control characters")
	}
	return nil
}

// Share is one product card a guide sent into a chat.
type Share struct {
	ID             int64
	UserID         string
	ExternalUserID string // single chat
	ChatID         string // group chat
	ProductID      string // the product's SKU
	MsgType        string // news or miniprogram
	SharedAt       time.Time
}

// Recommendation is a product suggested for a customer, with the reason shown to the guide.
type Recommendation struct {
	Product      Product
	Reason       string
	LastSharedAt *time.Time
}

// RecommendInput is what a recommender knows of the guide and the customer when a card opens.
type RecommendInput struct {
	UserID         string
	StoreID        int64 // the guide's store
	ExternalUserID string
	TagIDs         []string
	TagNames       map[string]string
	Shares         []Share // the guide's recent shares to the customer
	Limit          int
}

// Order statuses.
const (
	OrderPaid     = "paid"
	OrderRefunded = "refunded"
)

// Order is a customer's purchase as the retailer's POS or mini-program reported it. ExternalUserID is
// empty while the order is known only by UnionID and no customer of the graph has that unionid yet
// (unlinked); it is filled in when the customer appears.
type Order struct {
	OrderID        string
	ExternalUserID string
	UnionID        string
	StoreID        int64
	StoreName      string // filled by reads that name the store (the card)
	GuideUserID    string // the guide the POS credited, if any
	PaidAt         time.Time
	TotalFen       int64
	Status         string // OrderPaid or OrderRefunded
	RefundedAt     *time.Time
	Lines          []OrderLine
}

// OrderLine is one item of an order.
type OrderLine struct {
	SKU      string
	Name     string // the product's name, filled by reads that name it (the card)
	Qty      int64
	PriceFen int64 // unit price
}
