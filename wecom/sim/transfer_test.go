package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/ArtisanCloud/PowerWeChat/v3/src/work/externalContact/transfer/request"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/wecom/callback"
)

// transfer submits one in-service transfer and returns the customer's errcode.
func (e *env) transfer(t *testing.T, from, to string, ext ...string) []int {
	t.Helper()
	res, err := e.app.ExternalContactTransfer.TransferCustomer(e.ctx, &request.RequestTransferCustomer{
		HandoverUserID: from, TakeoverUserID: to, ExternalUserID: ext})
	require.NoError(t, err)
	require.Equal(t, 0, res.ErrCode, res.ErrMsg)
	var codes []int
	for _, c := range res.Customer {
		codes = append(codes, int((*c)["errcode"].(float64)))
	}
	return codes
}

// status reads transfer_result for one customer.
func (e *env) status(t *testing.T, from, to, ext string) (status int, takeover int64) {
	t.Helper()
	res, err := e.app.ExternalContactTransfer.TransferResult(e.ctx, &request.RequestTransferResult{
		HandoverUserID: from, TakeoverUserID: to})
	require.NoError(t, err)
	for _, c := range res.Customer {
		if (*c)["external_userid"] == ext {
			return int((*c)["status"].(float64)), int64((*c)["takeover_time"].(float64))
		}
	}
	return 5, 0
}

// changes lists received change_external_contact events as "change:user:ext[:extra]".
func changes(msgs []*callback.Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Event != "change_external_contact" {
			continue
		}
		s := m.ChangeType + ":" + m.UserID + ":" + m.ExternalUserID
		if x := m.Source + m.FailReason; x != "" {
			s += ":" + x
		}
		out = append(out, s)
	}
	return out
}

func TestTransferTakesOverAfter24h(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	require.NoError(t, e.sim.EditFollow("zhangsan", ext, "王姐", "老客", nil))
	assert.Equal(t, []int{0}, e.transfer(t, "zhangsan", "lisi", ext))

	st, tt := e.status(t, "zhangsan", "lisi", ext)
	assert.Equal(t, 2, st, "waiting")
	assert.Equal(t, t0.Add(24*time.Hour).Unix(), tt)
	assert.Equal(t, []int{40129}, e.transfer(t, "zhangsan", "lisi", ext), "already in progress")

	e.clock.Advance(24 * time.Hour)
	st, _ = e.status(t, "zhangsan", "lisi", ext) // completion is lazy, on any request
	assert.Equal(t, 1, st)
	_, still := e.sim.Follower("zhangsan", ext)
	assert.False(t, still)
	f, ok := e.sim.Follower("lisi", ext)
	require.True(t, ok)
	assert.Empty(t, f.Remark, "WeCom does not copy the remark")
	assert.Equal(t, 202, f.AddWay)

	e.flush(t)
	assert.Equal(t, []string{
		"add_external_contact:zhangsan:" + ext,
		"edit_external_contact:zhangsan:" + ext,
		"del_external_contact:zhangsan:" + ext + ":DELETE_BY_TRANSFER",
		"add_external_contact:lisi:" + ext,
	}, changes(e.recv.messages()))
	last := e.recv.messages()[len(e.recv.messages())-1]
	assert.Equal(t, t0.Add(24*time.Hour).Unix(), last.CreateTime, "events carry the takeover time")
}

