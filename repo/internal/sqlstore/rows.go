package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/guidebox/guidebox/service"
	"gorm.io/gorm"
)

// FollowRow is a follows row: one guide→customer edge with its two registers (newest add, newest removal).
type FollowRow struct {
	CorpID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey;column:userid"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	Remark         string
	Description    string
	AddWay         int
	State          string
	OperUserID     string `gorm:"column:oper_userid"`
	AddedAt        *time.Time
	Active         bool
	RemovedAt      *time.Time
	RemovedBy      string
	EventAt        time.Time
	SyncedAt       *time.Time // when details were last written
	RemarkMobiles  string     // comma-separated
	DetailsAt      *time.Time // when the details written were read from WeCom
	TagsAt         *time.Time // when the tags were set (a WeCom read, or a guide's edit WeCom accepted)
}

func (FollowRow) TableName() string { return "follows" }

// FollowTagRow is a follow_tags row: one corp tag on one edge, and who put it there (service.TagFrom*;
// RuleID names the auto-tag rule of a service.TagFromRule tag).
type FollowTagRow struct {
	CorpID         string `gorm:"primaryKey"`
	UserID         string `gorm:"primaryKey;column:userid"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	TagID          string `gorm:"primaryKey"`
	Origin         string `gorm:"default:wecom"`
	RuleID         int64
}

func (FollowTagRow) TableName() string { return "follow_tags" }

// ToFollow converts a follows row.
func ToFollow(r FollowRow) service.Follow {
	f := service.Follow{UserID: r.UserID, ExternalUserID: r.ExternalUserID, Remark: r.Remark, Description: r.Description,
		AddWay: r.AddWay, State: r.State, OperUserID: r.OperUserID, Active: r.Active, RemovedAt: r.RemovedAt,
		RemovedBy: r.RemovedBy, EventAt: r.EventAt, DetailsAt: Deref(r.DetailsAt), TagsAt: Deref(r.TagsAt)}
	if r.AddedAt != nil {
		f.AddedAt = *r.AddedAt
	}
	if r.RemarkMobiles != "" {
		f.RemarkMobiles = strings.Split(r.RemarkMobiles, ",")
	}
	return f
}

// Deref returns *t, or the zero time for nil.
func Deref(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// UTCPtr returns t in UTC, or nil.
func UTCPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// CustomerRow is a customers row: the external contact, its owner and why.
type CustomerRow struct {
	CorpID         string `gorm:"primaryKey"`
	ExternalUserID string `gorm:"primaryKey;column:external_userid"`
	UnionID        string `gorm:"column:unionid"`
	Name           string
	Avatar         string
	Type           int
	Gender         int
	CorpName       string
	OwnerUserID    string `gorm:"column:owner_userid"`
	OwnerReason    string
	ProfileAt      *time.Time // when the profile was read from WeCom
	UpdatedAt      time.Time
}

func (CustomerRow) TableName() string { return "customers" }

// ToCustomer converts a customers row.
func ToCustomer(r CustomerRow) service.Customer {
	return service.Customer{ExternalUserID: r.ExternalUserID, UnionID: r.UnionID, Name: r.Name, Avatar: r.Avatar,
		Type: r.Type, Gender: r.Gender, CorpName: r.CorpName, OwnerUserID: r.OwnerUserID, OwnerReason: r.OwnerReason,
		ProfileAt: Deref(r.ProfileAt)}
}

// OwnershipRow is an ownership_history row (append-only).
type OwnershipRow struct {
	ID             int64 `gorm:"primaryKey"`
	CorpID         string
	ExternalUserID string `gorm:"column:external_userid"`
	FromUserID     string `gorm:"column:from_userid"`
	ToUserID       string `gorm:"column:to_userid"`
	Reason         string
	Note           string
	At             time.Time
}

func (OwnershipRow) TableName() string { return "ownership_history" }

// GroupRow is a group_chats row.
type GroupRow struct {
	CorpID        string `gorm:"primaryKey"`
	ChatID        string `gorm:"primaryKey"`
	Name          string
	OwnerUserID   string `gorm:"column:owner_userid"`
	Notice        string
	CreatedAt     *time.Time `gorm:"autoCreateTime:false"`
	MemberVersion string
	DismissedAt   *time.Time
	DetailsAt     *time.Time // when the snapshot was read from WeCom
	UpdatedAt     time.Time  `gorm:"autoUpdateTime:false"`
}

func (GroupRow) TableName() string { return "group_chats" }

// GuideRow is a guides row.
type GuideRow struct {
	CorpID     string `gorm:"primaryKey"`
	UserID     string `gorm:"primaryKey;column:userid"`
	Name       string
	StoreID    int64
	Status     string
	ResignedAt *time.Time
	DetailsAt  *time.Time // when name and store were read from WeCom
	UpdatedAt  time.Time
}

func (GuideRow) TableName() string { return "guides" }

// ToGuide converts a guides row.
func ToGuide(r GuideRow) service.Guide {
	return service.Guide{UserID: r.UserID, Name: r.Name, StoreID: r.StoreID, Status: r.Status, ResignedAt: r.ResignedAt, DetailsAt: Deref(r.DetailsAt)}
}

// ListGuides lists a corp's guides of a store (0: every store) with a status ("": any), by userid.
func ListGuides(ctx context.Context, db *gorm.DB, corp string, storeID int64, status string) ([]service.Guide, error) {
	q := Conn(ctx, db).Where("corp_id = ?", corp)
	if storeID != 0 {
		q = q.Where("store_id = ?", storeID)
	}
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var rows []GuideRow
	if err := q.Order("userid").Find(&rows).Error; err != nil {
		return nil, Translate(err)
	}
	out := make([]service.Guide, len(rows))
	for i, r := range rows {
		out[i] = ToGuide(r)
	}
	return out, nil
}

// TagRow is a tags row (a corp tag).
type TagRow struct {
	CorpID    string `gorm:"primaryKey"`
	TagID     string `gorm:"primaryKey"`
	GroupID   string
	Name      string
	SortOrder int64
}

func (TagRow) TableName() string { return "tags" }

// Clip shortens s to at most n characters.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
