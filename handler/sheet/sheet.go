// Package sheet reads and writes tables as operators exchange them: CSV as Excel saves it (UTF-8
// with or without a byte-order mark, or GBK) and XLSX. It knows nothing of guidebox's domain; the
// catalogue reads records through its Rows port and writes them through RowWriter.
package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// Format is a table file format.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// FormatOf picks the format from a file name's extension (.csv or .xlsx).
func FormatOf(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return CSV, nil
	case ".xlsx":
		return XLSX, nil
	}
	return "", fmt.Errorf("%q: the file name must end in .csv or .xlsx", name)
}

// ErrUnreadable is a file that is neither a CSV text nor an XLSX workbook guidebox can read.
var ErrUnreadable = errors.New("unreadable file")

// MaxXLSXBytes bounds an XLSX file: a workbook is a zip archive that must be read whole (its
// directory is at the end), so its size is memory. A CSV file is streamed and has no bound.
const MaxXLSXBytes = 256 << 20

// Reader reads the records of a CSV or XLSX file one at a time.
type Reader struct {
	next  func() (int, []string, string, error)
	close func() error
}

// NewReader opens r as a table. The format is read from the content, not the name: a zip archive is
// XLSX, an OLE2 file (.xls, the old Excel format) is refused, anything else is CSV text. XLSX is read
// from its first sheet; CSV is streamed.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(8)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return newXLSXReader(br)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, fmt.Errorf("%w: 旧版 Excel（.xls）或加密的工作簿无法读取，请另存为 .xlsx 或 CSV", ErrUnreadable)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, fmt.Errorf("%w: UTF-16 文本无法读取，请另存为「CSV UTF-8」或 .xlsx", ErrUnreadable)
	case len(head) == 0:
		return nil, fmt.Errorf("%w: 文件为空", ErrUnreadable)
	}
	return newCSVReader(br), nil
}

// Next returns the next record with its line (the row number in a workbook), io.EOF after the last.
// A CSV record that does not parse comes back with the reason in bad and reading goes on.
func (r *Reader) Next() (line int, cells []string, bad string, err error) { return r.next() }

// Close releases the reader (an XLSX workbook's temporary files).
func (r *Reader) Close() error {
	if r.close == nil {
		return nil
	}
	return r.close()
}
