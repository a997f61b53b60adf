package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Time scans a DATETIME that arrives as time.Time (MySQL, and SQLite columns) or as text
// (SQLite aggregates such as MIN(), which lose the column's type).
type Time struct{ T *time.Time }

var sqliteLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano}

// Scan implements sql.Scanner.
func (d *Time) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case nil:
		d.T = nil
		return nil
	case time.Time:
		t := x.UTC()
		d.T = &t
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("scan time from %T", v)
	}
	for _, layout := range sqliteLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			d.T = &t
			return nil
		}
	}
	return fmt.Errorf("scan time from %q", s)
}

// Value implements driver.Valuer (gorm needs both to treat Time as a column, not a relation).
func (d Time) Value() (driver.Value, error) {
	if d.T == nil {
		return nil, nil
	}
	return *d.T, nil
}
