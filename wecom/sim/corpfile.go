package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// ReadCorp decodes a seed file: a Corp as JSON (field names as in the Go
// types, times in RFC 3339), e.g. written by WriteCorp.
func ReadCorp(r io.Reader) (*Corp, error) {
	var c Corp
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("sim: read corp: %w", err)
	}
	return &c, nil
}

// LoadCorpFile reads a seed file from path.
func LoadCorpFile(path string) (*Corp, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sim: open corp file: %w", err)
	}
	defer f.Close()
	return ReadCorp(f)
}

// WriteCorp encodes c as an indented JSON seed file.
func WriteCorp(w io.Writer, c *Corp) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("sim: write corp: %w", err)
	}
	return nil
}
