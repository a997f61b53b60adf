package recommend

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Stamp tells whether the catalogue changed: how many products there are and the newest update.
type Stamp struct {
	Products int64
	Updated  time.Time
}

// Purchase is one order line of the customer a recommendation is for.
type Purchase struct {
	SKU      string
	Qty      int64
	PaidAt   time.Time
	Refunded bool
}

// ScanLine is one paid order line as the index build reads it; Customer is the customer's
// external_userid, or "" for an order known only by unionid.
type ScanLine struct {
	OrderID  string
	LineNo   int
	Customer string
	SKU      string
	Qty      int64
	StoreID  int64
	PaidAt   time.Time
}

// Chunk is one piece of the stored index: its kind (n, s, c, p) and text.
type Chunk struct {
	Kind string
	No   int
	Data string
}

// IndexMeta names the stored index's generation.
type IndexMeta struct {
	Generation int64
	BuiltAt    time.Time
	Lines      int64
	Took       time.Duration
}

// Store reads the catalogue, orders and stock, and keeps the index.
type Store interface {
	// CatalogStamp counts the products and finds the newest update.
	CatalogStamp(ctx context.Context) (Stamp, error)
	// Products lists every product, on sale or not, without stock.
	Products(ctx context.Context) ([]service.Product, error)
	// TrackedSKUs lists the SKUs with stock rows in some store (the others are offered everywhere).
	TrackedSKUs(ctx context.Context) ([]string, error)
	// CustomerLines lists a customer's order lines paid since `since`, newest first, at most limit.
	CustomerLines(ctx context.Context, externalUserID string, since time.Time, limit int) ([]Purchase, error)
	// StoreStock returns the stock rows of the SKUs in the store (a SKU without a row is left out).
	StoreStock(ctx context.Context, storeID int64, skus []string) (map[string]int64, error)
	// ScanLines pages the paid lines (refunds excluded) paid since `since` in (order_id, line_no)
	// order, after the line (afterOrder, afterLine).
	ScanLines(ctx context.Context, since time.Time, afterOrder string, afterLine, limit int) ([]ScanLine, error)
	// SaveIndex stores chunks as the next generation and makes it current, then drops older ones.
	SaveIndex(ctx context.Context, chunks []Chunk, meta IndexMeta) (int64, error)
	// IndexMeta reads the current generation; ErrNotFound before the first build.
	IndexMeta(ctx context.Context) (IndexMeta, error)
	// IndexChunks reads a generation's chunks.
	IndexChunks(ctx context.Context, generation int64) ([]Chunk, error)
}
