package autotagdb

import (
	"context"
	"strings"
	"time"

	"github.com/guidebox/guidebox/repo/internal/sqlstore"
	"github.com/guidebox/guidebox/service/autotag"
)

type productInfoRow struct {
	SKU      string `gorm:"column:sku"`
	Category string
	TagIDs   string `gorm:"column:tag_ids"`
}

// Products maps every product's SKU to its category and tags (one scan of products).
func (s *Store) Products(ctx context.Context) (map[string]autotag.ProductInfo, error) {
	var rows []productInfoRow
	if err := sqlstore.Conn(ctx, s.db).Table("products").Select("sku, category, tag_ids").Where("corp_id = ?", s.corp).
		Scan(&rows).Error; err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := make(map[string]autotag.ProductInfo, len(rows))
	for _, r := range rows {
		p := autotag.ProductInfo{Category: r.Category}
		if r.TagIDs != "" {
			p.TagIDs = strings.Split(r.TagIDs, ",")
		}
		out[r.SKU] = p
	}
	return out, nil
}

type lineRow struct {
	ExternalUserID string `gorm:"column:external_userid"`
	OrderID        string
	SKU            string `gorm:"column:sku"`
	Qty            int64
	PriceFen       int64
	PaidAt         time.Time
	Refunded       bool
}

// lineColumns are read from idx_lines_customer alone (its columns and the primary key's order_id).
const lineColumns = "external_userid, order_id, sku, qty, price_fen, paid_at, refunded"

func toLine(r lineRow) autotag.Line {
	return autotag.Line{OrderID: r.OrderID, SKU: r.SKU, Qty: r.Qty, PriceFen: r.PriceFen, PaidAt: r.PaidAt.UTC(), Refunded: r.Refunded}
}

// group turns rows sorted by customer into customers.
func group(rows []lineRow) []autotag.CustomerLines {
	var out []autotag.CustomerLines
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].ExternalUserID != r.ExternalUserID {
			out = append(out, autotag.CustomerLines{ExternalUserID: r.ExternalUserID})
		}
		c := &out[len(out)-1]
		c.Lines = append(c.Lines, toLine(r))
	}
	return out
}

// LinesPage reads the lines of the customers after `after` in idx_lines_customer's order, up to
// maxLines+1 index entries: a customer the limit cut is left for the next page, unless it is the
// only one, which is then read whole. Lines not linked to a customer (external_userid ”) never come.
func (s *Store) LinesPage(ctx context.Context, after string, maxLines int) ([]autotag.CustomerLines, error) {
	var rows []lineRow
	err := sqlstore.Conn(ctx, s.db).Table("order_lines").Select(lineColumns).
		Where("corp_id = ? AND external_userid > ?", s.corp, after).Order("external_userid, paid_at").Limit(maxLines + 1).Scan(&rows).Error
	if err != nil {
		return nil, sqlstore.Translate(err)
	}
	out := group(rows)
	if len(rows) <= maxLines {
		return out, nil
	}
	if len(out) > 1 {
		return out[:len(out)-1], nil
	}
	whole, err := s.LinesOf(ctx, []string{out[0].ExternalUserID})
	if err != nil {
		return nil, err
	}
	return []autotag.CustomerLines{{ExternalUserID: out[0].ExternalUserID, Lines: whole[out[0].ExternalUserID]}}, nil
}

// LinesOf reads the lines of the given customers (idx_lines_customer).
func (s *Store) LinesOf(ctx context.Context, extIDs []string) (map[string][]autotag.Line, error) {
	out := make(map[string][]autotag.Line, len(extIDs))
	for len(extIDs) > 0 {
		n := min(len(extIDs), 500)
		var rows []lineRow
		err := sqlstore.Conn(ctx, s.db).Table("order_lines").Select(lineColumns).
			Where("corp_id = ? AND external_userid IN ?", s.corp, extIDs[:n]).Order("external_userid, paid_at").Scan(&rows).Error
		if err != nil {
			return nil, sqlstore.Translate(err)
		}
		for _, c := range group(rows) {
			out[c.ExternalUserID] = c.Lines
		}
		extIDs = extIDs[n:]
	}
	return out, nil
}

type ownerRow struct {
	ExternalUserID string `gorm:"column:external_userid"`
	OwnerUserID    string `gorm:"column:owner_userid"`
}

// Owners maps customers to their owners (the customers primary key).
func (s *Store) Owners(ctx context.Context, extIDs []string) (map[string]string, error) {
	out := map[string]string{}
	for len(extIDs) > 0 {
		n := min(len(extIDs), 500)
		var rows []ownerRow
		err := sqlstore.Conn(ctx, s.db).Table("customers").Select("external_userid, owner_userid").
			Where("corp_id = ? AND external_userid IN ? AND owner_userid <> ''", s.corp, extIDs[:n]).Scan(&rows).Error
		if err != nil {
			return nil, sqlstore.Translate(err)
		}
		for _, r := range rows {
			out[r.ExternalUserID] = r.OwnerUserID
		}
		extIDs = extIDs[n:]
	}
	return out, nil
}
