package sim

import "time"

// Department is a WeCom department (部门), as returned by department/list.
// Stores are departments in guidebox's corp.
type Department struct {
	ID       int
	Name     string
	NameEN   string
	ParentID int
	Order    int
	Leaders  []string
}

// User is a WeCom member (成员), as returned by user/get. Shopping guides are
// members. Status follows user/get: 1 active, 2 disabled, 4 not activated,
// 5 quit (set by ResignUser; user/get then answers 60111 like WeCom does for
// deleted members).
type User struct {
	UserID         string
	Name           string
	Departments    []int
	MainDepartment int
	Position       string
	Mobile         string
	Gender         string // "0" unknown, "1" male, "2" female, as user/get
	Email          string
	Avatar         string
	Alias          string
	Status         int
	// NoCustomerContact hides the member from get_follow_user_list (the
	// member lacks the customer-contact permission).
	NoCustomerContact bool
	// ResignedAt is set by ResignUser: dimission_time of get_unassigned_list.
	ResignedAt time.Time
}

// Customer is an external contact (外部联系人), the external_contact object of
// externalcontact/get. Type 1 is a WeChat user, 2 a WeCom user; Gender
// 0 unknown, 1 male, 2 female.
type Customer struct {
	ExternalUserID string
	Name           string
	Position       string
	Avatar         string
	CorpName       string
	CorpFullName   string
	Type           int
	Gender         int
	UnionID        string
}

// Follow is one follow edge: a member who has the customer as a contact, the
// follow_user item of externalcontact/get (follow_info of batch/get_by_user).
// TagIDs are corp tag ids (type 1).
type Follow struct {
	UserID         string
	ExternalUserID string
	Remark         string
	Description    string
	CreateTime     time.Time
	TagIDs         []string
	RemarkCorpName string
	RemarkMobiles  []string
	OperUserID     string
	AddWay         int
	State          string
}

// Tag is a corp customer tag (企业客户标签).
type Tag struct {
	ID         string
	Name       string
	Order      int64
	CreateTime time.Time
	Deleted    bool
}

// TagGroup is a corp tag group with its tags, as get_corp_tag_list returns.
type TagGroup struct {
	ID         string
	Name       string
	Order      int64
	CreateTime time.Time
	Deleted    bool
	Tags       []Tag
}

// GroupMember is one member_list item of groupchat/get. Type 1 is a corp
// member, 2 an external contact. JoinScene: 1 direct invite, 2 link, 3 QR.
type GroupMember struct {
	UserID        string
	Type          int
	JoinTime      time.Time
	JoinScene     int
	Invitor       string
	GroupNickname string
	State         string
}

// Group is a customer group chat (客户群). Status is groupchat/list's: 0 normal,
// 1 owner resigned (waiting for inheritance), 2 inheriting, 3 inherited.
type Group struct {
	ChatID        string
	Name          string
	Owner         string
	Notice        string
	CreateTime    time.Time
	Members       []GroupMember
	Admins        []string
	MemberVersion string
	Status        int
	Dismissed     bool
}

// Corp is a whole corp's data, loaded silently (no callbacks) by Sim.Load.
// DemoCorp builds one; the service can insert the same data into its DB.
type Corp struct {
	Departments []Department
	Users       []User
	Customers   []Customer
	Follows     []Follow
	TagGroups   []TagGroup
	Groups      []Group
}
