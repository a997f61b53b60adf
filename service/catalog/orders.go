package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/guidebox/guidebox/service"
)

// OrderInput is an order as the POS or mini-program posts it (POST /api/orders). Pointers mark the
// numbers that must be present even when zero.
type OrderInput struct {
	OrderID        string
	ExternalUserID string
	UnionID        string
	StoreID        int64
	GuideUserID    string
	PaidAt         string // RFC 3339
	TotalFen       *int64
	Status         string
	Lines          []LineInput
}

// LineInput is one item of an OrderInput.
type LineInput struct {
	SKU      string
	Qty      int64
	PriceFen *int64
}

// Outcome says what an ingested order did.
type Outcome int

// Outcomes of Ingest.
const (
	Created   Outcome = iota + 1 // a new order was stored
	Unchanged                    // the same order was already stored: nothing changed
	Refunded                     // a stored paid order is now refunded
)

// maxLines bounds the items of one order.
const maxLines = 1000

// Ingest stores an order idempotently by order id: the same order again changes nothing (Unchanged),
// the same order with status refunded refunds a paid one (Refunded, at the time it arrives), a stale
// "paid" after the refund changes nothing, and anything else under a known order id is ErrConflict.
// An order known only by unionid is linked at once when a customer has it, else stored unlinked.
// It returns the order as stored (without lines).
func (s *Service) Ingest(ctx context.Context, in OrderInput) (service.Order, Outcome, error) {
	o, err := s.checkOrder(ctx, in)
	if err != nil {
		return service.Order{}, 0, err
	}
	hash := bodyHash(o)
	now := s.now().UTC().Truncate(time.Millisecond)
	if o.Status == service.OrderRefunded {
		o.RefundedAt = &now
	}
	ext, err := s.orders.insert(ctx, o, hash)
	if err == nil {
		o.ExternalUserID = ext
		s.notify(ctx, o)
		o.Lines = nil
		return o, Created, nil
	}
	if !errors.Is(err, service.ErrConflict) {
		return service.Order{}, 0, fmt.Errorf("store order %s: %w", o.OrderID, err)
	}
	return s.known(ctx, o, hash, now)
}

// known handles an order id that is already stored.
func (s *Service) known(ctx context.Context, o service.Order, hash string, now time.Time) (service.Order, Outcome, error) {
	cur, curHash, err := s.store.GetOrder(ctx, o.OrderID)
	if err != nil {
		return service.Order{}, 0, fmt.Errorf("read order %s: %w", o.OrderID, err)
	}
	if curHash != hash {
		return service.Order{}, 0, fmt.Errorf("order %s is already stored with a different body: %w", o.OrderID, service.ErrConflict)
	}
	if o.Status != service.OrderRefunded || cur.Status == service.OrderRefunded {
		return cur, Unchanged, nil
	}
	changed, err := s.store.MarkRefunded(ctx, o.OrderID, now)
	if err != nil {
		return service.Order{}, 0, fmt.Errorf("refund order %s: %w", o.OrderID, err)
	}
	if cur, _, err = s.store.GetOrder(ctx, o.OrderID); err != nil {
		return service.Order{}, 0, fmt.Errorf("read order %s: %w", o.OrderID, err)
	}
	if !changed { // a concurrent copy of the refund won
		return cur, Unchanged, nil
	}
	s.notify(ctx, cur)
	return cur, Refunded, nil
}

