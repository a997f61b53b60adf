package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/guidebox/guidebox/handler/sheet"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
	"github.com/guidebox/guidebox/wecom/sim"
)

// Exit codes of `products import` and `orders import`.
const (
	exitRefused    = 1 // some rows were refused; the good ones are stored
	exitUnreadable = 2 // the file (or the import) failed; rows stored before the failure stay
)

// runCatalog is `guidebox products import FILE | products export FILE` and `guidebox orders import FILE`,
// printing reports to out.
func runCatalog(ctx context.Context, what string, args []string, std stdio) error {
	out := std.out
	usage := &exitError{code: exitUnreadable, err: fmt.Errorf("usage: guidebox products import FILE | products export FILE | orders import FILE  (FILE: .csv or .xlsx)")}
	cfg, rest, err := loadConfig(args, 0)
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	if len(rest) != 2 || (rest[0] != "import" && !(what == "products" && rest[0] == "export")) {
		return usage
	}
	a, err := openApp(ctx, cfg, newLogger(cfg.Log, std.err))
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	defer a.close()
	if rest[0] == "export" {
		return exportProducts(ctx, a.catalog, rest[1], out)
	}
	run := a.catalog.ImportProducts
	if what == "orders" {
		run = a.catalog.ImportOrders
	}
	return importFile(ctx, run, rest[1], out)
}

// runProducts is `guidebox products import|export FILE`.
func runProducts(ctx context.Context, args []string, std stdio) error {
	return runCatalog(ctx, "products", args, std)
}

// runOrders is `guidebox orders import FILE`.
func runOrders(ctx context.Context, args []string, std stdio) error {
	return runCatalog(ctx, "orders", args, std)
}

// importFile imports a file and prints its report; the exit code says how it went.
func importFile(ctx context.Context, run func(context.Context, catalog.Rows) (catalog.Report, error), path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return &exitError{code: exitUnreadable, err: fmt.Errorf("文件无法读取：%w", err)}
	}
	defer f.Close()
	rows, err := sheet.NewReader(f)
	if err != nil {
		return &exitError{code: exitUnreadable, err: fmt.Errorf("%s: %w", path, err)}
	}
	defer rows.Close()
	rep, err := run(ctx, rows)
	printReport(out, rep)
	var ve *service.ValidationError
	switch {
	case errors.As(err, &ve):
		return &exitError{code: exitUnreadable, err: fmt.Errorf("%s: %s", path, ve.Reason)}
	case err != nil:
		return &exitError{code: exitUnreadable, err: err}
	case rep.Refused > 0:
		return &exitError{code: exitRefused}
	}
	return nil
}

// printReport writes a report: one line per refused row, then the counts.
func printReport(out io.Writer, r catalog.Report) {
	for _, e := range r.Errors {
		field := e.Field
		if field == "" {
			field = "-"
		}
		fmt.Fprintf(out, "第 %d 行\t%s\t%s\n", e.Line, field, e.Reason)
	}
	if r.Dropped > 0 {
		fmt.Fprintf(out, "……另有 %d 条错误未列出\n", r.Dropped)
	}
	fmt.Fprintf(out, "共 %d 行：导入 %d 行，拒绝 %d 行", r.Rows, r.Imported, r.Refused)
	if r.Orders > 0 {
		fmt.Fprintf(out, "（%d 个订单）", r.Orders)
	}
	fmt.Fprintln(out)
}

// exportProducts writes the catalogue to path (.csv or .xlsx), or CSV to out when path is "-".
func exportProducts(ctx context.Context, c *catalog.Service, path string, out io.Writer) error {
	format, w := sheet.CSV, out
	if path != "-" {
		var err error
		if format, err = sheet.FormatOf(path); err != nil {
			return &exitError{code: exitUnreadable, err: err}
		}
		f, err := os.Create(path)
		if err != nil {
			return &exitError{code: exitUnreadable, err: err}
		}
		defer f.Close()
		w = f
	}
	sw, err := sheet.NewWriter(w, format)
	if err == nil {
		err = errors.Join(c.ExportProducts(ctx, sw), sw.Close())
	}
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	return nil
}

// seedDemoProducts writes the simulator's demo catalogue (brands, categories, stock per store), each
// product tagged with its category's 偏好品类 tag, and a 母婴 product with its 母婴阶段 tag, in the demo
// corp, so recommendations can say why.
func (a *app) seedDemoProducts(ctx context.Context) error {
	if err := a.catalog.SaveProducts(ctx, demoProducts(sim.DemoCorp(1))); err != nil {
		return fmt.Errorf("demo products: %w", err)
	}
	return nil
}

// demoProducts converts the simulator's demo catalogue, tagged from corp's 偏好品类 and 母婴阶段 tags.
func demoProducts(corp *sim.Corp) []service.Product {
	cat, stage := map[string]string{}, map[string]string{}
	for _, g := range corp.TagGroups {
		for _, t := range g.Tags {
			switch g.Name {
			case "偏好品类":
				cat[t.Name] = t.ID
			case "母婴阶段":
				stage[t.Name] = t.ID
			}
		}
	}
	var out []service.Product
	for i, p := range sim.DemoProducts() {
		sp := service.Product{SKU: p.ID, Name: p.Name, Brand: p.Brand, Category: p.Category, PriceFen: int64(p.Price), OnSale: true,
			LinkURL: "https://shop.example.com/products/" + p.ID, Order: int64(1000 - i), ImageURL: "/demo/products/" + p.ID + ".svg"}
		if id := cat[p.Category]; id != "" {
			sp.TagIDs = []string{id}
		}
		if id := stage[p.Stage]; id != "" {
			sp.TagIDs = append(sp.TagIDs, id)
		}
		for _, st := range p.Stock {
			sp.Stock = append(sp.Stock, service.StoreStock{StoreID: int64(st.StoreID), Qty: int64(st.Qty)})
		}
		out = append(out, sp)
	}
	return out
}
