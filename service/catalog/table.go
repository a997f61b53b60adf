package catalog

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/guidebox/guidebox/service"
)

// RowError is one reason a row of an imported file was refused: its line in the file, the column as
// the file names it ("" for the row as a whole) and the reason, in Chinese for the operator.
type RowError struct {
	Line   int
	Field  string
	Reason string
}

// MaxReported bounds the reasons a report lists; Refused always counts every refused row.
const MaxReported = 10000

// Report is the outcome of an import: rows read (blank rows are skipped), stored and refused.
type Report struct {
	Rows     int
	Imported int
	Refused  int
	Orders   int        // orders stored or already stored unchanged (order imports)
	Errors   []RowError // the refused rows' reasons, in file order, at most MaxReported
	Dropped  int        // reasons beyond MaxReported, not listed
}

func (r *Report) refuse(errs []RowError) {
	r.Refused++
	for _, e := range errs {
		if len(r.Errors) >= MaxReported {
			r.Dropped++
			continue
		}
		r.Errors = append(r.Errors, e)
	}
}

// column is one column an import understands: its key and the header names accepted for it,
// English and Chinese, compared after normalise.
type column struct {
	key   string
	names []string
	need  bool
}

// normalise makes header names comparable: case, spaces, underscores, hyphens, full-width
// parentheses and the asterisk templates put on required columns do not matter.
func normalise(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
	return strings.NewReplacer(" ", "", "\u3000", "", "_", "", "-", "", "*", "", "（", "(", "）", ")").Replace(h)
}

// table reads records of a file whose first non-blank record is the header.
type table struct {
	rows   Rows
	index  map[string]int    // column key → cell position
	names  map[string]string // column key → header as the file writes it
	header []string
}

// unreadable is the error of a file that cannot be imported at all.
func unreadable(reason string) error { return service.Invalid("file", reason) }

// openTable reads the header and maps it to cols; a missing required column or a column given twice
// makes the file unreadable.
func openTable(rows Rows, cols []column) (*table, error) {
	t := &table{rows: rows, index: map[string]int{}, names: map[string]string{}}
	for {
		_, cells, bad, err := rows.Next()
		if errors.Is(err, io.EOF) {
			return nil, unreadable("文件为空：没有表头")
		}
		if err != nil {
			return nil, unreadable(err.Error())
		}
		if bad != "" {
			return nil, unreadable("表头无法解析：" + bad)
		}
		if !blank(cells) {
			t.header = cells
			break
		}
	}
	byName := map[string]string{}
	for _, c := range cols {
		for _, n := range c.names {
			byName[normalise(n)] = c.key
		}
	}
	for i, h := range t.header {
		key, ok := byName[normalise(h)]
		if !ok {
			continue // a column the import does not use
		}
		if _, dup := t.index[key]; dup {
			return nil, unreadable(fmt.Sprintf("表头中「%s」与「%s」是同一列", t.names[key], strings.TrimSpace(h)))
		}
		t.index[key], t.names[key] = i, strings.TrimSpace(h)
	}
	for _, c := range cols {
		if _, ok := t.index[c.key]; c.need && !ok {
			return nil, unreadable(fmt.Sprintf("缺少必需的列「%s」（表头可写 %s）", c.names[1], strings.Join(c.names, " / ")))
		}
	}
	return t, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// record is one data row.
type record struct {
	line  int
	cells []string
	t     *table
}

// has reports whether the file has the column.
func (t *table) has(key string) bool { _, ok := t.index[key]; return ok }

// name is the column as the file writes it, or key when the file lacks it.
func (t *table) name(key string) string {
	if n, ok := t.names[key]; ok {
		return n
	}
	return key
}

// get is the trimmed cell of a column; "" when the file lacks the column.
func (r record) get(key string) string {
	i, ok := r.t.index[key]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// next returns the next non-blank data row, or the row's errors if its shape is wrong (a CSV record
// that does not parse, missing columns, more cells than the header). io.EOF after the last row.
func (t *table) next() (record, []RowError, error) {
	for {
		line, cells, bad, err := t.rows.Next()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				err = unreadable(fmt.Sprintf("第 %d 行之后无法继续读取：%v", line, err))
			}
			return record{}, nil, err
		}
		if bad != "" {
			return record{line: line}, []RowError{{Line: line, Reason: bad}}, nil
		}
		if blank(cells) {
			continue
		}
		r := record{line: line, cells: cells, t: t}
		var errs []RowError
		for key, i := range t.index {
			if i >= len(cells) {
				errs = append(errs, RowError{Line: line, Field: t.names[key], Reason: "缺少该列（此行的列数少于表头）"})
			}
		}
		if extra := nonBlankBeyond(cells, len(t.header)); extra > 0 {
			errs = append(errs, RowError{Line: line, Reason: fmt.Sprintf("比表头多出 %d 列（值中含逗号时请加英文双引号）", extra)})
		}
		return r, sortErrs(errs), nil
	}
}

func nonBlankBeyond(cells []string, n int) int {
	extra := 0
	for i := n; i < len(cells); i++ {
		if strings.TrimSpace(cells[i]) != "" {
			extra++
		}
	}
	return extra
}

// sortErrs orders a row's errors by field, so reports do not depend on map order.
func sortErrs(errs []RowError) []RowError {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Field < errs[j-1].Field; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
	return errs
}
