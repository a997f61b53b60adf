package wecom

import "context"

// Tag is a corp customer tag.
type Tag struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	CreateTime int64  `json:"create_time"`
	Order      int64  `json:"order"` // larger sorts first
	Deleted    bool   `json:"deleted"`
}

// TagGroup is a corp tag group and its tags.
type TagGroup struct {
	GroupID    string `json:"group_id"`
	GroupName  string `json:"group_name"`
	CreateTime int64  `json:"create_time"`
	Order      int64  `json:"order"`
	Deleted    bool   `json:"deleted"` // only reported for id-filtered queries
	Tags       []Tag  `json:"tag"`
}

type corpTagsResp struct {
	status
	TagGroup []TagGroup `json:"tag_group"`
}

// GetCorpTags returns every corp tag group (获取企业标签库,
// https://developer.work.weixin.qq.com/document/path/92117).
func (c *Client) GetCorpTags(ctx context.Context) ([]TagGroup, error) {
	return c.GetCorpTagsByID(ctx, nil, nil)
}

// GetCorpTagsByID returns the groups holding tagIDs, or the groups groupIDs
// (groupIDs wins when both are given; both empty means all).
func (c *Client) GetCorpTagsByID(ctx context.Context, tagIDs, groupIDs []string) ([]TagGroup, error) {
	body := map[string]any{"tag_id": nonNil(tagIDs), "group_id": nonNil(groupIDs)}
	var out corpTagsResp
	if err := c.post(ctx, "cgi-bin/externalcontact/get_corp_tag_list", body, &out); err != nil {
		return nil, err
	}
	return out.TagGroup, nil
}

// NewTag is a tag to create.
type NewTag struct {
	Name  string `json:"name"`
	Order int64  `json:"order,omitempty"`
}

// AddCorpTagRequest creates tags in the group GroupID, or in the group named
// GroupName (created if absent; Order then applies to it).
type AddCorpTagRequest struct {
	GroupID   string   `json:"group_id,omitempty"`
	GroupName string   `json:"group_name,omitempty"`
	Order     int64    `json:"order,omitempty"`
	Tags      []NewTag `json:"tag"`
}

type addCorpTagResp struct {
	status
	TagGroup TagGroup `json:"tag_group"`
}

// AddCorpTag creates corp tags and returns their group with the new tags
// (添加企业客户标签, https://developer.work.weixin.qq.com/document/path/92117).
// Duplicate names are merged by WeCom; over 3000 tags gives 40126.
func (c *Client) AddCorpTag(ctx context.Context, r AddCorpTagRequest) (*TagGroup, error) {
	r.Tags = nonNil(r.Tags)
	var out addCorpTagResp
	if err := c.post(ctx, "cgi-bin/externalcontact/add_corp_tag", r, &out); err != nil {
		return nil, err
	}
	return &out.TagGroup, nil
}

// EditCorpTagRequest renames or reorders a tag or a group (ID is either).
// Nil Order leaves the order unchanged.
type EditCorpTagRequest struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Order *int64 `json:"order,omitempty"`
}

// EditCorpTag edits a corp tag or tag group (编辑企业客户标签,
// https://developer.work.weixin.qq.com/document/path/92117). An app can only
// edit tags it created.
func (c *Client) EditCorpTag(ctx context.Context, r EditCorpTagRequest) error {
	return c.post(ctx, "cgi-bin/externalcontact/edit_corp_tag", r, &status{})
}

// DelCorpTag deletes tags and/or whole groups (删除企业客户标签,
// https://developer.work.weixin.qq.com/document/path/92117). A group whose
// last tag is deleted disappears.
func (c *Client) DelCorpTag(ctx context.Context, tagIDs, groupIDs []string) error {
	body := map[string]any{"tag_id": nonNil(tagIDs), "group_id": nonNil(groupIDs)}
	return c.post(ctx, "cgi-bin/externalcontact/del_corp_tag", body, &status{})
}

// MarkTag adds and removes corp tags on a customer of userID (编辑客户企业标签,
// https://developer.work.weixin.qq.com/document/path/92118).
func (c *Client) MarkTag(ctx context.Context, userID, extID string, add, remove []string) error {
	body := map[string]any{"userid": userID, "external_userid": extID,
		"add_tag": nonNil(add), "remove_tag": nonNil(remove)}
	return c.post(ctx, "cgi-bin/externalcontact/mark_tag", body, &status{})
}
