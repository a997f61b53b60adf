package wecom

import (
	"context"
	"errors"
)

// ExternalContact is a customer as returned by externalcontact/get and
// batch/get_by_user (external_contact).
type ExternalContact struct {
	ExternalUserID string `json:"external_userid"`
	Name           string `json:"name"`
	Position       string `json:"position"`
	Avatar         string `json:"avatar"`
	CorpName       string `json:"corp_name"`
	CorpFullName   string `json:"corp_full_name"`
	Type           int    `json:"type"`   // 1 WeChat user, 2 WeCom user
	Gender         int    `json:"gender"` // 0 unknown, 1 male, 2 female
	UnionID        string `json:"unionid"`
}

// FollowTag is a tag a member put on a customer (follow_user[].tags[]).
type FollowTag struct {
	GroupName string `json:"group_name"`
	TagName   string `json:"tag_name"`
	TagID     string `json:"tag_id"` // empty for personal tags
	Type      int    `json:"type"`   // 1 corp, 2 personal, 3 rule-group
}

// FollowUser is one member's relationship to a customer (follow_user[] of
// externalcontact/get, follow_info of batch/get_by_user).
type FollowUser struct {
	UserID         string      `json:"userid"`
	Remark         string      `json:"remark"`
	Description    string      `json:"description"`
	CreateTime     int64       `json:"createtime"`
	Tags           []FollowTag `json:"tags"`   // externalcontact/get
	TagIDs         []string    `json:"tag_id"` // batch/get_by_user
	RemarkCorpName string      `json:"remark_corp_name"`
	RemarkMobiles  []string    `json:"remark_mobiles"`
	OperUserID     string      `json:"oper_userid"`
	AddWay         int         `json:"add_way"`
	State          string      `json:"state"`
}

// ContactDetail is a customer with every member following it.
type ContactDetail struct {
	Contact     ExternalContact
	FollowUsers []FollowUser
}

// maxPages bounds cursor loops in case the server keeps returning a cursor.
const maxPages = 1000

type getContactResp struct {
	status
	ExternalContact ExternalContact `json:"external_contact"`
	FollowUser      []FollowUser    `json:"follow_user"`
	NextCursor      string          `json:"next_cursor"`
}

// GetExternalContact returns a customer and all its followers, following
// next_cursor past the first 500 (获取客户详情,
// https://developer.work.weixin.qq.com/document/path/92114).
func (c *Client) GetExternalContact(ctx context.Context, extID string) (*ContactDetail, error) {
	d := &ContactDetail{}
	cursor := ""
	for range maxPages {
		var out getContactResp
		q := map[string]string{"external_userid": extID}
		if cursor != "" {
			q["cursor"] = cursor
		}
		if err := c.get(ctx, "cgi-bin/externalcontact/get", q, &out); err != nil {
			return nil, err
		}
		d.Contact = out.ExternalContact
		d.FollowUsers = append(d.FollowUsers, out.FollowUser...)
		if out.NextCursor == "" || out.NextCursor == cursor {
			return d, nil
		}
		cursor = out.NextCursor
	}
	return nil, errors.New("wecom cgi-bin/externalcontact/get: too many pages")
}

// UserContact is one (customer, member) pair of batch/get_by_user.
type UserContact struct {
	Contact ExternalContact `json:"external_contact"`
	Follow  FollowUser      `json:"follow_info"`
}

// ContactPage is one page of BatchGetByUser.
type ContactPage struct {
	Contacts   []UserContact
	NextCursor string // empty on the last page
	// UnlicensedUserIDs lists requested members without an interop license
	// (fail_info.unlicensed_userid_list); their customers are missing.
	UnlicensedUserIDs []string
}

type batchGetResp struct {
	status
	ExternalContactList []UserContact `json:"external_contact_list"`
	NextCursor          string        `json:"next_cursor"`
	FailInfo            struct {
		Unlicensed []string `json:"unlicensed_userid_list"`
	} `json:"fail_info"`
}

// BatchGetByUser lists the customers of up to 100 members, one page of at
// most limit (≤100) entries (批量获取客户详情,
// https://developer.work.weixin.qq.com/document/path/93010).
func (c *Client) BatchGetByUser(ctx context.Context, userIDs []string, cursor string, limit int) (*ContactPage, error) {
	body := map[string]any{"userid_list": nonNil(userIDs), "cursor": cursor, "limit": limit}
	var out batchGetResp
	if err := c.post(ctx, "cgi-bin/externalcontact/batch/get_by_user", body, &out); err != nil {
		return nil, err
	}
	return &ContactPage{Contacts: out.ExternalContactList, NextCursor: out.NextCursor,
		UnlicensedUserIDs: out.FailInfo.Unlicensed}, nil
}

type listContactsResp struct {
	status
	ExternalUserID []string `json:"external_userid"`
}

// ListExternalContacts returns the external_userids of a member's customers
// (获取客户列表, https://developer.work.weixin.qq.com/document/path/92113).
func (c *Client) ListExternalContacts(ctx context.Context, userID string) ([]string, error) {
	var out listContactsResp
	if err := c.get(ctx, "cgi-bin/externalcontact/list", map[string]string{"userid": userID}, &out); err != nil {
		return nil, err
	}
	return out.ExternalUserID, nil
}

// RemarkRequest edits a member's remark on a customer. Nil fields are left
// unchanged; a non-nil empty string clears the field, and a non-nil empty
// RemarkMobiles clears the mobiles.
type RemarkRequest struct {
	UserID           string
	ExternalUserID   string
	Remark           *string // ≤20 chars
	Description      *string // ≤150 chars
	RemarkCompany    *string // ≤20 chars
	RemarkMobiles    []string
	RemarkPicMediaID string
}

// Remark edits a customer's remark fields (修改客户备注信息,
// https://developer.work.weixin.qq.com/document/path/92115).
func (c *Client) Remark(ctx context.Context, r RemarkRequest) error {
	body := map[string]any{"userid": r.UserID, "external_userid": r.ExternalUserID}
	for k, v := range map[string]*string{"remark": r.Remark, "description": r.Description, "remark_company": r.RemarkCompany} {
		if v != nil {
			body[k] = *v
		}
	}
	if r.RemarkMobiles != nil {
		body["remark_mobiles"] = r.RemarkMobiles
		if len(r.RemarkMobiles) == 0 {
			body["remark_mobiles"] = []string{""} // WeCom's way to clear them
		}
	}
	if r.RemarkPicMediaID != "" {
		body["remark_pic_mediaid"] = r.RemarkPicMediaID
	}
	return c.post(ctx, "cgi-bin/externalcontact/remark", body, &status{})
}

// nonNil turns a nil slice into an empty one, so it encodes as [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
