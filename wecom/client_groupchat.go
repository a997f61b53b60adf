package wecom

import "context"

// Group chat status filters for GroupChatList.
const (
	GroupChatAll         = 0 // 所有列表
	GroupChatResigned    = 1 // 离职待继承
	GroupChatInheriting  = 2 // 离职继承中
	GroupChatInheritDone = 3 // 离职继承完成
)

// GroupChatRef is one entry of GroupChatList.
type GroupChatRef struct {
	ChatID string `json:"chat_id"`
	Status int    `json:"status"` // 0 normal, 1 resigned, 2 inheriting, 3 inherited
}

// GroupChatPage is one page of GroupChatList.
type GroupChatPage struct {
	Chats      []GroupChatRef
	NextCursor string // empty on the last page
}

type groupChatListResp struct {
	status
	GroupChatList []GroupChatRef `json:"group_chat_list"`
	NextCursor    string         `json:"next_cursor"`
}

// GroupChatList reads one page (limit 1..1000) of customer groups owned by
// ownerUserIDs (≤100; empty means all, which fails with 81017 when more than
// 1000 members are visible) (获取客户群列表,
// https://developer.work.weixin.qq.com/document/path/92120).
func (c *Client) GroupChatList(ctx context.Context, statusFilter int, ownerUserIDs []string, cursor string, limit int) (*GroupChatPage, error) {
	body := map[string]any{"status_filter": statusFilter, "cursor": cursor, "limit": limit}
	if len(ownerUserIDs) > 0 {
		body["owner_filter"] = map[string]any{"userid_list": ownerUserIDs}
	}
	var out groupChatListResp
	if err := c.post(ctx, "cgi-bin/externalcontact/groupchat/list", body, &out); err != nil {
		return nil, err
	}
	return &GroupChatPage{Chats: out.GroupChatList, NextCursor: out.NextCursor}, nil
}

// GroupMember is one member of a customer group.
type GroupMember struct {
	UserID        string `json:"userid"`
	Type          int    `json:"type"` // 1 corp member, 2 external contact
	JoinTime      int64  `json:"join_time"`
	JoinScene     int    `json:"join_scene"` // 1 direct invite, 2 link, 3 QR code
	Invitor       string `json:"-"`
	GroupNickname string `json:"group_nickname"`
	Name          string `json:"name"`
	UnionID       string `json:"unionid"`
	State         string `json:"state"`
}

// GroupChat is a customer group's details.
type GroupChat struct {
	ChatID        string
	Name          string
	Owner         string
	Notice        string
	CreateTime    int64
	MemberVersion string // compare with callback CurMemVer/LastMemVer
	Members       []GroupMember
	Admins        []string
}

type groupChatGetResp struct {
	status
	GroupChat struct {
		ChatID     string `json:"chat_id"`
		Name       string `json:"name"`
		Owner      string `json:"owner"`
		CreateTime int64  `json:"create_time"`
		Notice     string `json:"notice"`
		MemberList []struct {
			GroupMember
			Invitor struct {
				UserID string `json:"userid"`
			} `json:"invitor"`
		} `json:"member_list"`
		AdminList []struct {
			UserID string `json:"userid"`
		} `json:"admin_list"`
		MemberVersion string `json:"member_version"`
	} `json:"group_chat"`
}

// GroupChatGet returns a customer group with its members, names included
// (获取客户群详情, https://developer.work.weixin.qq.com/document/path/92122).
// It may lag a few seconds behind change_external_chat callbacks.
func (c *Client) GroupChatGet(ctx context.Context, chatID string) (*GroupChat, error) {
	var out groupChatGetResp
	body := map[string]any{"chat_id": chatID, "need_name": 1}
	if err := c.post(ctx, "cgi-bin/externalcontact/groupchat/get", body, &out); err != nil {
		return nil, err
	}
	g := out.GroupChat
	gc := &GroupChat{ChatID: g.ChatID, Name: g.Name, Owner: g.Owner, Notice: g.Notice,
		CreateTime: g.CreateTime, MemberVersion: g.MemberVersion}
	for _, m := range g.MemberList {
		gm := m.GroupMember
		gm.Invitor = m.Invitor.UserID
		gc.Members = append(gc.Members, gm)
	}
	for _, a := range g.AdminList {
		gc.Admins = append(gc.Admins, a.UserID)
	}
	return gc, nil
}

// FailedChat is a group a transfer could not move (e.g. 90500 owner not
// resigned, 90501 not a customer group).
type FailedChat struct {
	ChatID  string `json:"chat_id"`
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

type groupTransferResp struct {
	status
	FailedChatList []FailedChat `json:"failed_chat_list"`
}

func (c *Client) groupTransfer(ctx context.Context, endpoint string, chatIDs []string, newOwner string) ([]FailedChat, error) {
	body := map[string]any{"chat_id_list": nonNil(chatIDs), "new_owner": newOwner}
	var out groupTransferResp
	if err := c.post(ctx, endpoint, body, &out); err != nil {
		return nil, err
	}
	return out.FailedChatList, nil
}

// GroupChatTransfer hands up to 100 groups of a member who left to newOwner
// and returns those that failed (分配离职成员的客户群,
// https://developer.work.weixin.qq.com/document/path/92127).
func (c *Client) GroupChatTransfer(ctx context.Context, chatIDs []string, newOwner string) ([]FailedChat, error) {
	return c.groupTransfer(ctx, "cgi-bin/externalcontact/groupchat/transfer", chatIDs, newOwner)
}

// GroupChatOnjobTransfer hands up to 100 groups of a serving member to
// newOwner (分配在职成员的客户群,
// https://developer.work.weixin.qq.com/document/path/95703); each group at
// most twice per 90 days. PowerWeChat v3.4.28 lacks this call.
func (c *Client) GroupChatOnjobTransfer(ctx context.Context, chatIDs []string, newOwner string) ([]FailedChat, error) {
	return c.groupTransfer(ctx, "cgi-bin/externalcontact/groupchat/onjob_transfer", chatIDs, newOwner)
}
