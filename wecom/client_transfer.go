package wecom

import "context"

// CustomerResult is the per-customer outcome of a transfer request:
// ErrCode 0 means the transfer started (the takeover happens after 24 h).
type CustomerResult struct {
	ExternalUserID string `json:"external_userid"`
	ErrCode        int    `json:"errcode"`
}

type transferResp struct {
	status
	Customer []CustomerResult `json:"customer"`
}

// TransferCustomer starts the in-service transfer (在职继承) of up to 100
// customers from handover to takeover (分配在职成员的客户,
// https://developer.work.weixin.qq.com/document/path/92125). msg is the
// notice shown to customers (≤200 chars); "" sends WeCom's default wording.
// Per-customer failures (40128 twice in 90 days, 40129 in progress, …) are
// reported in the results, not as an error.
func (c *Client) TransferCustomer(ctx context.Context, handover, takeover string, extIDs []string, msg string) ([]CustomerResult, error) {
	body := map[string]any{"handover_userid": handover, "takeover_userid": takeover,
		"external_userid": nonNil(extIDs)}
	if msg != "" {
		body["transfer_success_msg"] = msg
	}
	var out transferResp
	if err := c.post(ctx, "cgi-bin/externalcontact/transfer_customer", body, &out); err != nil {
		return nil, err
	}
	return out.Customer, nil
}

// ResignedTransferCustomer starts the transfer (离职继承) of up to 100
// customers of a member who left (分配离职成员的客户,
// https://developer.work.weixin.qq.com/document/path/94081).
func (c *Client) ResignedTransferCustomer(ctx context.Context, handover, takeover string, extIDs []string) ([]CustomerResult, error) {
	body := map[string]any{"handover_userid": handover, "takeover_userid": takeover,
		"external_userid": nonNil(extIDs)}
	var out transferResp
	if err := c.post(ctx, "cgi-bin/externalcontact/resigned/transfer_customer", body, &out); err != nil {
		return nil, err
	}
	return out.Customer, nil
}

// Transfer statuses reported by TransferResult.
const (
	TransferDone      = 1 // 接替完毕
	TransferWaiting   = 2 // 等待接替
	TransferRefused   = 3 // 客户拒绝
	TransferLimitFull = 4 // 接替成员客户达到上限
	TransferNoRecord  = 5 // 无接替记录 (in-service only)
)

// TransferStatus is the state of one customer's transfer.
type TransferStatus struct {
	ExternalUserID string `json:"external_userid"`
	Status         int    `json:"status"`
	// TakeoverTime is the (future) automatic takeover time while waiting,
	// 0 when refused.
	TakeoverTime int64 `json:"takeover_time"`
}

// TransferPage is one page of transfer results.
type TransferPage struct {
	Customers  []TransferStatus
	NextCursor string // empty on the last page
}

type transferResultResp struct {
	status
	Customer   []TransferStatus `json:"customer"`
	NextCursor string           `json:"next_cursor"`
}

func (c *Client) transferResult(ctx context.Context, endpoint, handover, takeover, cursor string) (*TransferPage, error) {
	body := map[string]any{"handover_userid": handover, "takeover_userid": takeover, "cursor": cursor}
	var out transferResultResp
	if err := c.post(ctx, endpoint, body, &out); err != nil {
		return nil, err
	}
	return &TransferPage{Customers: out.Customer, NextCursor: out.NextCursor}, nil
}

// TransferResult reads one page of in-service transfer statuses (查询客户接替状态,
// https://developer.work.weixin.qq.com/document/path/94088).
func (c *Client) TransferResult(ctx context.Context, handover, takeover, cursor string) (*TransferPage, error) {
	return c.transferResult(ctx, "cgi-bin/externalcontact/transfer_result", handover, takeover, cursor)
}

// ResignedTransferResult reads one page of resigned transfer statuses
// (查询离职客户接替状态, https://developer.work.weixin.qq.com/document/path/94082).
// PowerWeChat's version drops next_cursor (pitfall 6), hence the raw call.
func (c *Client) ResignedTransferResult(ctx context.Context, handover, takeover, cursor string) (*TransferPage, error) {
	return c.transferResult(ctx, "cgi-bin/externalcontact/resigned/transfer_result", handover, takeover, cursor)
}

// Unassigned is a customer of a member who left, waiting for a new owner.
type Unassigned struct {
	HandoverUserID string `json:"handover_userid"`
	ExternalUserID string `json:"external_userid"`
	DimissionTime  int64  `json:"dimission_time"`
}

// UnassignedPage is one page of GetUnassignedList.
type UnassignedPage struct {
	Items      []Unassigned
	IsLast     bool
	NextCursor string
}

type unassignedResp struct {
	status
	Info       []Unassigned `json:"info"`
	IsLast     bool         `json:"is_last"`
	NextCursor string       `json:"next_cursor"`
}

// GetUnassignedList reads one page (pageSize ≤1000) of customers awaiting
// resigned transfer (获取待分配的离职成员列表,
// https://developer.work.weixin.qq.com/document/path/92124). It pages by
// cursor only, avoiding page_id's 50 000-row ceiling.
func (c *Client) GetUnassignedList(ctx context.Context, cursor string, pageSize int) (*UnassignedPage, error) {
	body := map[string]any{"cursor": cursor, "page_size": pageSize}
	var out unassignedResp
	if err := c.post(ctx, "cgi-bin/externalcontact/get_unassigned_list", body, &out); err != nil {
		return nil, err
	}
	return &UnassignedPage{Items: out.Info, IsLast: out.IsLast, NextCursor: out.NextCursor}, nil
}
