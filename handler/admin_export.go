package handler

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"
)

// exportTable is one export of the console: a file name, a sheet name, a header row, and the rows,
// produced page by page by rows (which calls emit once per row, in order).
type exportTable struct {
	file   string // file name without extension, ASCII
	sheet  string // the XLSX sheet's name
	header []string
	rows   func(emit func(row []any) error) error
}

// exportLimit bounds one export; a guide holds at most 50,000 customers in WeCom, so a case's items fit.
const exportLimit = 500_000

// cst is China Standard Time, the zone exports write times in (the console shows the browser's).
var cst = time.FixedZone("CST", 8*3600)

// exportTime formats a time for an export cell ("" for none).
func exportTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(cst).Format("2006-01-02 15:04:05")
}

// export writes t as CSV (UTF-8 with a BOM, so Excel reads Chinese right) or XLSX (format=xlsx). An
// error before the first row is answered as usual; later, a CSV download ends short and the error is logged.
func (h *AdminHandler) export(c *gin.Context, t exportTable) {
	format := c.DefaultQuery("format", "csv")
	if err := oneOf("format", format, "csv", "xlsx"); err != nil {
		fail(c, h.d.Log, err)
		return
	}
	name := fmt.Sprintf("%s-%s.%s", t.file, time.Now().In(cst).Format("20060102-1504"), format)
	if format == "xlsx" {
		h.exportXLSX(c, t, name)
		return
	}
	var w *csv.Writer
	start := func() {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
		c.Status(http.StatusOK)
		_, _ = c.Writer.WriteString("\uFEFF")
		w = csv.NewWriter(c.Writer)
		_ = w.Write(t.header)
	}
	n := 0
	err := t.rows(func(row []any) error {
		if w == nil {
			start()
		}
		if n++; n > exportLimit {
			return errExportFull
		}
		return w.Write(csvRow(row))
	})
	if err != nil && err != errExportFull && w == nil {
		fail(c, h.d.Log, err)
		return
	}
	if w == nil {
		start()
	}
	w.Flush()
	if err != nil && err != errExportFull {
		h.d.Log.ErrorContext(c.Request.Context(), "export ended early", "route", c.FullPath(), "rows", n, "err", err)
	}
}

var errExportFull = fmt.Errorf("export limit of %d rows reached", exportLimit)

// csvRow turns cells into text. A text cell starting with = + - @ (or a tab or carriage return) gets a
// leading apostrophe, so a customer named "=HYPERLINK(…)" stays text in a spreadsheet (CSV injection).
func csvRow(row []any) []string {
	out := make([]string, len(row))
	for i, v := range row {
		s, ok := v.(string)
		if !ok {
			out[i] = fmt.Sprint(v)
			continue
		}
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			s = "'" + s
		}
		out[i] = s
	}
	return out
}

// exportXLSX writes t as one sheet through excelize's stream writer; strings stay strings (never
// formulas), numbers are numbers.
func (h *AdminHandler) exportXLSX(c *gin.Context, t exportTable, name string) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	err := func() error {
		if err := f.SetSheetName("Sheet1", t.sheet); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(t.sheet)
		if err != nil {
			return err
		}
		bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
		if err != nil {
			return err
		}
		if err := sw.SetColWidth(1, len(t.header), 18); err != nil {
			return err
		}
		head := make([]any, len(t.header))
		for i, hd := range t.header {
			head[i] = excelize.Cell{StyleID: bold, Value: hd}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		n := 1
		err = t.rows(func(row []any) error {
			if n++; n > exportLimit+1 {
				return errExportFull
			}
			cell, err := excelize.CoordinatesToCellName(1, n)
			if err != nil {
				return err
			}
			return sw.SetRow(cell, row)
		})
		if err != nil && err != errExportFull {
			return err
		}
		return sw.Flush()
	}()
	if err != nil {
		fail(c, h.d.Log, err)
		return
	}
	c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Status(http.StatusOK)
	if err := f.Write(c.Writer); err != nil {
		h.d.Log.ErrorContext(c.Request.Context(), "export ended early", "route", c.FullPath(), "err", err)
	}
}
