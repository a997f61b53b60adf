package catalog

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Fields names the product fields an import sets on products that already exist; a column the file
// does not have leaves the field as it was. Name and price are always set.
type Fields uint16

// The optional product fields.
const (
	FieldBrand Fields = 1 << iota
	FieldCategory
	FieldDescription
	FieldImage
	FieldLink
	FieldTags
	FieldOnSale
	FieldOrder
	FieldStock
)

// ProductStore reads and writes the catalogue.
type ProductStore interface {
	// UpsertProducts writes products by SKU in one transaction. On an existing product only the fields
	// in set change; with FieldStock its stock rows become p.Stock (nil: none, stock not tracked).
	UpsertProducts(ctx context.Context, ps []service.Product, set Fields) error
	// ListProducts pages the catalogue by SKU after the given one, each product with every stock row.
	ListProducts(ctx context.Context, after string, limit int) ([]service.Product, error)
}

// OrderStore reads and writes orders.
type OrderStore interface {
	// ExistingOrders says which of the order ids are stored.
	ExistingOrders(ctx context.Context, orderIDs []string) (map[string]bool, error)
	// InsertOrders stores new orders with their lines and the hashes of their bodies (call in a
	// transaction); ErrConflict if an order id is taken.
	InsertOrders(ctx context.Context, os []service.Order, bodyHashes []string) error
	// GetOrder reads an order's head (no lines) and its body hash; ErrNotFound if unknown.
	GetOrder(ctx context.Context, orderID string) (service.Order, string, error)
	// MarkRefunded sets a paid order and its lines refunded at `at`; false if it was not paid.
	MarkRefunded(ctx context.Context, orderID string, at time.Time) (bool, error)
	// CustomersByUnionID maps each of the unionids that a customer has to that customer's external_userid.
	CustomersByUnionID(ctx context.Context, unionIDs []string) (map[string]string, error)
	// RecentOrders lists a customer's latest orders, newest first, with their lines, the store's name
	// and the products' names: the orders linked to the customer and the unlinked ones carrying the
	// customer's unionid.
	RecentOrders(ctx context.Context, externalUserID string, limit int) ([]service.Order, error)
	// LinkOrders links up to limit unlinked orders whose unionid now belongs to a customer (orders
	// and their lines get the customer's external_userid) and says how many it linked.
	LinkOrders(ctx context.Context, limit int) (int, error)
}

// OrderObserver hears of each order stored or refunded (the auto-tags evaluate its customer again).
// It is called after the order is committed, with the order as stored (its customer resolved from
// its unionid when known), and must return at once: it queues its work.
type OrderObserver interface {
	OrderIngested(ctx context.Context, o service.Order)
}

// Directory reads the graph's stores and tags, which files name by id or by name.
type Directory interface {
	// Stores lists the corp's stores (WeCom departments).
	Stores(ctx context.Context) ([]service.Store, error)
	// Tags lists the corp tags.
	Tags(ctx context.Context) ([]service.Tag, error)
}

// Store is everything the catalogue keeps in the database.
type Store interface {
	ProductStore
	OrderStore
	Directory
	ListStore
	// Audit appends an admin action to the audit log.
	Audit(ctx context.Context, a service.AuditEntry) error
}

// Rows is a table read from a file, one record at a time (the sheet package reads CSV and XLSX).
type Rows interface {
	// Next returns the next record and its line in the file, io.EOF after the last one. A record the
	// file format cannot parse comes back with a reason in bad and no cells, and reading goes on; any
	// other error means the file cannot be read further.
	Next() (line int, cells []string, bad string, err error)
}

// RowWriter writes a table to a file, one record at a time (the sheet package writes CSV and XLSX).
type RowWriter interface {
	Write(cells []string) error
}

// AllFields is every optional product field: a write of whole products.
const AllFields = FieldBrand | FieldCategory | FieldDescription | FieldImage | FieldLink | FieldTags | FieldOnSale | FieldOrder | FieldStock
