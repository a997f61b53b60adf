package sheet

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// newCSVReader reads CSV text in UTF-8 (a byte-order mark is dropped) or GBK, as Excel saves
// 「CSV（逗号分隔）」 on a Chinese system.
func newCSVReader(br *bufio.Reader) *Reader {
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(&sniffer{br: br})
	cr.FieldsPerRecord = -1 // a short row is reported by the importer, naming the missing column
	cr.ReuseRecord = false
	return &Reader{next: func() (int, []string, string, error) {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && (errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote)):
			return pe.StartLine, nil, fmt.Sprintf("CSV 格式错误（第 %d 列引号不成对）", pe.Column), nil
		case err != nil:
			if !errors.Is(err, io.EOF) {
				err = fmt.Errorf("%w: %v", ErrUnreadable, err)
			}
			line, _ := cr.FieldPos(0)
			return line, nil, "", err
		}
		line, _ := cr.FieldPos(0)
		return line, rec, "", nil
	}}
}

// sniffer decides the encoding of a CSV text at its first non-ASCII byte: what comes before it is
// ASCII, the same in UTF-8 and GBK. Up to 64 KiB from there must be valid UTF-8 to read the file
// as UTF-8; otherwise it is decoded as GB18030 (which reads GBK and GB2312).
type sniffer struct {
	br  *bufio.Reader
	dec io.Reader // nil until decided
}

func (s *sniffer) Read(p []byte) (int, error) {
	if s.dec != nil {
		return s.dec.Read(p)
	}
	if len(p) == 0 {
		return 0, nil
	}
	buf, err := s.br.Peek(min(len(p), s.br.Size()))
	if len(buf) == 0 {
		return 0, err
	}
	i := 0
	for i < len(buf) && buf[i] < utf8.RuneSelf {
		i++
	}
	if i > 0 {
		n := copy(p, buf[:i])
		_, _ = s.br.Discard(n)
		return n, nil
	}
	ahead, err := s.br.Peek(s.br.Size())
	if err == nil || !errors.Is(err, io.EOF) { // cut off mid-text: drop a rune the window may split
		for k := 0; k < utf8.UTFMax && len(ahead) > 0 && !utf8.Valid(ahead); k++ {
			ahead = ahead[:len(ahead)-1]
		}
	}
	if utf8.Valid(ahead) {
		s.dec = s.br
	} else {
		s.dec = transform.NewReader(s.br, simplifiedchinese.GB18030.NewDecoder())
	}
	return s.dec.Read(p)
}
