package wecom

import (
	"context"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/kernel"
	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/auth"
)

// User is a member of the corp directory (user/get).
type User struct {
	UserID         string   `json:"userid"`
	Name           string   `json:"name"`
	Departments    []int    `json:"department"`
	MainDepartment int      `json:"main_department"`
	IsLeaderInDept []int    `json:"is_leader_in_dept"`
	DirectLeader   []string `json:"direct_leader"`
	Position       string   `json:"position"`
	Mobile         string   `json:"mobile"`
	Gender         string   `json:"gender"`
	Email          string   `json:"email"`
	Avatar         string   `json:"avatar"`
	Alias          string   `json:"alias"`
	OpenUserID     string   `json:"open_userid"`
	Status         int      `json:"status"` // 1 active, 2 disabled, 4 not activated, 5 left
}

type getUserResp struct {
	status
	User
}

// GetUser reads a member (读取成员,
// https://developer.work.weixin.qq.com/document/path/90196). An unknown
// userid gives *APIError 60111 (CodeUserNotFound).
func (c *Client) GetUser(ctx context.Context, userID string) (*User, error) {
	var out getUserResp
	if err := c.get(ctx, "cgi-bin/user/get", map[string]string{"userid": userID}, &out); err != nil {
		return nil, err
	}
	return &out.User, nil
}

// Department is one node of the directory tree (department/list).
type Department struct {
	ID       int      `json:"id"`
	Name     string   `json:"name"`
	NameEN   string   `json:"name_en"`
	ParentID int      `json:"parentid"`
	Order    int64    `json:"order"`
	Leaders  []string `json:"department_leader"`
}

type listDepartmentsResp struct {
	status
	Department []Department `json:"department"`
}

// ListDepartments returns every department visible to the app (获取部门列表,
// https://developer.work.weixin.qq.com/document/path/90208). Unlike
// PowerWeChat it omits id rather than sending id=0.
func (c *Client) ListDepartments(ctx context.Context) ([]Department, error) {
	var out listDepartmentsResp
	if err := c.get(ctx, "cgi-bin/department/list", nil, &out); err != nil {
		return nil, err
	}
	return out.Department, nil
}

// UserInfo identifies who opened an OAuth link: UserID for a member, or
// OpenID (and ExternalUserID when known) for a non-member.
type UserInfo struct {
	UserID         string
	UserTicket     string
	OpenID         string
	ExternalUserID string
}

type userInfoResp struct {
	status
	UserInfo
}

// GetUserInfo exchanges an OAuth code for the visitor's identity (获取访问用户身份,
// https://developer.work.weixin.qq.com/document/path/91023). Codes are
// single-use and live 5 minutes; a bad one gives *APIError 40029.
// It goes through PowerWeChat's auth.Client.GetUserInfo (app.Auth), which
// honours BaseURL, unlike
// app.OAuth.Provider (hard-coded to qyapi.weixin.qq.com).
func (c *Client) GetUserInfo(ctx context.Context, code string) (*UserInfo, error) {
	var out userInfoResp
	err := c.call(ctx, "cgi-bin/auth/getuserinfo", &out, func(ctx context.Context, b *kernel.BaseClient) error {
		res, err := (&auth.Client{BaseClient: b}).GetUserInfo(ctx, code) // app.Auth on a borrowed BaseClient
		if err != nil {
			return err
		}
		out.status = status{ErrCode: res.ErrCode, ErrMsg: res.ErrMsg}
		out.UserInfo = UserInfo{UserID: res.UserID, UserTicket: res.UserTicket,
			OpenID: res.OpenID, ExternalUserID: res.ExternalUserID}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out.UserInfo, nil
}
