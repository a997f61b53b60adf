package wecom

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/tasks"
)

// Mass implements tasks.MassAPI over the WeCom client: 企业群发 (add_msg_template and its
// read, remind and cancel APIs).
type Mass struct{ c *Client }

var _ tasks.MassAPI = (*Mass)(nil)

// NewMass adapts c to tasks.MassAPI.
func NewMass(c *Client) *Mass { return &Mass{c: c} }

// massErr wraps a client error for tasks: a WeCom errcode becomes *service.WeComError (WeCom
// answered; its frequency limits are also service.ErrRateLimited), a call the quota did not send is
// service.ErrRateLimited, anything else an unknown outcome (service.ErrUpstream alone).
func massErr(err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		we := &service.WeComError{Code: ae.Code, Msg: ae.Msg}
		if ae.Code == CodeRateLimited || ae.Code == CodeConcurrencyLimit {
			return fmt.Errorf("%w: %w: %w", service.ErrUpstream, service.ErrRateLimited, we)
		}
		return fmt.Errorf("%w: %w", service.ErrUpstream, we)
	}
	var qe *QuotaError
	if errors.As(err, &qe) {
		return fmt.Errorf("%w: %w: %w", service.ErrUpstream, service.ErrRateLimited, err)
	}
	return fmt.Errorf("%w: %w", service.ErrUpstream, err)
}

// CreateMass is add_msg_template for one guide.
func (m *Mass) CreateMass(ctx context.Context, msg tasks.MassMessage) (string, []string, error) {
	t := MassTemplate(msg)
	res, err := m.c.AddMsgTemplate(ctx, t)
	if err != nil {
		return "", nil, massErr(err)
	}
	return res.MsgID, res.FailList, nil
}

// MassTemplate is the add_msg_template request of a task's message.
func MassTemplate(msg tasks.MassMessage) MsgTemplate {
	t := MsgTemplate{Sender: msg.Sender, ExternalUserIDs: msg.ExternalUserIDs, Text: msg.Text}
	for _, a := range msg.Attachments {
		t.Attachments = append(t.Attachments, toAttachment(a))
	}
	return t
}

// toAttachment maps a task's attachment to WeCom's shape.
func toAttachment(a tasks.Attachment) Attachment {
	switch a.Kind {
	case tasks.KindImage:
		return Attachment{MsgType: "image", Image: &AttachmentImage{MediaID: a.MediaID, PicURL: a.PicURL}}
	case tasks.KindVideo:
		return Attachment{MsgType: "video", Video: &AttachmentMedia{MediaID: a.MediaID}}
	case tasks.KindFile:
		return Attachment{MsgType: "file", File: &AttachmentMedia{MediaID: a.MediaID}}
	case tasks.KindMiniProgram:
		return Attachment{MsgType: "miniprogram", MiniProgram: &AttachmentMini{Title: a.Title, PicMediaID: a.MediaID, AppID: a.AppID, Page: a.Page}}
	}
	return LinkAttachment(a.Title, a.PicURL, a.Desc, a.URL)
}

// ListMass is one page of get_groupmsg_list_v2 (企业发表, to customers).
func (m *Mass) ListMass(ctx context.Context, from, to time.Time, cursor string) ([]tasks.MassInfo, string, error) {
	page, next, err := m.c.GroupMsgList(ctx, from, to, cursor, 100)
	if err != nil {
		return nil, "", massErr(err)
	}
	out := make([]tasks.MassInfo, len(page))
	for i, g := range page {
		out[i] = tasks.MassInfo{MsgID: g.MsgID, Text: g.Text.Content, Attachments: len(g.Attachments), CreatedAt: time.Unix(g.CreateTime, 0).UTC()}
	}
	return out, next, nil
}

// MassMembers is one page of get_groupmsg_task.
func (m *Mass) MassMembers(ctx context.Context, msgID, cursor string) ([]tasks.MemberSend, string, error) {
	page, next, err := m.c.GroupMsgTasks(ctx, msgID, cursor, 1000)
	if err != nil {
		return nil, "", massErr(err)
	}
	out := make([]tasks.MemberSend, len(page))
	for i, t := range page {
		out[i] = tasks.MemberSend{UserID: t.UserID, Sent: t.Status == GroupMsgMemberSent, SentAt: unixTime(t.SendTime)}
	}
	return out, next, nil
}

// MassResults is one page of get_groupmsg_send_result.
func (m *Mass) MassResults(ctx context.Context, msgID, userID, cursor string) ([]tasks.CustomerSend, string, error) {
	page, next, err := m.c.GroupMsgSendResult(ctx, msgID, userID, cursor, 1000)
	if err != nil {
		return nil, "", massErr(err)
	}
	out := make([]tasks.CustomerSend, 0, len(page))
	for _, r := range page {
		if r.ExternalUserID == "" { // a customer group's row (chat_id): tasks send to customers only
			continue
		}
		out = append(out, tasks.CustomerSend{ExternalUserID: r.ExternalUserID, Status: r.Status, SentAt: unixTime(r.SendTime)})
	}
	return out, next, nil
}

// RemindMass is remind_groupmsg_send.
func (m *Mass) RemindMass(ctx context.Context, msgID string) error {
	if err := m.c.RemindGroupMsgSend(ctx, msgID); err != nil {
		return massErr(err)
	}
	return nil
}

// CancelMass is cancel_groupmsg_send.
func (m *Mass) CancelMass(ctx context.Context, msgID string) error {
	if err := m.c.CancelGroupMsgSend(ctx, msgID); err != nil {
		return massErr(err)
	}
	return nil
}

// unixTime is a WeCom timestamp in UTC, the zero time for 0.
func unixTime(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
