// Package timeline is the customer timeline (客户轨迹) of the guide sidebar: what happened between a
// customer and the corp's guides, newest first, paged by a cursor, read from the append-only activity
// log that each domain's store writes in the transaction of its change (sqlstore.RecordActivities).
// A guide reads the timeline of a customer they follow or followed (the card's fence), every guide's
// rows included: after a handover the taker sees the previous guide's rows under that guide's name,
// as the workbench's notes cross a handover.
package timeline

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service"
)

// PageSize is how many entries a page holds.
const PageSize = 20

// Entry is one timeline row for the guide reading it: the activity with its Chinese title and text.
type Entry struct {
	ID            int64
	At            time.Time
	Kind          string
	Title         string // what happened, in Chinese
	Text          string // its details (names, amounts), may be ""
	By            string // who did it, in Chinese ("导购 张三", "自动标签", "企业微信", …), may be ""
	GuideUserID   string
	GuideName     string
	GuideResigned bool
	Mine          bool // the reading guide's own row; false: another guide's (e.g. before a handover)
}

// Page is a page of a timeline and the cursor of the next one ("" when this is the last).
type Page struct {
	Entries []Entry
	Next    string
}

// Service reads customer timelines.
type Service struct{ store Store }

// NewService builds the timeline over its store.
func NewService(store Store) *Service { return &Service{store: store} }

// Page reads a page of customer extID's timeline for guide userID, after the cursor before ("": the
// newest). A guide who never followed the customer gets ErrForbidden, as on the card.
func (s *Service) Page(ctx context.Context, userID, extID, before string) (Page, error) {
	if extID == "" || len(extID) > 64 || strings.ContainsAny(extID, " \t\r\n/") {
		return Page{}, service.Invalid("external_userid", "must be a WeCom id")
	}
	cur, err := ParseCursor(before)
	if err != nil {
		return Page{}, err
	}
	ok, err := s.store.Followed(ctx, userID, extID)
	if err != nil {
		return Page{}, fmt.Errorf("timeline of %s: %w", extID, err)
	}
	if !ok {
		return Page{}, fmt.Errorf("customer not followed by %s: %w", userID, service.ErrForbidden)
	}
	rows, err := s.store.Page(ctx, extID, cur, PageSize+1)
	if err != nil {
		return Page{}, fmt.Errorf("timeline of %s: %w", extID, err)
	}
	var p Page
	if len(rows) > PageSize {
		rows = rows[:PageSize]
		last := rows[len(rows)-1]
		p.Next = FormatCursor(Cursor{At: last.At, ID: last.ID})
	}
	p.Entries = make([]Entry, len(rows))
	for i, r := range rows {
		p.Entries[i] = entryOf(r, userID)
	}
	return p, nil
}

// FormatCursor writes a cursor as "<unix ms>_<id>".
func FormatCursor(c Cursor) string {
	return strconv.FormatInt(c.At.UnixMilli(), 10) + "_" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor reads FormatCursor's text; "" is nil (the newest).
func ParseCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	ms, id, ok := strings.Cut(s, "_")
	t, err1 := strconv.ParseInt(ms, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if !ok || err1 != nil || err2 != nil || t < 0 || n <= 0 {
		return nil, service.Invalid("before", "must be a cursor from the previous page")
	}
	return &Cursor{At: time.UnixMilli(t).UTC(), ID: n}, nil
}
