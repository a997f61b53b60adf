package tasks

import "time"

// Task statuses.
const (
	StatusActive    = "active"    // planning, creating the 群发, or waiting for the guides
	StatusClosed    = "closed"    // the deadline passed: the counts are final
	StatusCancelled = "cancelled" // stopped by an admin
)

// Phases of a task's work.
const (
	PhasePlan  = "plan"  // the customers are being chosen and split per guide
	PhaseSend  = "send"  // add_msg_template per guide
	PhaseTrack = "track" // waiting for the guides to send; completion is polled
	PhaseDone  = "done"  // closed or cancelled, WeCom told
)

// Task is a 导购任务: what to send to which customers by when. Each guide sends it to their own
// customers through WeCom's 群发助手 (one 企业群发 per guide).
type Task struct {
	ID        int64
	Title     string
	Content   Content
	Target    Target
	Deadline  time.Time
	Status    string
	Phase     string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  *time.Time
	NextRunAt *time.Time // when the runner looks at the task again; nil when finished
}

// Content is what the guides send: text and up to 9 attachments (WeCom's limits). ProductIDs,
// MaterialIDs and Links are what the creator asked for; Attachments is what they resolved to when
// the task was created (a product card becomes a link card), the copy every guide sends.
type Content struct {
	Text        string
	ProductIDs  []string
	MaterialIDs []string
	Links       []Link
	Attachments []Attachment
}

// Link is a link card given by URL.
type Link struct {
	Title  string
	URL    string
	Desc   string
	PicURL string
}

// Attachment kinds, WeCom's msgtype.
const (
	KindLink        = "link"
	KindImage       = "image"
	KindVideo       = "video"
	KindFile        = "file"
	KindMiniProgram = "miniprogram"
)

// Attachment is one attachment of a 群发 as WeCom takes it.
type Attachment struct {
	Kind    string
	Title   string
	URL     string
	Desc    string
	PicURL  string
	MediaID string // image, video, file; the cover of a miniprogram
	AppID   string // miniprogram
	Page    string // miniprogram
	// Where it came from, for the console: a product or a material, or neither (a plain link).
	ProductID  string
	MaterialID string
}

// Target says which customers get the task. The criteria combine: a customer must match every
// criterion given (any of the tags; the store of the guide who serves them; the stage; the list).
// At least one is required.
type Target struct {
	TagIDs          []string // corp tag ids: the customer carries any of them on an active edge
	StoreIDs        []int64  // the store of the guide the customer is assigned to
	Stage           string   // a follow-up stage name (Stages port)
	ExternalUserIDs []string // an explicit list
}

// Assignment statuses: one guide's part of a task.
const (
	AssignPending   = "pending"   // the 群发 is not created yet
	AssignWaiting   = "waiting"   // WeCom asks the guide to send; not sent yet
	AssignDone      = "done"      // the guide sent it
	AssignFailed    = "failed"    // WeCom refused to create it (see Reason)
	AssignMissed    = "missed"    // the deadline passed without the guide sending
	AssignCancelled = "cancelled" // the task was cancelled before the guide sent
)

// Assignment is one guide's part of a task, with counts over their customers.
type Assignment struct {
	TaskID      int64
	UserID      string
	StoreID     int64 // the guide's store when the task was planned
	Status      string
	Reason      string
	Customers   int // customers assigned to the guide
	Sent        int // reached (WeCom status 1)
	Failed      int // not reached: not a friend, 群发规则 limit, refused by WeCom
	Reminders   int // reminders sent through WeCom
	RemindedAt  *time.Time
	CompletedAt *time.Time // when the guide sent the last of their 群发
}

// Waiting is how many of the guide's customers still wait for the guide to send.
func (a Assignment) Waiting() int { return max(0, a.Customers-a.Sent-a.Failed) }

// Recipient states: one customer of a task.
const (
	RecipPending   = "pending"    // not yet in a WeCom 群发
	RecipWaiting   = "waiting"    // in a 群发; the guide has not sent it
	RecipSent      = "sent"       // reached
	RecipNotFriend = "not_friend" // WeCom: 因客户不是好友导致发送失败
	RecipLimited   = "limited"    // WeCom: 因客户已经收到其他群发消息导致发送失败 (群发规则)
	RecipInvalid   = "invalid"    // in add_msg_template's fail_list, or WeCom found nobody to send to
	RecipFailed    = "failed"     // WeCom refused the guide's 群发
	RecipUnsent    = "unsent"     // the deadline passed without the guide sending
	RecipCancelled = "cancelled"
)

// Recipient is one customer of a task and the guide who sends to them.
type Recipient struct {
	TaskID         int64
	ExternalUserID string
	UserID         string
	SendID         int64
	State          string
	SentAt         *time.Time
}

// Send states: one add_msg_template call.
const (
	SendReady     = "ready"     // planned, not called yet
	SendRecorded  = "recorded"  // about to be called: if it stays, the outcome is unknown
	SendCreated   = "created"   // WeCom created the 群发 (MsgID)
	SendFailed    = "failed"    // WeCom refused the call (ErrCode)
	SendCancelled = "cancelled" // the task was cancelled before the call
)

// Send is one 企业群发 of one guide: at most MaxPerSend customers (WeCom's per-call limit).
type Send struct {
	ID         int64
	TaskID     int64
	UserID     string
	Size       int
	State      string
	MsgID      string
	ErrCode    int
	RecordedAt *time.Time
	MemberSent bool       // WeCom says the guide sent it
	SentAt     *time.Time // when the guide sent it
	Final      bool       // every customer's outcome is known
}
