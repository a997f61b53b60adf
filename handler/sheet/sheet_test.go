package sheet_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/guidebox/guidebox/handler/sheet"
)

type rec struct {
	Line  int
	Cells []string
	Bad   string
}

func readAll(t *testing.T, data []byte) []rec {
	t.Helper()
	r, err := sheet.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	defer r.Close()
	var out []rec
	for {
		line, cells, bad, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		out = append(out, rec{line, cells, bad})
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

const text = "货号,商品名称,价格(元)\r\nP001,丝绒哑光口红,199\r\n\"P,002\",\"玻尿酸\n精华液\",299.5\r\n"

func TestCSVEncodings(t *testing.T) {
	want := []rec{{1, []string{"货号", "商品名称", "价格(元)"}, ""}, {2, []string{"P001", "丝绒哑光口红", "199"}, ""},
		{3, []string{"P,002", "玻尿酸\n精华液", "299.5"}, ""}}
	tests := []struct {
		name string
		data []byte
	}{
		{"utf-8", []byte(text)},
		{"utf-8 with BOM", append([]byte("\ufeff"), text...)},
		{"gbk", gbk(t, text)},
		{"gbk after 100 KiB of ascii", gbk(t, "sku,name\r\n"+strings.Repeat("A0000000,plain ascii name\r\n", 4000)+"B1,口红\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readAll(t, tt.data)
			if tt.name == "gbk after 100 KiB of ascii" {
				last := got[len(got)-1]
				assert.Equal(t, []string{"B1", "口红"}, last.Cells, "the first non-ASCII byte decides, wherever it is")
				assert.Equal(t, 4002, last.Line)
				return
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestCSVBadRecordIsReportedAndReadingGoesOn(t *testing.T) {
	got := readAll(t, []byte("sku,name\nA1,ok\nA2,bad\"quote\nA3,fine\n"))
	require.Len(t, got, 4)
	assert.Equal(t, 3, got[2].Line)
	assert.Contains(t, got[2].Bad, "引号")
	assert.Equal(t, []string{"A3", "fine"}, got[3].Cells)
}

func TestUnreadableFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":        nil,
		"old xls":      {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0},
		"utf-16":       {0xFF, 0xFE, 'a', 0},
		"corrupt xlsx": []byte("PK\x03\x04 this is not a zip archive"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sheet.NewReader(bytes.NewReader(data))
			assert.ErrorIs(t, err, sheet.ErrUnreadable)
		})
	}
}

func TestXLSXReadsRawCellsWithLineNumbers(t *testing.T) {
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"货号", "价格(元)", "支付时间", "备注"}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A2", &[]any{"P001", 1299.5, 45413.5, "x"}))
	require.NoError(t, f.SetSheetRow("Sheet1", "A4", &[]any{"P002", 88})) // row 3 blank, row 4 short
	style, err := f.NewStyle(&excelize.Style{NumFmt: 4})                  // #,##0.00 must not reach the importer
	require.NoError(t, err)
	require.NoError(t, f.SetCellStyle("Sheet1", "B2", "B4", style))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))

	got := readAll(t, buf.Bytes())
	require.Len(t, got, 4)
	assert.Equal(t, rec{2, []string{"P001", "1299.5", "45413.5", "x"}, ""}, got[1])
	assert.Equal(t, 3, got[2].Line)
	assert.Equal(t, rec{4, []string{"P002", "88", "", ""}, ""}, got[3], "padded to the header's width")
}

func TestWritersRoundTrip(t *testing.T) {
	rows := [][]string{{"货号", "商品名称"}, {"P001", "口红, 正红色"}, {"00123", "1299.00"}}
	for _, f := range []sheet.Format{sheet.CSV, sheet.XLSX} {
		t.Run(string(f), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := sheet.NewWriter(&buf, f)
			require.NoError(t, err)
			for _, r := range rows {
				require.NoError(t, w.Write(r))
			}
			require.NoError(t, w.Close())
			if f == sheet.CSV {
				assert.True(t, bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")), "a BOM for Excel")
			}
			got := readAll(t, buf.Bytes())
			require.Len(t, got, 3)
			for i, r := range rows {
				assert.Equal(t, r, got[i].Cells, "text stays text (leading zeros kept)")
			}
		})
	}
}

func TestFormatOf(t *testing.T) {
	f, err := sheet.FormatOf("商品.XLSX")
	require.NoError(t, err)
	assert.Equal(t, sheet.XLSX, f)
	_, err = sheet.FormatOf("products.xls")
	assert.Error(t, err)
}
