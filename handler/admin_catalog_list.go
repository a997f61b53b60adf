package handler

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

// mountCatalogLists adds the console's reads of the catalogue: products (any admin: the catalogue is
// the corp's, a store manager sees the stock of every store) and orders (limited to the admin's stores).
func (h *AdminHandler) mountCatalogLists(g *gin.RouterGroup) {
	g.GET("/products", h.listProducts)
	g.GET("/products/facets", h.productFacets)
	g.GET("/orders", h.listOrders)
}

type stockDTO struct {
	StoreID int64 `json:"store_id"`
	Qty     int64 `json:"qty"`
}

type adminProductDTO struct {
	SKU         string     `json:"sku"`
	Name        string     `json:"name"`
	Brand       string     `json:"brand"`
	Category    string     `json:"category"`
	Description string     `json:"description"`
	PriceFen    int64      `json:"price_fen"`
	ImageURL    string     `json:"image_url"`
	LinkURL     string     `json:"link_url"`
	TagIDs      []string   `json:"tag_ids"`
	OnSale      bool       `json:"on_sale"`
	Tracked     bool       `json:"stock_tracked"` // false: offered in every store, stock not tracked
	Stock       []stockDTO `json:"stock"`
}

// listProducts answers GET /api/admin/products?q=&category=&brand=&on_sale=&cursor=&limit=: products
// by SKU, each with its stock per store; next_cursor is the last SKU ("" on the last page).
func (h *AdminHandler) listProducts(c *gin.Context) {
	q := catalog.ProductQuery{Category: c.Query("category"), Brand: c.Query("brand"), After: c.Query("cursor"), Q: c.Query("q")}
	var err error
	if q.Limit, err = queryLimit(c, 50, 200); err == nil && c.Query("on_sale") != "" {
		v, perr := strconv.ParseBool(c.Query("on_sale"))
		q.OnSale, err = &v, perr
		if perr != nil {
			err = service.Invalid("on_sale", "true or false")
		}
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	ps, err := h.d.Catalog.Products(c.Request.Context(), q)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]adminProductDTO, len(ps))
	for i, p := range ps {
		out[i] = adminProductDTO{SKU: p.SKU, Name: p.Name, Brand: p.Brand, Category: p.Category, Description: p.Description, PriceFen: p.PriceFen,
			ImageURL: p.ImageURL, LinkURL: p.LinkURL, TagIDs: nonNilStrings(p.TagIDs), OnSale: p.OnSale, Tracked: p.Stock != nil, Stock: []stockDTO{}}
		for _, s := range p.Stock {
			out[i].Stock = append(out[i].Stock, stockDTO{StoreID: s.StoreID, Qty: s.Qty})
		}
	}
	next := ""
	if len(ps) == q.Limit {
		next = ps[len(ps)-1].SKU
	}
	c.JSON(http.StatusOK, gin.H{"products": out, "next_cursor": next})
}

// productFacets answers GET /api/admin/products/facets: the categories and brands, for the filters.
func (h *AdminHandler) productFacets(c *gin.Context) {
	f, err := h.d.Catalog.ProductFacets(c.Request.Context())
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"categories": nonNilStrings(f.Categories), "brands": nonNilStrings(f.Brands)})
}

type orderLineDTO struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Qty      int64  `json:"qty"`
	PriceFen int64  `json:"price_fen"`
}

type listedOrderDTO struct {
	OrderID        string         `json:"order_id"`
	ExternalUserID string         `json:"external_userid"`
	UnionID        string         `json:"unionid,omitempty"`
	CustomerName   string         `json:"customer_name"`
	CustomerAvatar string         `json:"customer_avatar"`
	StoreID        int64          `json:"store_id"`
	StoreName      string         `json:"store_name"`
	GuideUserID    string         `json:"guide_userid"`
	GuideName      string         `json:"guide_name"`
	PaidAt         time.Time      `json:"paid_at"`
	TotalFen       int64          `json:"total_fen"`
	Status         string         `json:"status"`
	RefundedAt     *time.Time     `json:"refunded_at,omitempty"`
	Lines          []orderLineDTO `json:"lines"`
}

// listOrders answers GET /api/admin/orders?q=&store_id=&status=&cursor=&limit=: orders newest first in
// the admin's stores (another store's id: 403), with names; next_cursor continues the list.
func (h *AdminHandler) listOrders(c *gin.Context) {
	q := catalog.OrderQuery{Q: c.Query("q"), Status: c.Query("status")}
	store, err := queryInt(c, "store_id")
	if err == nil {
		q.Limit, err = queryLimit(c, 50, 200)
	}
	if err == nil {
		q.Before, err = orderCursor(c.Query("cursor"))
	}
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	if store > 0 {
		q.StoreIDs = []int64{store}
	}
	os, err := h.d.Catalog.Orders(c.Request.Context(), q)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	out := make([]listedOrderDTO, len(os))
	for i, o := range os {
		out[i] = listedOrderDTO{OrderID: o.OrderID, ExternalUserID: o.ExternalUserID, UnionID: o.UnionID, CustomerName: o.CustomerName,
			CustomerAvatar: o.CustomerAvatar, StoreID: o.StoreID, StoreName: o.StoreName, GuideUserID: o.GuideUserID, GuideName: o.GuideName,
			PaidAt: o.PaidAt, TotalFen: o.TotalFen, Status: o.Status, RefundedAt: o.RefundedAt, Lines: []orderLineDTO{}}
		for _, l := range o.Lines {
			out[i].Lines = append(out[i].Lines, orderLineDTO{SKU: l.SKU, Name: l.Name, Qty: l.Qty, PriceFen: l.PriceFen})
		}
	}
	next := ""
	if len(os) == q.Limit {
		last := os[len(os)-1]
		next = strconv.FormatInt(last.PaidAt.UnixMilli(), 10) + "~" + last.OrderID
	}
	c.JSON(http.StatusOK, gin.H{"orders": out, "next_cursor": next})
}

// orderCursor parses "unixmilli~order_id", the last order of the previous page.
func orderCursor(v string) (*catalog.OrderCursor, error) {
	if v == "" {
		return nil, nil
	}
	ms, id, ok := strings.Cut(v, "~")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return nil, service.Invalid("cursor", "the next_cursor of the previous page")
	}
	return &catalog.OrderCursor{PaidAt: time.UnixMilli(n).UTC(), OrderID: id}, nil
}
