package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/guidebox/guidebox/service"
)

// productColumns are the columns of a product file; names[1] is the one the export writes.
var productColumns = []column{
	{key: "sku", names: []string{"sku", "货号", "商品编码", "商品货号"}, need: true},
	{key: "name", names: []string{"name", "商品名称", "名称", "品名"}, need: true},
	{key: "brand", names: []string{"brand", "品牌"}},
	{key: "category", names: []string{"category", "品类", "类目", "分类"}},
	{key: "price", names: []string{"price", "价格(元)", "价格", "售价", "售价(元)", "price_yuan"}},
	{key: "price_fen", names: []string{"price_fen", "价格(分)", "售价(分)"}},
	{key: "image_url", names: []string{"image_url", "图片", "图片链接", "商品图片"}},
	{key: "link_url", names: []string{"link_url", "商品链接", "链接"}},
	{key: "description", names: []string{"description", "描述", "卖点", "商品描述"}},
	{key: "tags", names: []string{"tags", "标签"}},
	{key: "on_sale", names: []string{"on_sale", "在售", "是否在售", "上架"}},
	{key: "stock", names: []string{"stock", "库存"}},
	{key: "sort", names: []string{"sort", "排序"}},
}

// productFields maps optional columns to the fields an import sets on existing products.
var productFields = map[string]Fields{"brand": FieldBrand, "category": FieldCategory, "description": FieldDescription,
	"image_url": FieldImage, "link_url": FieldLink, "tags": FieldTags, "on_sale": FieldOnSale, "sort": FieldOrder, "stock": FieldStock}

// importBatch is how many good rows are written per transaction: memory stays flat for any file size.
const importBatch = 500

// importProducts upserts the products of a file by SKU. Every good row is kept; each refused row is
// reported with its line, column and reason (a missing cell, a bad price, an unknown store or tag, a
// SKU given twice in the file: the first row wins). Columns the file lacks are left as they were on
// existing products. A file that cannot be read, or lacks a required column, is a *ValidationError
// on field "file"; rows written before a later failure stay written and are counted.
func (s *Service) importProducts(ctx context.Context, rows Rows) (Report, error) {
	var rep Report
	t, err := openTable(rows, productColumns)
	if err != nil {
		return rep, err
	}
	if t.has("price") == t.has("price_fen") {
		return rep, unreadable("需要且只能有一列价格：「价格(元)」（price）或「价格(分)」（price_fen）")
	}
	n, err := loadNames(ctx, s.store)
	if err != nil {
		return rep, fmt.Errorf("import products: %w", err)
	}
	var set Fields
	for key, f := range productFields {
		if t.has(key) {
			set |= f
		}
	}
	seen := map[string]int{} // SKU → its first line; bounded by the catalogue's size
	batch := make([]service.Product, 0, importBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.store.UpsertProducts(ctx, batch, set) }); err != nil {
			return fmt.Errorf("import products: %w", err)
		}
		rep.Imported += len(batch)
		batch = batch[:0]
		return nil
	}
	for {
		r, errs, err := t.next()
		if errors.Is(err, io.EOF) {
			return rep, flush()
		}
		if err != nil {
			return rep, errors.Join(err, flush())
		}
		rep.Rows++
		if errs == nil {
			var p service.Product
			p, errs = parseProduct(r, n)
			if first, dup := seen[p.SKU]; dup && p.SKU != "" {
				errs = append(errs, RowError{Line: r.line, Field: t.name("sku"), Reason: fmt.Sprintf("货号「%s」在文件中重复，与第 %d 行相同（只导入第一行）", p.SKU, first)})
			} else if p.SKU != "" {
				seen[p.SKU] = r.line
			}
			if len(errs) == 0 {
				batch = append(batch, p)
			}
		}
		if len(errs) > 0 {
			rep.refuse(errs)
			continue
		}
		if len(batch) == importBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
}

// SaveProducts writes whole products (every field; stock rows replaced) in batches, for callers that
// built them (the demo): no row checks, no report.
func (s *Service) SaveProducts(ctx context.Context, ps []service.Product) error {
	for len(ps) > 0 {
		n := min(len(ps), importBatch)
		batch := ps[:n]
		if err := s.tx.InTx(ctx, func(ctx context.Context) error { return s.store.UpsertProducts(ctx, batch, AllFields) }); err != nil {
			return fmt.Errorf("save products: %w", err)
		}
		ps = ps[n:]
	}
	return nil
}

