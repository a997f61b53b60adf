package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/guidebox/guidebox/service"
)

// ProductQuery selects products for the console's table: a text (SKU prefix, or part of the name),
// exact category and brand, on sale or not; pages by SKU after After.
type ProductQuery struct {
	Q        string
	Category string
	Brand    string
	OnSale   *bool
	After    string
	Limit    int
}

// Facets are the values the console's product filters offer.
type Facets struct {
	Categories []string
	Brands     []string
}

// OrderQuery selects orders for the console, newest first: a text (an order id's prefix, a customer's
// name or external_userid), the stores (nil: every store), the status; pages before the cursor.
type OrderQuery struct {
	Q        string
	StoreIDs []int64
	Status   string
	Before   *OrderCursor
	Limit    int
}

// OrderCursor is the position of the last order of a page (paid_at DESC, order_id DESC).
type OrderCursor struct {
	PaidAt  time.Time
	OrderID string
}

// ListedOrder is an order as the console lists it: with its customer's and guide's names, the store's
// name and its lines (product names filled).
type ListedOrder struct {
	service.Order
	CustomerName   string
	CustomerAvatar string
	GuideName      string
}

// ListStore reads the catalogue and orders for the console.
type ListStore interface {
	// SearchProducts pages products matching q by SKU, each with every stock row.
	SearchProducts(ctx context.Context, q ProductQuery) ([]service.Product, error)
	// ProductFacets lists the distinct categories and brands.
	ProductFacets(ctx context.Context) (Facets, error)
	// SearchOrders pages orders matching q, newest first, with names and lines.
	SearchOrders(ctx context.Context, q OrderQuery) ([]ListedOrder, error)
}

// Products pages the catalogue for the console (at most 200 a page; 50 by default).
func (s *Service) Products(ctx context.Context, q ProductQuery) ([]service.Product, error) {
	q.Q = strings.TrimSpace(q.Q)
	if err := checkSearch(q.Q); err != nil {
		return nil, err
	}
	q.Limit = pageSize(q.Limit)
	ps, err := s.store.SearchProducts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search products: %w", err)
	}
	return ps, nil
}

// ProductFacets lists the categories and brands in the catalogue, for filters.
func (s *Service) ProductFacets(ctx context.Context) (Facets, error) {
	f, err := s.store.ProductFacets(ctx)
	if err != nil {
		return Facets{}, fmt.Errorf("product facets: %w", err)
	}
	return f, nil
}

// Orders pages orders newest first for the console, within the admin's scope: a store manager reads
// their stores' orders only, and naming another store is forbidden.
func (s *Service) Orders(ctx context.Context, q OrderQuery) ([]ListedOrder, error) {
	q.Q = strings.TrimSpace(q.Q)
	if err := checkSearch(q.Q); err != nil {
		return nil, err
	}
	if q.Status != "" && q.Status != service.OrderPaid && q.Status != service.OrderRefunded {
		return nil, service.Invalid("status", "paid or refunded")
	}
	sc := service.ScopeOf(ctx)
	for _, id := range q.StoreIDs {
		if err := sc.Check("the orders of a store", id); err != nil {
			return nil, err
		}
	}
	if !sc.All && len(q.StoreIDs) == 0 {
		q.StoreIDs = append([]int64{}, sc.Stores...)
		if len(q.StoreIDs) == 0 {
			return nil, nil
		}
	}
	q.Limit = pageSize(q.Limit)
	os, err := s.store.SearchOrders(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search orders: %w", err)
	}
	return os, nil
}

func checkSearch(q string) error {
	if utf8.RuneCountInString(q) > 64 {
		return service.Invalid("q", "at most 64 characters")
	}
	return nil
}

func pageSize(n int) int {
	if n <= 0 {
		return 50
	}
	return min(n, 200)
}
