package wecom

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/handover"
)

// Transfers implements handover.TransferAPI over the WeCom client: the customer and group
// transfer APIs of 离职继承 and 在职继承 (wecom-contract.md §3).
type Transfers struct{ c *Client }

var _ handover.TransferAPI = (*Transfers)(nil)

// NewTransfers adapts c to handover.TransferAPI.
func NewTransfers(c *Client) *Transfers { return &Transfers{c: c} }

// transferErr wraps a client error for service: a WeCom errcode becomes *service.WeComError
// (WeCom answered, nothing happened); a call the quota did not send (*QuotaError) is
// service.ErrRateLimited and service.ErrNotSent (handover puts its batch back, nothing to
// reconcile); anything else stays an unknown outcome.
func transferErr(err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("%w: %w", service.ErrUpstream, &service.WeComError{Code: ae.Code, Msg: ae.Msg})
	}
	var qe *QuotaError
	if errors.As(err, &qe) {
		return fmt.Errorf("%w: %w: %w: %w", service.ErrUpstream, service.ErrRateLimited, service.ErrNotSent, err)
	}
	return fmt.Errorf("%w: %w", service.ErrUpstream, err)
}

// handoverLane marks unmarked work as handover's: the transfer APIs serve handover only.
func handoverLane(ctx context.Context) context.Context {
	if service.Marked(ctx) {
		return ctx
	}
	return service.WithLane(ctx, service.LaneHandover)
}

// MemberActive is user/get: false when WeCom answers 60111 (unknown or departed member) or
// the member is not active (status 1).
func (t *Transfers) MemberActive(ctx context.Context, userID string) (bool, error) {
	ctx = handoverLane(ctx)
	u, err := t.c.GetUser(ctx, userID)
	if IsCode(err, CodeUserNotFound) {
		return false, nil
	}
	if err != nil {
		return false, transferErr(err)
	}
	return u.Status == 1, nil
}

// Unassigned is one page (1000) of get_unassigned_list by cursor.
func (t *Transfers) Unassigned(ctx context.Context, cursor string) ([]handover.UnassignedCustomer, string, error) {
	ctx = handoverLane(ctx)
	page, err := t.c.GetUnassignedList(ctx, cursor, 1000)
	if err != nil {
		return nil, "", transferErr(err)
	}
	out := make([]handover.UnassignedCustomer, len(page.Items))
	for i, u := range page.Items {
		out[i] = handover.UnassignedCustomer{HandoverUserID: u.HandoverUserID, ExternalUserID: u.ExternalUserID,
			DimissionTime: time.Unix(u.DimissionTime, 0).UTC()}
	}
	next := page.NextCursor
	if page.IsLast {
		next = ""
	}
	return out, next, nil
}

// OwnedGroups is one page (1000) of groupchat/list for one owner, every status.
func (t *Transfers) OwnedGroups(ctx context.Context, owner, cursor string) ([]string, string, error) {
	ctx = handoverLane(ctx)
	page, err := t.c.GroupChatList(ctx, GroupChatAll, []string{owner}, cursor, 1000)
	if err != nil {
		return nil, "", transferErr(err)
	}
	out := make([]string, len(page.Chats))
	for i, g := range page.Chats {
		out[i] = g.ChatID
	}
	return out, page.NextCursor, nil
}

// TransferCustomers is resigned/transfer_customer or transfer_customer.
func (t *Transfers) TransferCustomers(ctx context.Context, resigned bool, from, to string, exts []string, msg string) ([]handover.TransferOutcome, error) {
	ctx = handoverLane(ctx)
	var res []CustomerResult
	var err error
	if resigned {
		res, err = t.c.ResignedTransferCustomer(ctx, from, to, exts)
	} else {
		res, err = t.c.TransferCustomer(ctx, from, to, exts, msg)
	}
	if err != nil {
		return nil, transferErr(err)
	}
	out := make([]handover.TransferOutcome, len(res))
	for i, r := range res {
		out[i] = handover.TransferOutcome{ExternalUserID: r.ExternalUserID, ErrCode: r.ErrCode}
	}
	return out, nil
}

// TransferResults is one page of resigned/transfer_result or transfer_result.
func (t *Transfers) TransferResults(ctx context.Context, resigned bool, from, to, cursor string) ([]handover.TransferState, string, error) {
	ctx = handoverLane(ctx)
	var page *TransferPage
	var err error
	if resigned {
		page, err = t.c.ResignedTransferResult(ctx, from, to, cursor)
	} else {
		page, err = t.c.TransferResult(ctx, from, to, cursor)
	}
	if err != nil {
		return nil, "", transferErr(err)
	}
	out := make([]handover.TransferState, len(page.Customers))
	for i, r := range page.Customers {
		out[i] = handover.TransferState{ExternalUserID: r.ExternalUserID, Status: r.Status}
		if r.TakeoverTime > 0 {
			out[i].TakeoverTime = time.Unix(r.TakeoverTime, 0).UTC()
		}
	}
	return out, page.NextCursor, nil
}

// TransferGroups is groupchat/transfer or groupchat/onjob_transfer.
func (t *Transfers) TransferGroups(ctx context.Context, resigned bool, chatIDs []string, newOwner string) ([]handover.GroupFailure, error) {
	ctx = handoverLane(ctx)
	var res []FailedChat
	var err error
	if resigned {
		res, err = t.c.GroupChatTransfer(ctx, chatIDs, newOwner)
	} else {
		res, err = t.c.GroupChatOnjobTransfer(ctx, chatIDs, newOwner)
	}
	if err != nil {
		return nil, transferErr(err)
	}
	out := make([]handover.GroupFailure, len(res))
	for i, f := range res {
		out[i] = handover.GroupFailure{ChatID: f.ChatID, ErrCode: f.ErrCode, Msg: f.ErrMsg}
	}
	return out, nil
}

// CopyFollow writes remark and description (externalcontact/remark) and adds the corp tags
// (mark_tag) on userID's edge to the customer.
func (t *Transfers) CopyFollow(ctx context.Context, userID, extID, remark, desc string, tagIDs []string) error {
	ctx = handoverLane(ctx)
	if remark != "" || desc != "" {
		r := RemarkRequest{UserID: userID, ExternalUserID: extID}
		if remark != "" {
			r.Remark = &remark
		}
		if desc != "" {
			r.Description = &desc
		}
		if err := t.c.Remark(ctx, r); err != nil {
			return transferErr(err)
		}
	}
	if len(tagIDs) > 0 {
		if err := t.c.MarkTag(ctx, userID, extID, tagIDs, nil); err != nil {
			return transferErr(err)
		}
	}
	return nil
}