// parseProduct reads one product row; errs lists every bad cell.
func parseProduct(r record, n *names) (service.Product, []RowError) {
	var errs []RowError
	bad := func(key, why string) {
		if why != "" {
			errs = append(errs, RowError{Line: r.line, Field: r.t.name(key), Reason: why})
		}
	}
	p := service.Product{SKU: r.get("sku"), Name: r.get("name"), Brand: r.get("brand"), Category: r.get("category"),
		Description: r.get("description"), ImageURL: r.get("image_url"), LinkURL: r.get("link_url")}
	bad("sku", skuReason(p.SKU))
	if p.Name == "" {
		bad("name", "不能为空")
	}
	bad("name", checkText(p.Name, 255))
	bad("brand", checkText(p.Brand, 128))
	bad("category", checkText(p.Category, 128))
	bad("description", checkText(p.Description, 1024))
	bad("image_url", checkURL(p.ImageURL, 512))
	bad("link_url", checkURL(p.LinkURL, 1024))
	var why string
	if r.t.has("price_fen") {
		p.PriceFen, why = parseFen(r.get("price_fen"))
		bad("price_fen", why)
	} else {
		p.PriceFen, why = parseYuan(r.get("price"))
		bad("price", why)
	}
	p.TagIDs, why = n.tags(r.get("tags"))
	bad("tags", why)
	p.OnSale, why = parseBool(r.get("on_sale"), true)
	bad("on_sale", why)
	if v := r.get("stock"); v != "" {
		p.Stock, why = n.stock(v)
		bad("stock", why)
	}
	if v := r.get("sort"); v != "" {
		p.Order, why = parseCount(v, -1e12, 1e12)
		bad("sort", why)
	}
	return p, errs
}

// skuReason explains what is wrong with a SKU cell, "" if nothing.
func skuReason(sku string) string {
	switch {
	case sku == "":
		return "不能为空"
	case len(sku) > service.MaxSKULen:
		return "过长（最多 64 个字节）"
	case strings.IndexFunc(sku, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\uFFFD' }) >= 0:
		return "不能含空格、换行或无法识别的字符"
	}
	return ""
}

// ExportProducts writes the whole catalogue to w with the header an import reads back: stores and
// tags by name where the name is unique, prices in yuan. It reads the catalogue in pages.
func (s *Service) ExportProducts(ctx context.Context, w RowWriter) error {
	n, err := loadNames(ctx, s.store)
	if err != nil {
		return fmt.Errorf("export products: %w", err)
	}
	header := make([]string, 0, len(productColumns))
	for _, c := range productColumns {
		if c.key != "price_fen" {
			header = append(header, c.names[1])
		}
	}
	if err := w.Write(header); err != nil {
		return fmt.Errorf("export products: %w", err)
	}
	after := ""
	for {
		ps, err := s.store.ListProducts(ctx, after, 1000)
		if err != nil {
			return fmt.Errorf("export products after %q: %w", after, err)
		}
		for _, p := range ps {
			if err := w.Write(productCells(p, n)); err != nil {
				return fmt.Errorf("export products: %w", err)
			}
		}
		if len(ps) < 1000 {
			return nil
		}
		after = ps[len(ps)-1].SKU
	}
}

// productCells is one exported row, in productColumns' order without price_fen.
func productCells(p service.Product, n *names) []string {
	tags := make([]string, len(p.TagIDs))
	for i, id := range p.TagIDs {
		tags[i] = n.tagLabel(id)
	}
	stock := make([]string, len(p.Stock))
	for i, st := range p.Stock {
		stock[i] = fmt.Sprintf("%s:%d", n.storeLabel(st.StoreID), st.Qty)
	}
	onSale := "否"
	if p.OnSale {
		onSale = "是"
	}
	return []string{p.SKU, p.Name, p.Brand, p.Category, fmt.Sprintf("%d.%02d", p.PriceFen/100, p.PriceFen%100), p.ImageURL,
		p.LinkURL, p.Description, strings.Join(tags, "; "), onSale, strings.Join(stock, "; "), fmt.Sprint(p.Order)}
}
