package tasks

import (
	"context"
	"time"

	"github.com/guidebox/guidebox/service"
)

// TaskFilter selects tasks for the list, newest first.
type TaskFilter struct {
	Status   string
	BeforeID int64
	Limit    int
}

// CandidateQuery asks for a page of customers, by external_userid, with their active followers.
type CandidateQuery struct {
	TagIDs []string // any of these tags on an active edge (none: no tag criterion)
	IDs    []string // only these customers (none: every customer)
	After  string
	Limit  int
}

// Candidate is a customer and the active guides who follow them.
type Candidate struct {
	ExternalUserID string
	Owner          string
	Followers      []Follower
}

// Follower is an active edge of an active guide.
type Follower struct {
	UserID  string
	StoreID int64
	AddedAt time.Time
}

// SendFilter selects a task's sends by id.
type SendFilter struct {
	TaskID   int64
	UserID   string
	States   []string
	Unsent   bool // only sends the guide has not sent
	NotFinal bool // only sends whose outcome is not final
	AfterID  int64
	Limit    int
}

// SendUpdate changes one send; nil fields stay.
type SendUpdate struct {
	State      *string
	MsgID      *string
	ErrCode    *int
	RecordedAt *time.Time
	MemberSent *bool
	SentAt     *time.Time
	Final      *bool
	OnlyStates []string // apply only when the send is in one of these states
}

// GuideProgress is an assignment with the names the console shows.
type GuideProgress struct {
	Assignment
	Name      string
	StoreName string
}

// GuideTask is a task as one guide sees it.
type GuideTask struct {
	Task       Task
	Assignment Assignment
}

// Store keeps tasks, their recipients, sends, per-guide assignments and reminders (repo/tasksdb),
// and answers the graph questions a task asks (candidates, guide stores, names).
type Store interface {
	CreateTask(ctx context.Context, t Task) (Task, error)
	GetTask(ctx context.Context, id int64) (Task, error)
	ListTasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// SaveTask writes phase, next_run_at and closed_at (never the status: SetStatus).
	SaveTask(ctx context.Context, t Task) error
	// SetStatus moves a task from one status to another and makes it due at at; false when it was
	// not in from.
	SetStatus(ctx context.Context, id int64, from, to string, at time.Time) (bool, error)
	// ClaimTask leases a task to owner until now+lease unless another owner holds a live lease.
	ClaimTask(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error)
	// RenewTask moves owner's lease to now+lease; false when owner no longer holds it.
	RenewTask(ctx context.Context, id int64, owner string, now time.Time, lease time.Duration) (bool, error)
	ReleaseTask(ctx context.Context, id int64, owner string) error
	// DueTasks lists unfinished tasks whose next run is due.
	DueTasks(ctx context.Context, now time.Time, limit int) ([]int64, error)
	// WakeTasks makes every unfinished task due at now.
	WakeTasks(ctx context.Context, now time.Time) error

	// ResetPlan deletes a task's recipients, sends and assignments (a plan interrupted half-way).
	ResetPlan(ctx context.Context, taskID int64) error
	Candidates(ctx context.Context, q CandidateQuery) ([]Candidate, error)
	// AddRecipients inserts recipients, ignoring customers already in the task.
	AddRecipients(ctx context.Context, rs []Recipient) error
	// RecipientCounts counts a task's recipients per guide.
	RecipientCounts(ctx context.Context, taskID int64) (map[string]int, error)
	// GuideStores maps guides to their stores.
	GuideStores(ctx context.Context, userIDs []string) (map[string]int64, error)
	// Unbatched is the next customers of a guide in a task not yet in a send, by external_userid.
	Unbatched(ctx context.Context, taskID int64, userID string, limit int) ([]string, error)
	// CreateSend inserts a send and puts the customers in it.
	CreateSend(ctx context.Context, s Send, externalUserIDs []string) (Send, error)
	SaveAssignments(ctx context.Context, as []Assignment) error

	Sends(ctx context.Context, f SendFilter) ([]Send, error)
	// SendByMsgID finds the send that holds a WeCom msgid; ErrNotFound if none.
	SendByMsgID(ctx context.Context, msgID string) (Send, error)
	UpdateSend(ctx context.Context, id int64, u SendUpdate) (bool, error)
	SendRecipients(ctx context.Context, sendID int64) ([]string, error)
	// SetRecipients moves a task's customers (all of a send's when exts is nil) to state, only
	// those in one of onlyStates; sentAt is kept when nil.
	SetRecipients(ctx context.Context, taskID, sendID int64, exts []string, state string, sentAt *time.Time, onlyStates []string) error
	// Tally counts a guide's recipients in a task by state.
	Tally(ctx context.Context, taskID int64, userID string) (map[string]int, error)

	Assignments(ctx context.Context, taskID int64) ([]Assignment, error)
	GetAssignment(ctx context.Context, taskID int64, userID string) (Assignment, error)
	SaveAssignment(ctx context.Context, a Assignment) error
	// AddReminder records a reminder WeCom accepted for a send.
	AddReminder(ctx context.Context, taskID, sendID int64, userID string, at time.Time) error
	// Reminders counts each send's reminders since t.
	Reminders(ctx context.Context, sendIDs []int64, since time.Time) (map[int64]int, error)

	// Progress lists a task's assignments with guide and store names.
	Progress(ctx context.Context, taskID int64) ([]GuideProgress, error)
	// Totals sums the assignments of each task.
	Totals(ctx context.Context, taskIDs []int64) (map[int64]Totals, error)
	// GuideTasks lists a guide's tasks (not cancelled) whose deadline is after since, soonest first.
	GuideTasks(ctx context.Context, userID string, since time.Time, limit int) ([]GuideTask, error)
	// Audit appends an admin action to the audit log (in the caller's transaction).
	Audit(ctx context.Context, a service.AuditEntry) error
}

