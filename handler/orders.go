package handler

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

// MaxOrderBytes bounds the body of POST /api/orders (413 beyond).
const MaxOrderBytes = 1 << 20

// OrdersDeps is what the orders API needs.
type OrdersDeps struct {
	Orders *catalog.Service
	Keys   []string // api.keys: the API keys callers present as "Authorization: Bearer KEY"
	Log    *slog.Logger
}

// OrdersHandler serves /api/orders, the machine-to-machine API the retailer's POS or mini-program
// posts orders to. It is authenticated by an API key, not by a guide's session.
type OrdersHandler struct {
	d    OrdersDeps
	keys apiKeys
}

var _ Mounter = (*OrdersHandler)(nil)

// NewOrdersHandler builds the orders API. Without keys it refuses every request (401).
func NewOrdersHandler(d OrdersDeps) *OrdersHandler {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &OrdersHandler{d: d, keys: newAPIKeys(d.Keys)}
}

// Mount implements Mounter.
func (h *OrdersHandler) Mount(r *gin.Engine) {
	g := r.Group("/api/orders", h.keys.require(h.d.Log))
	g.POST("", h.post)
}

type orderLineRequest struct {
	SKU      string `json:"sku"`
	Qty      int64  `json:"qty"`
	PriceFen *int64 `json:"price_fen"`
}

type orderRequest struct {
	OrderID        string             `json:"order_id"`
	ExternalUserID string             `json:"external_userid"`
	UnionID        string             `json:"unionid"`
	StoreID        int64              `json:"store_id"`
	GuideUserID    string             `json:"guide_userid"`
	PaidAt         string             `json:"paid_at"`
	TotalFen       *int64             `json:"total_fen"`
	Status         string             `json:"status"`
	Lines          []orderLineRequest `json:"lines"`
}

type orderResponse struct {
	OrderID    string     `json:"order_id"`
	Status     string     `json:"status"`
	PaidAt     time.Time  `json:"paid_at"`
	TotalFen   int64      `json:"total_fen"`
	RefundedAt *time.Time `json:"refunded_at"`
}

// post answers POST /api/orders: 201 for a new order, 200 when it was already stored (the same
// body again) or is refunded now; 409 for a different body under a known order id; 400 naming the
// field; 413 beyond 1 MiB.
func (h *OrdersHandler) post(c *gin.Context) {
	var req orderRequest
	if err := decodeJSON(c, &req, MaxOrderBytes); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	in := catalog.OrderInput{OrderID: req.OrderID, ExternalUserID: req.ExternalUserID, UnionID: req.UnionID, StoreID: req.StoreID,
		GuideUserID: req.GuideUserID, PaidAt: req.PaidAt, TotalFen: req.TotalFen, Status: req.Status}
	for _, l := range req.Lines {
		in.Lines = append(in.Lines, catalog.LineInput{SKU: l.SKU, Qty: l.Qty, PriceFen: l.PriceFen})
	}
	o, outcome, err := h.d.Orders.Ingest(c.Request.Context(), in)
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	code := http.StatusOK
	if outcome == catalog.Created {
		code = http.StatusCreated
	}
	c.JSON(code, orderResponse{OrderID: o.OrderID, Status: o.Status, PaidAt: o.PaidAt, TotalFen: o.TotalFen, RefundedAt: o.RefundedAt})
}

// decodeJSON reads a JSON object of at most limit bytes into v, naming the field of a type error.
// Beyond the limit the error is an *http.MaxBytesError (413).
func decodeJSON(c *gin.Context, v any, limit int64) error {
	if c.Request.ContentLength > limit {
		return &http.MaxBytesError{Limit: limit}
	}
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	err := dec.Decode(v)
	var te *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		if dec.More() {
			return service.Invalid("body", "one JSON object, nothing after it")
		}
		return nil
	case errors.As(err, &mbe):
		return mbe
	case errors.As(err, &te) && te.Field != "":
		return service.Invalid(te.Field, "must be a JSON "+jsonKind(te.Type.Kind().String()))
	case errors.Is(err, io.EOF):
		return service.Invalid("body", "empty; want a JSON object")
	}
	return service.Invalid("body", "not valid JSON: "+err.Error())
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int64", "int", "int32", "ptr":
		return "whole number"
	case "string":
		return "string"
	case "slice":
		return "array"
	case "struct":
		return "object"
	}
	return goKind
}
