package workbench

import "time"

// Actor is who asks: a signed-in guide, and whether they are an admin (sidebar.admins).
type Actor struct {
	UserID string
	Admin  bool
}

// Stage is a step of the corp's sales pipeline, e.g. 初次接触 → 有意向 → 已成交 → 复购. A stage taken
// out of the pipeline is archived, so older notes keep its name.
type Stage struct {
	StageID  string
	Name     string
	Order    int
	Archived bool
}

// Note is a follow-up note a guide wrote about a customer; it may move the customer to a stage and
// set the guide's next follow-up.
type Note struct {
	ID             int64
	ExternalUserID string
	UserID         string // the author
	AuthorName     string
	AuthorResigned bool
	Body           string
	StageID        string
	StageName      string
	NextAt         *time.Time
	CreatedAt      time.Time
}

// NoteInput is a new note: Body is required, StageID and NextAt are optional.
type NoteInput struct {
	Body    string
	StageID string
	NextAt  *time.Time
}

// Summary is what the customer card shows from the workbench: the customer's stage and this guide's
// next follow-up.
type Summary struct {
	StageID      string
	StageName    string
	NextFollowUp *time.Time
}

// HomeEntry is one customer on the sidebar home.
type HomeEntry struct {
	ExternalUserID string
	Name           string
	Remark         string
	Avatar         string
	At             time.Time // due time, birthday this year, or when the customer was added
	Note           string    // the note that set the follow-up
	MonthDay       int       // birthdays: MMDD
}

// Home is the sidebar's entry without a chat: what the guide should do today.
type Home struct {
	Today        time.Time // midnight, in the corp's time zone
	Overdue      []HomeEntry
	DueToday     []HomeEntry
	Birthdays    []HomeEntry
	NewCustomers []HomeEntry
	BirthdayName string // the birthday field's name ("" when the corp has none)
}

// Profile field types.
const (
	FieldText   = "text"
	FieldNumber = "number"
	FieldDate   = "date"
	FieldSelect = "select"      // single choice
	FieldMulti  = "multiselect" // multiple choice
)

// Field is a profile field the corp defines (生日, 肤质, 尺码, 宝宝预产期, 会员等级…). Birthday marks the
// date field the sidebar home reads birthdays from (one at most).
type Field struct {
	FieldID  string
	Name     string
	Type     string
	Options  []string
	Order    int
	Birthday bool
	Archived bool
}

// Value is a customer's value of one field: Text is the canonical text (a date as 2006-01-02, a
// number in its shortest form, a choice as is), Items the choices of a multiple-choice field, Num
// the number (dates as yyyymmdd) and MonthDay a date's MMDD.
type Value struct {
	ExternalUserID string
	FieldID        string
	Text           string
	Items          []string
	Num            *float64
	MonthDay       *int
	UpdatedBy      string
	UpdatedAt      time.Time
}

// Profile is a customer's profile as a guide sees it: the live fields in order and the values set.
type Profile struct {
	Fields []Field
	Values map[string]Value // by field id
}

// ProfileQuery is an admin's search of one field: Text matches a text's prefix, a choice exactly, or
// one of a multiple choice's items; Min and Max bound numbers and dates (dates as 2006-01-02).
type ProfileQuery struct {
	FieldID  string
	Text     string
	Min, Max string
	After    string // external_userid to continue after
	Limit    int
}

// ProfileHit is one customer found by a profile search.
type ProfileHit struct {
	ExternalUserID string
	Name           string
	OwnerUserID    string
	OwnerName      string
	Value          Value
}

// Libraries.
const (
	LibraryReply    = "reply"    // 话术: text
	LibraryMaterial = "material" // 素材: image, link card, mini-program
)

// Item kinds, the msgtype each is sent with (JS-SDK sendChatMessage).
const (
	KindText        = "text"
	KindImage       = "image"
	KindLink        = "link" // sent as msgtype news
	KindMiniProgram = "miniprogram"
)

// Group is a group of replies or materials, corp-wide (OwnerUserID "") or a guide's own.
type Group struct {
	ID          int64
	Library     string
	OwnerUserID string
	Name        string
	Order       int
	Items       []Item
}

// Item is one quick reply or material.
type Item struct {
	ID          int64
	GroupID     int64
	Library     string
	OwnerUserID string
	Kind        string
	Title       string
	Content     string // text, or a link card's description
	URL         string // link
	PicURL      string // link or mini-program cover
	AppID       string // mini-program
	Page        string // mini-program page path
	Order       int
	HasImage    bool
	UpdatedBy   string
	UpdatedAt   time.Time
}

// Image is an image material's picture and WeCom's temporary media id for it.
type Image struct {
	ContentType    string
	Data           []byte
	MediaID        string
	MediaExpiresAt *time.Time
}

// Target is where a message goes: a single chat with a customer or a group chat.
type Target struct {
	ExternalUserID string
	ChatID         string
}

// Message is what the sidebar passes to the JS-SDK's sendChatMessage.
type Message struct {
	MsgType string // text, image, news, miniprogram
	Content string // text
	MediaID string // image
	Title   string // news, miniprogram
	Desc    string // news
	Link    string // news
	ImgURL  string // news, miniprogram
	AppID   string // miniprogram
	Page    string // miniprogram
}

// Send is one reply or material a guide sent: what, to whom, by whom and when.
type Send struct {
	ID             int64
	UserID         string
	ExternalUserID string
	ChatID         string
	ItemID         int64
	Library        string
	Kind           string
	Title          string
	SentAt         time.Time
}

// Channel names a `state` code of a contact-me QR code or link (渠道).
type Channel struct {
	State string
	Name  string
}
