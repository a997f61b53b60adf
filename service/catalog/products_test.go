package catalog_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/handler/sheet"
	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/catalog"
)

const productsCSV = "货号,商品名称,品牌,品类,价格(元),图片,标签,在售,库存\r\n" +
	"P001,丝绒哑光口红,兰蔻,美妆,199.00,https://img.example.com/p1.jpg,美妆；et-jj,是,上海南京西路店:12; 3:0\r\n" +
	"P002,\"香薰蜡烛, 礼盒\",野兽派,家居,\"￥1,299.5\",,,否,\r\n"

func TestImportProductsInEveryEncoding(t *testing.T) {
	files := map[string][]byte{
		"utf-8":          []byte(productsCSV),
		"utf-8 with BOM": append([]byte("\ufeff"), productsCSV...),
		"gbk":            gbk(t, productsCSV),
		"xlsx": xlsx(t, [][]any{{"sku", "name", "brand", "category", "price", "image_url", "tags", "on_sale", "stock"},
			{"P001", "丝绒哑光口红", "兰蔻", "美妆", 199, "https://img.example.com/p1.jpg", "美妆；et-jj", "是", "上海南京西路店:12; 3:0"},
			{"P002", "香薰蜡烛, 礼盒", "野兽派", "家居", 1299.5, "", "", 0, ""}}),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			rep, err := e.svc.ImportProducts(context.Background(), rows(t, data))
			require.NoError(t, err)
			assert.Equal(t, catalog.Report{Rows: 2, Imported: 2}, rep)
			assert.Equal(t, service.Product{SKU: "P001", Name: "丝绒哑光口红", Brand: "兰蔻", Category: "美妆", PriceFen: 19900,
				ImageURL: "https://img.example.com/p1.jpg", TagIDs: []string{"et-mz", "et-jj"}, OnSale: true,
				Stock: []service.StoreStock{{StoreID: 2, Qty: 12}, {StoreID: 3, Qty: 0}}}, e.product(t, "P001"))
			assert.Equal(t, service.Product{SKU: "P002", Name: "香薰蜡烛, 礼盒", Brand: "野兽派", Category: "家居", PriceFen: 129950},
				e.product(t, "P002"), "off sale, stock not tracked")
		})
	}
}

// Every kind of bad row is refused with its line, column and reason; the good rows are kept.
func TestImportProductsReportsEveryBadRow(t *testing.T) {
	e := newEnv(t)
	file := strings.Join([]string{
		"货号,商品名称,价格(元),库存,标签",
		"P001,好商品,10,2:5,美妆",
		"P002,缺列商品",
		"P003,坏价格,12.345,,",
		"P004,负价格,-3,,",
		"P005,门店错,10,成都春熙路店:3,",
		"P006,门店重名,10,杭州湖滨店:1,",
		"P001,重复货号,10,,",
		"P007,标签错,10,,不存在的标签",
		"P008,标签重名,10,,新客",
		",没有货号,10,,",
		"P009,坏库存,10,2:很多,",
		"",
		"P010,未加引号,的逗号,10,2:1,美妆",
		"P011,好商品二,0.5,,et-jj",
	}, "\n")
	rep, err := e.svc.ImportProducts(context.Background(), rows(t, []byte(file)))
	require.NoError(t, err)
	assert.Equal(t, 13, rep.Rows, "the blank line is skipped, and counted in line numbers")
	assert.Equal(t, 2, rep.Imported)
	assert.Equal(t, 11, rep.Refused)
	want := []struct {
		line   int
		field  string
		reason string
	}{
		{3, "价格(元)", "缺少该列"}, {3, "库存", "缺少该列"}, {3, "标签", "缺少该列"},
		{4, "价格(元)", "「12.345」不是有效金额"},
		{5, "价格(元)", "不能为负数"},
		{6, "库存", "未知门店「成都春熙路店」"},
		{7, "库存", "门店名称「杭州湖滨店」不唯一"},
		{8, "货号", "货号「P001」在文件中重复，与第 2 行相同"},
		{9, "标签", "未知标签「不存在的标签」"},
		{10, "标签", "标签名称「新客」在多个标签组中"},
		{11, "货号", "不能为空"},
		{12, "库存", "门店「2」的库存「很多」不是整数"},
		{14, "", "比表头多出 1 列"}, // a row of the wrong shape is not read further
	}
	require.Len(t, rep.Errors, len(want), "%+v", rep.Errors)
	for i, w := range want {
		got := rep.Errors[i]
		assert.Equal(t, w.line, got.Line, "error %d: %+v", i, got)
		assert.Equal(t, w.field, got.Field, "error %d: %+v", i, got)
		assert.Contains(t, got.Reason, w.reason, "error %d", i)
	}
	assert.Equal(t, "好商品", e.product(t, "P001").Name, "the first row of a duplicated SKU is kept")
	assert.Equal(t, int64(50), e.product(t, "P011").PriceFen)
	_, err = e.store.GetProduct(context.Background(), "P003")
	assert.ErrorIs(t, err, service.ErrNotFound, "a refused row writes nothing")
}

