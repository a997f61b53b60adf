package wecom

import (
	"context"
	"fmt"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/autotag"
)

// AutoTags adapts the client to what the auto-tag rules write in WeCom (autotag.WeCom): their tags on
// customers (mark_tag) and the tags themselves (add_corp_tag). Unmarked work is background: nobody
// waits on a rule's mark.
type AutoTags struct{ c *Client }

var _ autotag.WeCom = (*AutoTags)(nil)

// NewAutoTags adapts c for the auto-tags.
func NewAutoTags(c *Client) *AutoTags { return &AutoTags{c: c} }

func backgroundLane(ctx context.Context) context.Context {
	if service.Marked(ctx) {
		return ctx
	}
	return service.WithLane(ctx, service.LaneBackground)
}

// MarkTag is externalcontact/mark_tag. A WeCom errcode is a *service.WeComError (84061: the guide
// does not have the customer); a call the budget did not send is service.ErrRateLimited.
func (a *AutoTags) MarkTag(ctx context.Context, userID, externalUserID string, add, remove []string) error {
	if err := a.c.MarkTag(backgroundLane(ctx), userID, externalUserID, add, remove); err != nil {
		return massErr(err)
	}
	return nil
}

// AddCorpTag is externalcontact/add_corp_tag: the tag name in the group named group (WeCom appends to
// an existing group of that name, or creates it); it returns the tag's id.
func (a *AutoTags) AddCorpTag(ctx context.Context, group, name string) (string, error) {
	g, err := a.c.AddCorpTag(backgroundLane(ctx), AddCorpTagRequest{GroupName: group, Tags: []NewTag{{Name: name}}})
	if err != nil {
		return "", massErr(err)
	}
	for _, t := range g.Tags {
		if t.Name == name {
			return t.ID, nil
		}
	}
	return "", fmt.Errorf("add_corp_tag returned no tag named %s: %w", name, service.ErrUpstream)
}
