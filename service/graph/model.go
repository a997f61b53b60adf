package graph

import (
	"time"

	"github.com/guidebox/guidebox/service"
)

// FollowDetail is what WeCom says of one follower right now (externalcontact/get follow_user).
type FollowDetail struct {
	UserID      string
	Remark      string
	Description string
	// RemarkMobiles are the phone numbers the guide noted with the remark (备注手机号).
	RemarkMobiles []string
	AddWay        int
	State         string
	OperUserID    string
	CreatedAt     time.Time
	TagIDs        []string
}

// ContactSnapshot is externalcontact/get's answer: the customer and every follower.
type ContactSnapshot struct {
	Customer  service.Customer
	Followers []FollowDetail
}

// OwnershipChange is one append-only row of a customer's ownership history.
type OwnershipChange struct {
	ExternalUserID string
	FromUserID     string
	ToUserID       string
	Reason         string
	At             time.Time
	Note           string
}

// Member is what user/get says of a WeCom member.
type Member struct {
	UserID         string
	Name           string
	MainDepartment int64
	Departments    []int64
	Status         int
}

// EdgeKey names an edge: a guide and a customer.
type EdgeKey struct {
	UserID         string
	ExternalUserID string
}

// EdgeRead is what the graph holds of an edge's WeCom reads: whether it is active, and when its
// details and its customer's profile were last read (zero: never).
type EdgeRead struct {
	Active    bool
	DetailsAt time.Time
	ProfileAt time.Time
}
