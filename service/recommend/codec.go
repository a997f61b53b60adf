package recommend

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// The stored index is text in chunks of up to chunkBytes, one record a line, fields by tabs
// (SKUs hold no whitespace; category names are quoted):
//
//	n  SKU \t neighbour \t score \t neighbour \t score …
//	s  store \t SKU \t qty \t SKU \t qty …          (best first)
//	c  S \t SKU \t days   |   C \t "category" \t days
//	p  SKU \t buyers
const chunkBytes = 256 << 10

// Index kinds.
const (
	kindNeighbors = "n"
	kindStoreTop  = "s"
	kindCycles    = "c"
	kindBuyers    = "p"
)

// chunker cuts records of one kind into chunks.
type chunker struct {
	kind   string
	chunks []Chunk
	b      strings.Builder
}

func (c *chunker) add(record string) {
	if c.b.Len()+len(record)+1 > chunkBytes && c.b.Len() > 0 {
		c.flush()
	}
	c.b.WriteString(record)
	c.b.WriteByte('\n')
}

func (c *chunker) flush() {
	if c.b.Len() == 0 {
		return
	}
	c.chunks = append(c.chunks, Chunk{Kind: c.kind, No: len(c.chunks), Data: c.b.String()})
	c.b.Reset()
}

func (c *chunker) done() []Chunk {
	c.flush()
	return c.chunks
}

// records calls fn with the fields of each record of a chunk.
func records(data string, fn func(fields []string) error) error {
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), chunkBytes+1024)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			if err := fn(strings.Split(line, "\t")); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

func atoi32(s string) (int32, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("index: bad number %q", s)
	}
	return int32(n), nil
}

func atof32(s string) (float32, error) {
	f, err := strconv.ParseFloat(s, 32)
	if err != nil {
		return 0, fmt.Errorf("index: bad score %q", s)
	}
	return float32(f), nil
}
