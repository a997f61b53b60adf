package sim

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoCorpIsDeterministicAndLoads(t *testing.T) {
	a, b := DemoCorp(42), DemoCorp(42)
	assert.Equal(t, a, b, "same seed, same corp")
	assert.NotEqual(t, a.Customers[0].ExternalUserID, DemoCorp(43).Customers[0].ExternalUserID)

	assert.Len(t, a.Departments, 5)
	assert.Len(t, a.Users, 20)
	assert.Len(t, a.Customers, 300)
	assert.Len(t, a.TagGroups, 6, "客户等级, 偏好品类, 生命周期, 母婴阶段, 消费阶段, 自动标签")
	assert.Len(t, a.Groups, 8)
	assert.Greater(t, len(a.Follows), 300, "some customers follow two guides")

	e := newEnv(t)
	require.NoError(t, e.sim.Load(a))
	res, err := e.app.ExternalContact.Get(e.ctx, a.Customers[0].ExternalUserID, "")
	require.NoError(t, err)
	require.Equal(t, 0, res.ErrCode)
	assert.NotEmpty(t, res.FollowUsers[0].Tags)
	assert.NotEmpty(t, e.sim.TagID("客户等级", "金卡"))
	g, err := e.app.ExternalContactGroupChat.Get(e.ctx, a.Groups[0].ChatID, 1)
	require.NoError(t, err)
	assert.Equal(t, a.Groups[0].Name, g.GroupChat.Name)
	assert.Empty(t, e.recv.messages(), "Load pushes nothing")

	p := DemoProducts()
	assert.Len(t, p, 297)
	assert.Equal(t, "美妆", p[0].Category)
	assert.Equal(t, "丝绒哑光口红", p[0].Name, "the first 24 as the demo had them")
	cats := map[string]int{}
	for _, x := range p {
		cats[x.Category]++
	}
	assert.Len(t, cats, 7, "美妆, 服饰, 鞋包, 家居, 护肤, 食品, 母婴")
	assert.NotEmpty(t, e.sim.TagID("母婴阶段", "孕期"))
	assert.NotEmpty(t, e.sim.TagID("偏好品类", "护肤"))
	assert.NotEmpty(t, e.sim.TagID("消费阶段", "复购"))
}

func TestCorpFileRoundTrip(t *testing.T) {
	var b strings.Builder
	c := DemoCorp(1)
	require.NoError(t, WriteCorp(&b, c))
	back, err := ReadCorp(strings.NewReader(b.String()))
	require.NoError(t, err)
	assert.Equal(t, len(c.Follows), len(back.Follows))
	assert.True(t, c.Follows[0].CreateTime.Equal(back.Follows[0].CreateTime))
	assert.Equal(t, c.Groups[0].Members[2].UserID, back.Groups[0].Members[2].UserID)
	_, err = ReadCorp(strings.NewReader(`{"Nope":1}`))
	assert.Error(t, err)
}
