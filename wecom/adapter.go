package wecom

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/guidebox/guidebox/service"
	"github.com/guidebox/guidebox/service/graph"
)

// Directory implements graph.Directory over the WeCom client.
type Directory struct{ c *Client }

var _ graph.Directory = (*Directory)(nil)

// NewDirectory adapts c to graph.Directory.
func NewDirectory(c *Client) *Directory { return &Directory{c: c} }

// WeCom errcodes that mean "no such thing" for the lookups below.
var notFoundCodes = []int{40096, 84061, 60111, 40050, 60123}

// upstream maps a client error: unknown ids become service.ErrNotFound, WeCom's frequency limits
// and calls the quota did not send (*QuotaError) service.ErrRateLimited (and ErrUpstream), the
// rest service.ErrUpstream.
func upstream(err error) error {
	if IsCode(err, notFoundCodes...) {
		return fmt.Errorf("%w: %w", service.ErrNotFound, err)
	}
	var qe *QuotaError
	if errors.As(err, &qe) {
		return fmt.Errorf("%w: %w: %w: %w", service.ErrUpstream, service.ErrRateLimited, service.ErrNotSent, err)
	}
	if IsCode(err, CodeRateLimited, CodeConcurrencyLimit) {
		return fmt.Errorf("%w: %w: %w", service.ErrUpstream, service.ErrRateLimited, err)
	}
	return fmt.Errorf("%w: %w", service.ErrUpstream, err)
}

// Contact is externalcontact/get with every follower.
func (d *Directory) Contact(ctx context.Context, extID string) (graph.ContactSnapshot, error) {
	cd, err := d.c.GetExternalContact(ctx, extID)
	if err != nil {
		return graph.ContactSnapshot{}, upstream(err)
	}
	snap := graph.ContactSnapshot{Customer: toCustomer(cd.Contact)}
	for _, f := range cd.FollowUsers {
		snap.Followers = append(snap.Followers, toFollowDetail(f))
	}
	return snap, nil
}

// ContactsOf pages batch/get_by_user for one guide.
func (d *Directory) ContactsOf(ctx context.Context, userID, cursor string) ([]graph.ContactSnapshot, string, error) {
	page, err := d.c.BatchGetByUser(ctx, []string{userID}, cursor, 100)
	if IsCode(err, CodeNoLicensedUser) || (err == nil && slices.Contains(page.UnlicensedUserIDs, userID)) {
		return nil, "", fmt.Errorf("customers of %s: %w", userID, graph.ErrUnlicensed)
	}
	if err != nil {
		return nil, "", upstream(err)
	}
	out := make([]graph.ContactSnapshot, 0, len(page.Contacts))
	for _, uc := range page.Contacts {
		out = append(out, graph.ContactSnapshot{Customer: toCustomer(uc.Contact), Followers: []graph.FollowDetail{toFollowDetail(uc.Follow)}})
	}
	return out, page.NextCursor, nil
}

// Endpoints of the contact reads, as the WeCom budget names them.
const (
	endpointContactGet = "cgi-bin/externalcontact/get"
	endpointBatchGet   = "cgi-bin/externalcontact/batch/get_by_user"
)

// ReadBudget is what ctx's lane may spend now on externalcontact/get and batch/get_by_user.
func (d *Directory) ReadBudget(ctx context.Context) (graph.ReadBudget, error) {
	lane := service.LaneOf(ctx)
	get, err := d.c.Budget(ctx, endpointContactGet, lane)
	if err != nil {
		return graph.ReadBudget{}, fmt.Errorf("budget of %s: %w", endpointContactGet, err)
	}
	batch, err := d.c.Budget(ctx, endpointBatchGet, lane)
	if err != nil {
		return graph.ReadBudget{}, fmt.Errorf("budget of %s: %w", endpointBatchGet, err)
	}
	return graph.ReadBudget{Get: get, Batch: batch}, nil
}

// Member is user/get.
func (d *Directory) Member(ctx context.Context, userID string) (graph.Member, error) {
	u, err := d.c.GetUser(ctx, userID)
	if err != nil {
		return graph.Member{}, upstream(err)
	}
	m := graph.Member{UserID: u.UserID, Name: u.Name, MainDepartment: int64(u.MainDepartment), Status: u.Status}
	for _, dep := range u.Departments {
		m.Departments = append(m.Departments, int64(dep))
	}
	if m.MainDepartment == 0 && len(m.Departments) > 0 {
		m.MainDepartment = m.Departments[0]
	}
	return m, nil
}

// Departments is department/list.
func (d *Directory) Departments(ctx context.Context) ([]service.Store, error) {
	deps, err := d.c.ListDepartments(ctx)
	if err != nil {
		return nil, upstream(err)
	}
	out := make([]service.Store, len(deps))
	for i, dep := range deps {
		out[i] = service.Store{ID: int64(dep.ID), Name: dep.Name, ParentID: int64(dep.ParentID)}
	}
	return out, nil
}

func toCustomer(c ExternalContact) service.Customer {
	return service.Customer{ExternalUserID: c.ExternalUserID, UnionID: c.UnionID, Name: c.Name, Avatar: c.Avatar,
		Type: c.Type, Gender: c.Gender, CorpName: c.CorpName}
}

func toFollowDetail(f FollowUser) graph.FollowDetail {
	d := graph.FollowDetail{UserID: f.UserID, Remark: f.Remark, Description: f.Description, RemarkMobiles: f.RemarkMobiles,
		AddWay: f.AddWay, State: f.State, OperUserID: f.OperUserID, TagIDs: f.TagIDs}
	if f.CreateTime > 0 {
		d.CreatedAt = time.Unix(f.CreateTime, 0).UTC()
	}
	if len(d.TagIDs) == 0 {
		for _, t := range f.Tags {
			if t.TagID != "" { // personal tags (type 2) have no id and are not corp tags
				d.TagIDs = append(d.TagIDs, t.TagID)
			}
		}
	}
	return d
}

// CorpTags is get_corp_tag_list for every group.
func (d *Directory) CorpTags(ctx context.Context) ([]service.TagGroup, error) {
	groups, err := d.c.GetCorpTags(ctx)
	if err != nil {
		return nil, upstream(err)
	}
	out := make([]service.TagGroup, 0, len(groups))
	for _, g := range groups {
		tg := service.TagGroup{GroupID: g.GroupID, Name: g.GroupName, Order: g.Order}
		for _, t := range g.Tags {
			tg.Tags = append(tg.Tags, service.Tag{TagID: t.ID, GroupID: g.GroupID, Name: t.Name, Order: t.Order})
		}
		out = append(out, tg)
	}
	return out, nil
}
