package wecom

import (
	"context"
	"fmt"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/sidebar"
)

// Sidebar adapts the client to what the sidebar needs from WeCom: OAuth identity (sidebar.Identity),
// customer tags and remarks (sidebar.WeComWriter) and the JS-SDK tickets (sidebar.TicketSource).
type Sidebar struct{ c *Client }

var (
	_ sidebar.Identity     = (*Sidebar)(nil)
	_ sidebar.WeComWriter  = (*Sidebar)(nil)
	_ sidebar.TicketSource = (*Sidebar)(nil)
)

// NewSidebar adapts c for the sidebar.
func NewSidebar(c *Client) *Sidebar { return &Sidebar{c: c} }

// interactiveLane marks unmarked work as interactive: a guide waits on every sidebar call (the
// sidebar's routes mark their requests too; this covers any other caller of the adapter).
func interactiveLane(ctx context.Context) context.Context {
	if service.Marked(ctx) {
		return ctx
	}
	return service.WithLane(ctx, service.LaneInteractive)
}

// UserIDByCode is auth/getuserinfo: an invalid, expired or reused code (40029) is
// service.ErrUnauthenticated; a visitor who is not a corp member (openid only) is service.ErrForbidden.
func (s *Sidebar) UserIDByCode(ctx context.Context, code string) (string, error) {
	ctx = interactiveLane(ctx)
	info, err := s.c.GetUserInfo(ctx, code)
	if IsCode(err, CodeInvalidCode) {
		return "", fmt.Errorf("%w: %w", service.ErrUnauthenticated, err)
	}
	if err != nil {
		return "", upstream(err)
	}
	if info.UserID == "" {
		return "", fmt.Errorf("oauth visitor is not a corp member: %w", service.ErrForbidden)
	}
	return info.UserID, nil
}

// MarkTag is externalcontact/mark_tag.
func (s *Sidebar) MarkTag(ctx context.Context, userID, externalUserID string, add, remove []string) error {
	ctx = interactiveLane(ctx)
	if err := s.c.MarkTag(ctx, userID, externalUserID, add, remove); err != nil {
		return upstream(err)
	}
	return nil
}

// Remark is externalcontact/remark: only the fields set change. A refusal carries its reason in
// Chinese for the guide (service.Explained), chosen by errcode.
func (s *Sidebar) Remark(ctx context.Context, userID, externalUserID string, e sidebar.RemarkEdit) error {
	r := RemarkRequest{UserID: userID, ExternalUserID: externalUserID, Remark: e.Remark, Description: e.Description}
	if e.Mobiles != nil {
		r.RemarkMobiles = append([]string{}, *e.Mobiles...)
	}
	if err := s.c.Remark(ctx, r); err != nil {
		return explained(err, remarkReasons)
	}
	return nil
}

// CorpTicket is the corp jsapi_ticket (wx.config), cached by the client.
func (s *Sidebar) CorpTicket(ctx context.Context) (string, error) {
	ctx = interactiveLane(ctx)
	t, err := s.c.CorpTicket(ctx)
	if err != nil {
		return "", upstream(err)
	}
	return t, nil
}

// AgentTicket is the app jsapi_ticket (wx.agentConfig), cached by the client.
func (s *Sidebar) AgentTicket(ctx context.Context) (string, error) {
	ctx = interactiveLane(ctx)
	t, err := s.c.AgentTicket(ctx)
	if err != nil {
		return "", upstream(err)
	}
	return t, nil
}
