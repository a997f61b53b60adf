package workbench

import (
	"context"
	"time"
)

// Store is everything the workbench keeps in the database (repo/workbenchdb).
type Store interface {
	Access
	NoteStore
	ProfileStore
	LibraryStore
	ChannelStore
	AuditStore
}

// Access reads the graph's edges and groups, which decide what a guide may see and write.
type Access interface {
	// Edge reports whether userID followed the customer at some time (followed) and follows now (active).
	Edge(ctx context.Context, userID, externalUserID string) (followed, active bool, err error)
	// InGroup reports whether userID owns or belongs to a group chat that is not dismissed.
	InGroup(ctx context.Context, userID, chatID string) (bool, error)
}

// NoteStore keeps the pipeline, notes and follow-ups.
type NoteStore interface {
	// Stages lists the pipeline, archived stages included, in order.
	Stages(ctx context.Context) ([]Stage, error)
	// SaveStages writes the pipeline: the given stages in order, every other stage archived.
	SaveStages(ctx context.Context, stages []Stage) error
	// InStage says which of the customers stand in the stage now.
	InStage(ctx context.Context, stageID string, extIDs []string) (map[string]bool, error)
	// AddNote appends a note and, in one transaction, settles the author's open follow-up of the
	// customer, opens a new one when NextAt is set and moves the customer to StageID when set.
	AddNote(ctx context.Context, n Note) (Note, error)
	// Notes pages a customer's notes, newest first, before the note id beforeID (0: the newest), with
	// the authors' names.
	Notes(ctx context.Context, externalUserID string, beforeID int64, limit int) ([]Note, error)
	// Summary is the customer's stage and userID's open follow-up of the customer.
	Summary(ctx context.Context, userID, externalUserID string) (stageID string, next *time.Time, err error)
	// FollowUps lists userID's open follow-ups due before `before` of customers the guide still follows,
	// earliest first.
	FollowUps(ctx context.Context, userID string, before time.Time, limit int) ([]HomeEntry, error)
	// NewCustomers lists the customers userID added since `since` and still follows, newest first.
	NewCustomers(ctx context.Context, userID string, since time.Time, limit int) ([]HomeEntry, error)
	// RecordSidebarOpen appends a sidebar_open activity for userID (externalUserID: the chat's
	// customer, "" on the home), at most one per guide and customer within a few minutes.
	RecordSidebarOpen(ctx context.Context, userID, externalUserID string, at time.Time) error
}

// ProfileStore keeps the profile fields and values.
type ProfileStore interface {
	// Fields lists the corp's fields, archived ones included, in order.
	Fields(ctx context.Context) ([]Field, error)
	// CreateField adds a field; ErrConflict if its id is taken.
	CreateField(ctx context.Context, f Field) error
	// UpdateField rewrites a field's name, options, order, birthday and archived flags; ErrNotFound if unknown.
	UpdateField(ctx context.Context, f Field) error
	// Values reads a customer's values.
	Values(ctx context.Context, externalUserID string) ([]Value, error)
	// SetValues writes and clears a customer's values in one transaction; a birthday value
	// (birthdayField) is also indexed for the customer's current followers.
	SetValues(ctx context.Context, externalUserID string, set []Value, clear []string, birthdayField string) error
	// SearchValues finds customers by one field, ordered by external_userid.
	SearchValues(ctx context.Context, f Field, q ProfileQuery) ([]ProfileHit, error)
	// BirthdaysBuiltOn is the day (2006-01-02, the corp's date) userID's birthday index was last built,
	// "" if never (or since the birthday field changed).
	BirthdaysBuiltOn(ctx context.Context, userID string) (string, error)
	// RebuildBirthdays rebuilds userID's birthday index from the guide's current customers and marks
	// it built on day.
	RebuildBirthdays(ctx context.Context, userID, fieldID, day string) error
	// Birthdays lists userID's customers, still followed, whose birthday (MMDD) is within one of the
	// inclusive ranges.
	Birthdays(ctx context.Context, userID, fieldID string, ranges [][2]int, limit int) ([]HomeEntry, error)
}

// LibraryStore keeps the replies and materials, their images and the sends.
type LibraryStore interface {
	// Groups lists the groups of a library owned by any of owners ("" is the corp), in order.
	Groups(ctx context.Context, library string, owners []string) ([]Group, error)
	// Items lists the items of a library owned by any of owners, in order.
	Items(ctx context.Context, library string, owners []string) ([]Item, error)
	GetGroup(ctx context.Context, id int64) (Group, error)
	CreateGroup(ctx context.Context, g Group) (Group, error)
	UpdateGroup(ctx context.Context, g Group) error
	// DeleteGroup deletes a group with its items and their images.
	DeleteGroup(ctx context.Context, id int64) error
	GetItem(ctx context.Context, id int64) (Item, error)
	CreateItem(ctx context.Context, it Item) (Item, error)
	UpdateItem(ctx context.Context, it Item) error
	// DeleteItem deletes an item and its image.
	DeleteItem(ctx context.Context, id int64) error
	// GetImage reads an item's image; ErrNotFound without one.
	GetImage(ctx context.Context, itemID int64) (Image, error)
	// PutImage stores an item's picture and forgets its media id.
	PutImage(ctx context.Context, itemID int64, contentType string, data []byte) error
	// SetMedia records the media id WeCom gave the item's picture and when it expires.
	SetMedia(ctx context.Context, itemID int64, mediaID string, expires time.Time) error
	// AddSend appends a send and returns it with its id.
	AddSend(ctx context.Context, s Send) (Send, error)
}

// ChannelStore keeps the channel names.
type ChannelStore interface {
	Channels(ctx context.Context) ([]Channel, error)
	PutChannel(ctx context.Context, c Channel) error
	// DeleteChannel forgets a channel's name; ErrNotFound if it had none.
	DeleteChannel(ctx context.Context, state string) error
}

// MediaUploader uploads a picture to WeCom as temporary media (media/upload, type image) and returns
// its media id and when WeCom created it; the id is valid for 3 days from then.
type MediaUploader interface {
	UploadImage(ctx context.Context, filename string, data []byte) (mediaID string, createdAt time.Time, err error)
}