func TestImportProductsRefusesAnUnusableFile(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"no sku column", "商品名称,价格(元)\nA,1\n", "缺少必需的列「货号」"},
		{"no price column", "货号,商品名称\nA,B\n", "需要且只能有一列价格"},
		{"two price columns", "sku,name,price,price_fen\nA,B,1,100\n", "需要且只能有一列价格"},
		{"a column twice", "sku,货号,name,price\n", "是同一列"},
		{"only blank lines", "\n\n,,\n", "没有表头"},
	}
	e := newEnv(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := e.svc.ImportProducts(context.Background(), rows(t, []byte(tt.file)))
			var ve *service.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "file", ve.Field)
			assert.Contains(t, ve.Reason, tt.want)
			assert.Zero(t, rep.Imported)
		})
	}
}

// An upsert by SKU changes what the file has and keeps what it lacks; an empty stock cell means the
// product's stock is no longer tracked.
func TestImportProductsUpsertKeepsColumnsTheFileLacks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, err := e.svc.ImportProducts(ctx, rows(t, []byte(productsCSV)))
	require.NoError(t, err)

	rep, err := e.svc.ImportProducts(ctx, rows(t, []byte("sku,name,price_fen\nP001,口红（新包装）,20900\nP003,新品,100\n")))
	require.NoError(t, err)
	assert.Equal(t, catalog.Report{Rows: 2, Imported: 2}, rep)
	p := e.product(t, "P001")
	assert.Equal(t, "口红（新包装）", p.Name)
	assert.Equal(t, int64(20900), p.PriceFen)
	assert.Equal(t, "兰蔻", p.Brand, "no brand column: the brand stays")
	assert.Equal(t, []service.StoreStock{{StoreID: 2, Qty: 12}, {StoreID: 3, Qty: 0}}, p.Stock)
	assert.True(t, e.product(t, "P003").OnSale, "a new product is on sale unless the file says otherwise")

	_, err = e.svc.ImportProducts(ctx, rows(t, []byte("sku,name,price,stock\nP001,口红,209,\n")))
	require.NoError(t, err)
	assert.Nil(t, e.product(t, "P001").Stock, "an empty stock cell: stock not tracked")
}

// Beyond one batch, and with duplicates across batches, every row is accounted for.
func TestImportProductsInBatches(t *testing.T) {
	e := newEnv(t)
	var b strings.Builder
	b.WriteString("sku,name,price_fen,stock\n")
	for i := range 1203 {
		fmt.Fprintf(&b, "S%05d,商品%d,%d,2:%d\n", i%1200, i, 100+i, i)
	}
	rep, err := e.svc.ImportProducts(context.Background(), rows(t, []byte(b.String())))
	require.NoError(t, err)
	assert.Equal(t, 1203, rep.Rows)
	assert.Equal(t, 1200, rep.Imported)
	assert.Equal(t, 3, rep.Refused)
	assert.Equal(t, 1202, rep.Errors[0].Line)
	assert.Equal(t, []service.StoreStock{{StoreID: 2, Qty: 1199}}, e.product(t, "S01199").Stock)
}

