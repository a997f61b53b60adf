package graph

import (
	"errors"
	"time"
)

// Event kinds (WeCom's Event field) guidebox applies to the graph.
const (
	EventExternalContact = "change_external_contact"
	EventExternalChat    = "change_external_chat"
	EventExternalTag     = "change_external_tag"
	EventContact         = "change_contact"
)

// Change types of change_external_contact.
const (
	ChangeAddExternalContact     = "add_external_contact"
	ChangeAddHalfExternalContact = "add_half_external_contact"
	ChangeEditExternalContact    = "edit_external_contact"
	ChangeDelExternalContact     = "del_external_contact"
	ChangeDelFollowUser          = "del_follow_user"
	ChangeTransferFail           = "transfer_fail"
)

// Change types of change_external_chat and change_contact.
const (
	ChangeCreate     = "create"
	ChangeUpdate     = "update"
	ChangeDismiss    = "dismiss"
	ChangeDelete     = "delete"
	ChangeShuffle    = "shuffle"
	ChangeCreateUser = "create_user"
	ChangeUpdateUser = "update_user"
	ChangeDeleteUser = "delete_user"
)

// ContactReadChanges are the change_external_contact changes whose event carries no data: each
// is enriched by reading the customer from WeCom (externalcontact/get, or batch/get_by_user for the
// guide), and the inbox plans those reads by guide and customer.
var ContactReadChanges = []string{ChangeAddExternalContact, ChangeAddHalfExternalContact, ChangeEditExternalContact}

// needsContactRead reports whether ev is one of ContactReadChanges.
func needsContactRead(ev Event) bool {
	return ev.Event == EventExternalContact && (ev.ChangeType == ChangeAddExternalContact ||
		ev.ChangeType == ChangeAddHalfExternalContact || ev.ChangeType == ChangeEditExternalContact)
}

// SourceDeleteByTransfer marks a del_external_contact caused by an in-service transfer.
const SourceDeleteByTransfer = "DELETE_BY_TRANSFER"

// Event is one decrypted WeCom callback, reduced to the fields guidebox uses.
type Event struct {
	Key            string
	Event          string
	ChangeType     string
	Time           time.Time
	UserID         string
	ExternalUserID string
	ChatID         string
	TagID          string
	TagType        string
	State          string
	WelcomeCode    string
	Source         string
	FailReason     string
	UpdateDetail   string
	MemChangeList  []string
	CurMemVer      string // the group's member version after this change (change_external_chat)
	NewUserID      string
}

// InboxItem is a callback as stored in the inbox.
type InboxItem struct {
	ID         int64
	Key        string
	Event      string
	ChangeType string
	EventTime  time.Time
	Raw        []byte // the decrypted XML, exactly as WeCom sent it
	Attempts   int
	LastError  string
	ReceivedAt time.Time
	Token      string // the lease token of the claim that returned the item
	// UserID and ExternalUserID are whom the event is about (its UserID and ExternalUserID), so the
	// backlog can be planned without parsing it: a guide's waiting customers read together.
	UserID         string
	ExternalUserID string
}

// Lease names a claimed inbox row: its id and the token its claim wrote. Only the claim whose
// token the row still carries may finish (done, retry, park) or renew it.
type Lease struct {
	ID    int64
	Token string
}

// Lease is the item's lease from its claim.
func (it InboxItem) Lease() Lease { return Lease{ID: it.ID, Token: it.Token} }

// ErrLeaseLost means an inbox row is no longer held under the caller's lease: it was finished,
// or another worker claimed it after the lease ran out. The caller must leave the row alone.
var ErrLeaseLost = errors.New("inbox lease lost to another worker")

// ErrUnlicensed is Directory.ContactsOf's answer for a guide WeCom will not list customers of: the
// member has no interop license (接口许可). It says nothing about the guide's customers.
var ErrUnlicensed = errors.New("member has no interop license")

// Inbox states.
const (
	InboxPending = "pending"
	InboxDone    = "done"
	InboxParked  = "parked"
)