func TestTransferRules(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	e.sim.AddUser(User{UserID: "wangwu", Name: "王五"})
	other, _, err := e.sim.CustomerAddsGuide("lisi", Customer{Name: "赵六"}, "")
	require.NoError(t, err)

	assert.Equal(t, []int{40130}, e.transfer(t, "zhangsan", "zhangsan", ext), "same member")
	assert.Equal(t, []int{40131}, e.transfer(t, "zhangsan", "wangwu", other), "not the handover's customer")
	assert.Equal(t, []int{40096}, e.transfer(t, "zhangsan", "wangwu", "wmunknown"))

	ids := make([]string, 101)
	for i := range ids {
		ids[i] = ext
	}
	res, err := e.app.ExternalContactTransfer.TransferCustomer(e.ctx, &request.RequestTransferCustomer{
		HandoverUserID: "zhangsan", TakeoverUserID: "lisi", ExternalUserID: ids})
	require.NoError(t, err)
	assert.Equal(t, 40058, res.ErrCode, "more than 100 customers fails the whole call")

	// Two transfers complete; the third within 90 days is refused.
	assert.Equal(t, []int{0}, e.transfer(t, "zhangsan", "lisi", ext))
	e.clock.Advance(24 * time.Hour)
	assert.Equal(t, []int{0}, e.transfer(t, "lisi", "wangwu", ext))
	e.clock.Advance(24 * time.Hour)
	assert.Equal(t, []int{40128}, e.transfer(t, "wangwu", "zhangsan", ext), "third transfer in 90 days")
	e.clock.Advance(89 * 24 * time.Hour)
	assert.Equal(t, []int{0}, e.transfer(t, "wangwu", "zhangsan", ext), "the window has passed")
}

func TestTransferRefusedByCustomer(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	e.sim.SetRefuses(ext, true)
	assert.Equal(t, []int{0}, e.transfer(t, "zhangsan", "lisi", ext))
	e.clock.Advance(25 * time.Hour)
	e.sim.Tick()
	st, tt := e.status(t, "zhangsan", "lisi", ext)
	assert.Equal(t, 3, st)
	assert.Zero(t, tt)
	_, kept := e.sim.Follower("zhangsan", ext)
	assert.True(t, kept, "a refusing customer stays")
	e.flush(t)
	assert.Contains(t, changes(e.recv.messages()), "transfer_fail:lisi:"+ext+":customer_refused")
}

func TestTransferTakeoverLimit(t *testing.T) {
	e := newEnv(t)
	ext := e.seedBasic(t)
	second, _, err := e.sim.CustomerAddsGuide("zhangsan", Customer{Name: "钱七"}, "")
	require.NoError(t, err)
	_, _, err = e.sim.CustomerAddsGuide("lisi", Customer{Name: "孙八"}, "")
	require.NoError(t, err)

	e.sim.SetCustomerLimit("lisi", 1)
	assert.Equal(t, []int{40099}, e.transfer(t, "zhangsan", "lisi", ext), "already full at submit")

	e.sim.SetCustomerLimit("lisi", 2)
	assert.Equal(t, []int{0, 0}, e.transfer(t, "zhangsan", "lisi", ext, second))
	e.clock.Advance(24 * time.Hour)
	e.sim.Tick()
	s1, _ := e.status(t, "zhangsan", "lisi", ext)
	s2, _ := e.status(t, "zhangsan", "lisi", second)
	assert.Equal(t, []int{1, 4}, []int{s1, s2}, "the second takeover hits the limit")
	e.flush(t)
	assert.Contains(t, changes(e.recv.messages()), "transfer_fail:lisi:"+second+":customer_limit_exceed")
}

func TestTransferResultPages(t *testing.T) {
	e := newEnv(t)
	e.seedBasic(t)
	corp := &Corp{}
	var ids []string
	for i := range 1100 {
		id := fmt.Sprintf("wmbulk%04d", i)
		ids = append(ids, id)
		corp.Customers = append(corp.Customers, Customer{ExternalUserID: id, Name: id})
		corp.Follows = append(corp.Follows, Follow{UserID: "zhangsan", ExternalUserID: id})
	}
	require.NoError(t, e.sim.Load(corp))
	for i := 0; i < len(ids); i += 100 {
		e.transfer(t, "zhangsan", "lisi", ids[i:i+100]...)
	}
	res, err := e.app.ExternalContactTransfer.TransferResult(e.ctx, &request.RequestTransferResult{
		HandoverUserID: "zhangsan", TakeoverUserID: "lisi"})
	require.NoError(t, err)
	assert.Len(t, res.Customer, 1000)
	require.NotEmpty(t, res.NextCursor)
	res, err = e.app.ExternalContactTransfer.TransferResult(e.ctx, &request.RequestTransferResult{
		HandoverUserID: "zhangsan", TakeoverUserID: "lisi", Cursor: res.NextCursor})
	require.NoError(t, err)
	assert.Len(t, res.Customer, 100)
	assert.Empty(t, res.NextCursor)
}
