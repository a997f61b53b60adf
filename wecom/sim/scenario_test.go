package sim

import (
	"testing"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScenarioCallbacks(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	_, _, err := e.sim.CustomerAddsGuide("lisi", Customer{ExternalUserID: ext}, "")
	require.NoError(t, err, "an existing customer adds a second guide")
	_, _, err = e.sim.CustomerAddsGuide("lisi", Customer{ExternalUserID: ext}, "")
	require.ErrorIs(t, err, ErrExists)
	require.NoError(t, e.sim.CustomerDeletesGuide("zhangsan", ext))
	require.NoError(t, e.sim.GuideDeletesCustomer("lisi", ext))
	require.ErrorIs(t, e.sim.GuideDeletesCustomer("lisi", ext), ErrNotFound)
	e.sim.AddUser(User{UserID: "lisi", Name: "李四", Position: "店长"})
	require.NoError(t, e.sim.ResignUser("lisi"))
	e.flush(t)

	assert.Equal(t, []string{
		"add_external_contact:zhangsan:" + ext,
		"add_external_contact:lisi:" + ext,
		"del_follow_user:zhangsan:" + ext,
		"del_external_contact:lisi:" + ext,
	}, changes(e.recv.messages()))
	var contact []string
	for _, m := range e.recv.messages() {
		if m.Event == "change_contact" {
			contact = append(contact, m.ChangeType+":"+m.UserID)
		}
	}
	assert.Equal(t, []string{"create_user:zhangsan", "create_user:lisi", "update_user:lisi", "delete_user:lisi"}, contact)
	c, ok := e.sim.Customer(ext)
	require.True(t, ok)
	assert.Equal(t, "王小美", c.Name, "re-adding keeps the customer's data")
	assert.Empty(t, e.sim.Followers(ext))
}

func TestUpdateCustomerChangesTheProfileSilently(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	e.flush(t)
	before := len(e.recv.messages())
	require.NoError(t, e.sim.UpdateCustomer(Customer{ExternalUserID: ext, Name: "王美丽", Avatar: "https://example.com/a.png", Gender: 2}))
	require.ErrorIs(t, e.sim.UpdateCustomer(Customer{ExternalUserID: "wm-unknown", Name: "x"}), ErrNotFound)
	e.flush(t)
	assert.Len(t, e.recv.messages(), before, "a customer's own profile change pushes no callback")
	res, err := e.app.ExternalContact.Get(e.ctx, ext, "")
	require.NoError(t, err)
	require.Equal(t, 0, res.ErrCode)
	assert.Equal(t, "王美丽", res.ExternalContact.Name)
	assert.Equal(t, "https://example.com/a.png", res.ExternalContact.Avatar)
	assert.Len(t, res.FollowUsers, 1, "the edges stay")
}

func TestNotifyAPIChanges(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.NotifyAPIChanges = true })
	ext := e.seedBasic(t)
	res, err := e.app.ExternalContact.Remark(e.ctx, &request.RequestExternalContactRemark{
		UserID: "zhangsan", ExternalUserID: ext, Remark: "王姐"})
	require.NoError(t, err)
	require.Equal(t, 0, res.ErrCode)
	e.flush(t)
	got := changes(e.recv.messages())
	assert.Equal(t, "edit_external_contact:zhangsan:"+ext, got[len(got)-1])
}
