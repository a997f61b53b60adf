package timeline

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Row is an activity log row as the timeline reads it: the activity with the names the page query
// joins (guides by their current names, the channel of a state code).
type Row struct {
	service.Activity
	GuideName     string // the guide of the row; "" if unknown
	GuideResigned bool
	ActorName     string // the guide or admin who acted, when a guide
	FromName      string // the guide a transferred or inherited customer came from
	ChannelName   string // the name the corp gave the add's state code
}

// Cursor is a position in a timeline: rows strictly older than (At, ID) come after it.
type Cursor struct {
	At time.Time
	ID int64
}

// Store reads the activity log (repo/timelinedb).
type Store interface {
	// Followed reports whether userID follows or followed the customer (the card's fence).
	Followed(ctx context.Context, userID, externalUserID string) (bool, error)
	// Page reads up to limit rows of the customer's timeline, newest first (occurred_at, then id),
	// after the cursor (nil: from the newest), with names, in one query.
	Page(ctx context.Context, externalUserID string, after *Cursor, limit int) ([]Row, error)
}