// Totals are a task's counts over its assignments.
type Totals struct {
	Guides    int
	Done      int
	Customers int
	Sent      int
	Failed    int
}

// Per-customer results of a guide's 群发, WeCom's get_groupmsg_send_result statuses.
const (
	ResultUnsent    = 0
	ResultSent      = 1
	ResultNotFriend = 2
	ResultLimited   = 3
)

// MassMessage is one 企业群发 for one guide.
type MassMessage struct {
	Sender          string
	ExternalUserIDs []string
	Text            string
	Attachments     []Attachment
}

// MassInfo is a 企业群发 as get_groupmsg_list_v2 lists it.
type MassInfo struct {
	MsgID       string
	Text        string
	Attachments int
	CreatedAt   time.Time
}

// MemberSend is a member's part in a 群发 (get_groupmsg_task).
type MemberSend struct {
	UserID string
	Sent   bool
	SentAt time.Time
}

// CustomerSend is one customer's outcome (get_groupmsg_send_result).
type CustomerSend struct {
	ExternalUserID string
	Status         int
	SentAt         time.Time
}

// MassAPI is what tasks need from WeCom (企业群发). Whole-call errors wrap service.ErrUpstream,
// with a *service.WeComError when WeCom answered; without one the outcome is unknown.
type MassAPI interface {
	// CreateMass is add_msg_template: the msgid and the customers WeCom will not send to.
	CreateMass(ctx context.Context, m MassMessage) (msgID string, failList []string, err error)
	// ListMass is one page of the corp's 企业发表 群发 created between from and to (≤ a month).
	ListMass(ctx context.Context, from, to time.Time, cursor string) ([]MassInfo, string, error)
	// MassMembers is one page of get_groupmsg_task.
	MassMembers(ctx context.Context, msgID, cursor string) ([]MemberSend, string, error)
	// MassResults is one page of get_groupmsg_send_result for one member.
	MassResults(ctx context.Context, msgID, userID, cursor string) ([]CustomerSend, string, error)
	RemindMass(ctx context.Context, msgID string) error
	CancelMass(ctx context.Context, msgID string) error
}

// ProductCard is a product of the catalogue, as a task's product card shows it.
type ProductCard struct {
	ID          string
	Name        string
	Description string
	PriceCents  int64
	ImageURL    string
	LinkURL     string
}

// Catalog reads products by id (the sidebar's products today, a catalogue domain later); unknown
// or inactive ids are left out of the answer.
type Catalog interface {
	ProductCards(ctx context.Context, ids []string) ([]ProductCard, error)
}

// Materials reads materials of the material library as attachments with their WeCom media ids;
// unknown ids are left out. No library yet: the port is nil and tasks refuse material_ids.
type Materials interface {
	MaterialAttachments(ctx context.Context, ids []string) ([]Attachment, error)
}

// Stages resolves follow-up stages (跟进阶段) of the workbench. Nil until it exists: tasks then
// refuse target.stage.
type Stages interface {
	// KnownStage reports whether stage names a stage.
	KnownStage(ctx context.Context, stage string) (bool, error)
	// InStage tells which of the customers are in the stage.
	InStage(ctx context.Context, stage string, externalUserIDs []string) (map[string]bool, error)
}

// Completion is a guide completing their part of a task: they sent it to Sent customers.
type Completion struct {
	TaskID    int64
	UserID    string
	StoreID   int64
	Customers int
	Sent      int
	At        time.Time
}

// Completions hears of guides completing tasks (the KPI rollups count each as a share), once per
// task and guide, after the completion is recorded. The call is not retried: the durable record
// is the assignment's completed_at (task_assignments), which a rebuild reads.
type Completions interface {
	TaskCompleted(ctx context.Context, c Completion) error
}