// What export writes, import reads back to the same catalogue, in both formats.
func TestExportThenImportGivesTheSameCatalogue(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ps := []service.Product{
		{SKU: "A1", Name: "口红, 正红", Brand: "兰蔻", Category: "美妆", Description: "滋润", PriceFen: 19905, ImageURL: "/demo/a.svg",
			LinkURL: "https://shop.example.com/a", TagIDs: []string{"et-mz", "et-new2"}, OnSale: true, Order: 7,
			Stock: []service.StoreStock{{StoreID: 2, Qty: 3}, {StoreID: 4, Qty: 0}}},
		{SKU: "A2", Name: "毛毯", PriceFen: 5, OnSale: false},
	}
	require.NoError(t, e.svc.SaveProducts(ctx, ps))
	for _, f := range []sheet.Format{sheet.CSV, sheet.XLSX} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := sheet.NewWriter(&buf, f)
			require.NoError(t, err)
			require.NoError(t, e.svc.ExportProducts(ctx, w))
			require.NoError(t, w.Close())
			if f == sheet.CSV {
				out := buf.String()
				assert.Contains(t, out, "货号,商品名称,品牌,品类,价格(元)")
				assert.Contains(t, out, "上海南京西路店:3; 4:0", "a unique store name, the id of an ambiguous one")
				assert.Contains(t, out, "美妆; et-new2", "a unique tag name, the id of an ambiguous one")
			}
			other := newEnv(t)
			rep, err := other.svc.ImportProducts(ctx, rows(t, buf.Bytes()))
			require.NoError(t, err)
			assert.Equal(t, catalog.Report{Rows: 2, Imported: 2}, rep)
			for _, p := range ps {
				assert.Equal(t, p, other.product(t, p.SKU))
			}
		})
	}
}

// A store offers the on-sale products it has a stock row for (sold out included) and those whose stock
// is not tracked; the sidebar's reads see only that store's row.
func TestStoreProductsOffersStockedAndUntracked(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	require.NoError(t, e.svc.SaveProducts(ctx, []service.Product{
		{SKU: "EVERY", Name: "不计库存", OnSale: true, Order: 3},
		{SKU: "HERE", Name: "本店有", OnSale: true, Order: 2, Stock: []service.StoreStock{{StoreID: 2, Qty: 4}, {StoreID: 3, Qty: 9}}},
		{SKU: "SOLDOUT", Name: "本店售罄", OnSale: true, Order: 1, Stock: []service.StoreStock{{StoreID: 2, Qty: 0}}},
		{SKU: "THERE", Name: "他店有", OnSale: true, Stock: []service.StoreStock{{StoreID: 3, Qty: 5}}},
		{SKU: "OFF", Name: "下架", OnSale: false},
	}))
	ps, err := e.store.StoreProducts(ctx, 2, 10)
	require.NoError(t, err)
	var got []string
	for _, p := range ps {
		got = append(got, p.SKU)
	}
	assert.Equal(t, []string{"EVERY", "HERE", "SOLDOUT"}, got, "by order, larger first")
	assert.Nil(t, ps[0].Stock)
	assert.Equal(t, []service.StoreStock{{StoreID: 2, Qty: 4}}, ps[1].Stock)
	assert.True(t, ps[2].OfferedIn(2))
	full, err := e.store.GetProduct(ctx, "HERE")
	require.NoError(t, err)
	assert.False(t, full.OfferedIn(4))
	assert.Equal(t, int64(9), func() int64 { q, _ := full.StockIn(3); return q }())
}