// checkOrder validates an order, naming the field at fault, and converts it.
func (s *Service) checkOrder(ctx context.Context, in OrderInput) (service.Order, error) {
	o := service.Order{OrderID: in.OrderID, ExternalUserID: in.ExternalUserID, UnionID: in.UnionID, StoreID: in.StoreID,
		GuideUserID: in.GuideUserID, Status: in.Status}
	if err := checkID("order_id", in.OrderID, true); err != nil {
		return o, err
	}
	if in.ExternalUserID == "" && in.UnionID == "" {
		return o, service.Invalid("external_userid", "give external_userid or unionid")
	}
	for _, f := range []struct{ name, v string }{{"external_userid", in.ExternalUserID}, {"unionid", in.UnionID}, {"guide_userid", in.GuideUserID}} {
		if err := checkID(f.name, f.v, false); err != nil {
			return o, err
		}
	}
	if in.StoreID <= 0 {
		return o, service.Invalid("store_id", "must be the store's WeCom department id")
	}
	t, err := time.Parse(time.RFC3339Nano, in.PaidAt)
	if err != nil {
		return o, service.Invalid("paid_at", "must be RFC 3339, e.g. 2024-05-01T14:30:00+08:00")
	}
	o.PaidAt = t.UTC().Truncate(time.Millisecond) // what the database keeps
	switch {
	case in.TotalFen == nil:
		return o, service.Invalid("total_fen", "is required")
	case *in.TotalFen < 0 || *in.TotalFen > maxFen:
		return o, service.Invalid("total_fen", "must be from 0 to 10^12 fen")
	case in.Status != service.OrderPaid && in.Status != service.OrderRefunded:
		return o, service.Invalid("status", "must be paid or refunded")
	case len(in.Lines) == 0:
		return o, service.Invalid("lines", "at least one line")
	case len(in.Lines) > maxLines:
		return o, service.Invalid("lines", fmt.Sprintf("at most %d lines", maxLines))
	}
	o.TotalFen = *in.TotalFen
	for i, l := range in.Lines {
		field := func(f string) string { return fmt.Sprintf("lines[%d].%s", i, f) }
		if err := service.CheckSKU(field("sku"), l.SKU); err != nil {
			return o, err
		}
		if l.Qty < 1 || l.Qty > 1_000_000 {
			return o, service.Invalid(field("qty"), "must be a whole number from 1 to 1000000")
		}
		if l.PriceFen == nil {
			return o, service.Invalid(field("price_fen"), "is required")
		}
		if *l.PriceFen < 0 || *l.PriceFen > maxFen {
			return o, service.Invalid(field("price_fen"), "must be from 0 to 10^12 fen")
		}
		o.Lines = append(o.Lines, service.OrderLine{SKU: l.SKU, Qty: l.Qty, PriceFen: *l.PriceFen})
	}
	known, err := s.stores.known(ctx, in.StoreID)
	if err != nil {
		return o, fmt.Errorf("order %s: %w", in.OrderID, err)
	}
	if !known {
		return o, service.Invalid("store_id", fmt.Sprintf("unknown store %d (the store's WeCom department id)", in.StoreID))
	}
	return o, nil
}

// checkID accepts an id of at most 64 printable characters without spaces.
func checkID(field, v string, required bool) error {
	switch {
	case v == "" && required:
		return service.Invalid(field, "is required")
	case len(v) > 64:
		return service.Invalid(field, "at most 64 bytes")
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFFFD' }) >= 0:
		return service.Invalid(field, "no spaces or control characters")
	}
	return nil
}

// bodyHash is the SHA-256 of the order's canonical form without its status: the instant of paid_at
// whatever its zone, lines in a fixed order. Two posts of the same order hash the same.
func bodyHash(o service.Order) string {
	type line struct {
		SKU   string `json:"s"`
		Qty   int64  `json:"q"`
		Price int64  `json:"p"`
	}
	lines := make([]line, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = line{l.SKU, l.Qty, l.PriceFen}
	}
	sort.Slice(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if a.SKU != b.SKU {
			return a.SKU < b.SKU
		}
		if a.Qty != b.Qty {
			return a.Qty < b.Qty
		}
		return a.Price < b.Price
	})
	canon, _ := json.Marshal(struct {
		ID, Ext, Union, Guide string
		Store, Total          int64
		Paid                  string
		Lines                 []line
	}{o.OrderID, o.ExternalUserID, o.UnionID, o.GuideUserID, o.StoreID, o.TotalFen, o.PaidAt.UTC().Format(time.RFC3339Nano), lines})
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}
