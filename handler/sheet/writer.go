package sheet

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Writer writes a table as CSV or XLSX.
type Writer struct {
	write func(cells []string) error
	close func() error
}

// NewWriter writes a table to w. CSV is UTF-8 with a byte-order mark, so that Excel opens Chinese
// text correctly, and streamed; XLSX is written row by row to a stream writer (rows go to a
// temporary file beyond a few MiB) and the workbook goes to w on Close.
func NewWriter(w io.Writer, f Format) (*Writer, error) {
	switch f {
	case CSV:
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
		cw := csv.NewWriter(w)
		cw.UseCRLF = true // what Excel writes
		return &Writer{write: cw.Write, close: func() error { cw.Flush(); return cw.Error() }}, nil
	case XLSX:
		return newXLSXWriter(w)
	}
	return nil, fmt.Errorf("sheet: unknown format %q", f)
}

func newXLSXWriter(w io.Writer) (*Writer, error) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	row := 0
	return &Writer{
		write: func(cells []string) error {
			row++
			vals := make([]any, len(cells))
			for i, c := range cells {
				vals[i] = c // text cells: SKUs and amounts keep their exact text
			}
			cell, err := excelize.CoordinatesToCellName(1, row)
			if err != nil {
				return err
			}
			return sw.SetRow(cell, vals)
		},
		close: func() error {
			defer func() { _ = f.Close() }()
			if err := sw.Flush(); err != nil {
				return err
			}
			_, err := f.WriteTo(w)
			return err
		},
	}, nil
}

// Write writes one record.
func (w *Writer) Write(cells []string) error { return w.write(cells) }

// Close finishes the file.
func (w *Writer) Close() error { return w.close() }
