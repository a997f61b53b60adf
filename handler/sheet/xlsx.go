package sheet

import (
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// newXLSXReader reads the first sheet of a workbook. Cells come raw (numbers as written, dates as
// Excel serial numbers): number formats such as thousands separators never reach the importer.
// Rows end at their last non-empty cell in the file; they are padded to the header's width.
func newXLSXReader(r io.Reader) (*Reader, error) {
	lr := &io.LimitedReader{R: r, N: MaxXLSXBytes + 1}
	f, err := excelize.OpenReader(lr, excelize.Options{RawCellValue: true, UnzipSizeLimit: 4 * MaxXLSXBytes})
	if lr.N <= 0 {
		return nil, fmt.Errorf("%w: XLSX 文件超过 %d MiB，请拆分或改用 CSV", ErrUnreadable, MaxXLSXBytes>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: XLSX 文件已损坏或无法解析（%v）", ErrUnreadable, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, fmt.Errorf("%w: 工作簿中没有工作表", ErrUnreadable)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%w: 无法读取工作表「%s」（%v）", ErrUnreadable, sheets[0], err)
	}
	line, width := 0, 0
	return &Reader{
		next: func() (int, []string, string, error) {
			if !rows.Next() {
				if err := rows.Error(); err != nil {
					return line, nil, "", fmt.Errorf("%w: %v", ErrUnreadable, err)
				}
				return line, nil, "", io.EOF
			}
			line++
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return line, nil, "", fmt.Errorf("%w: 第 %d 行：%v", ErrUnreadable, line, err)
			}
			if width == 0 && !blank(cells) {
				width = len(cells) // the header
			}
			for len(cells) < width {
				cells = append(cells, "")
			}
			return line, cells, "", nil
		},
		close: func() error { return errors.Join(rows.Close(), f.Close()) },
	}, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}
