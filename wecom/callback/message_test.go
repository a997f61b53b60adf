package callback

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Official samples from the customer-contact change-callback docs.
const (
	transferFailXML = `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[transfer_fail]]></ChangeType><FailReason><![CDATA[customer_refused]]></FailReason><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID></xml>`
	chatUpdateXML   = `<xml><ToUserName><![CDATA[ww55ca070cb9b7eb22]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ]]></ChatId><ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail><JoinScene>1</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>10</MemChangeCnt><MemChangeList><Item>Jack</Item><Item>Rose</Item></MemChangeList><LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer><CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer></xml>`
)

func TestParseMessage(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Message
	}{
		{"transfer_fail sample", transferFailXML, &Message{
			ToUserName: "toUser", FromUserName: "sys", CreateTime: 1403610513, MsgType: "event",
			Event: "change_external_contact", ChangeType: "transfer_fail", FailReason: "customer_refused",
			UserID: "zhangsan", ExternalUserID: "woAJ2GCAAAXtWyujaWJHDDGi0mAAAA"}},
		{"change_external_chat sample keeps all items", chatUpdateXML, &Message{
			ToUserName: "ww55ca070cb9b7eb22", FromUserName: "sys", CreateTime: 1403610513, MsgType: "event",
			Event: "change_external_chat", ChatID: "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ", ChangeType: "update",
			UpdateDetail: "add_member", JoinScene: 1, MemChangeCnt: 10, MemChangeList: []string{"Jack", "Rose"},
			LastMemVer: "9c3f97c2ada667dfb5f6d03308d963e1", CurMemVer: "71217227bbd112ecfe3a49c482195cb4"}},
		{"tag shuffle with strategy, unknown fields ignored",
			`<xml><CreateTime>1</CreateTime><Event><![CDATA[change_external_tag]]></Event><ChangeType>shuffle</ChangeType><Id><![CDATA[etXX]]></Id><StrategyId>7</StrategyId><Unknown><Deep>1</Deep></Unknown></xml>`,
			&Message{CreateTime: 1, Event: "change_external_tag", ChangeType: "shuffle", ID: "etXX", StrategyID: 7}},
		{"update_user, absent ints stay zero",
			`<xml><Event>change_contact</Event><ChangeType>update_user</ChangeType><UserID>a</UserID><NewUserID>b</NewUserID><Department><![CDATA[1,2]]></Department><IsLeaderInDept>1,0</IsLeaderInDept></xml>`,
			&Message{Event: "change_contact", ChangeType: "update_user", UserID: "a", NewUserID: "b",
				Department: "1,2", IsLeaderInDept: "1,0"}},
		{"empty ints and spaces", `<xml><CreateTime> 5 </CreateTime><JoinScene></JoinScene></xml>`,
			&Message{CreateTime: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMessage([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseMessageErrors(t *testing.T) {
	for _, in := range []string{"", "not xml", "<xml><CreateTime>abc</CreateTime></xml>",
		"<xml><JoinScene>99999999999999999999</JoinScene></xml>", "<xml><UserID>a</xml>"} {
		t.Run(in, func(t *testing.T) {
			got, err := ParseMessage([]byte(in))
			requireCode(t, err, ErrParseXML)
			assert.Nil(t, got)
		})
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"transfer_fail", transferFailXML},
		{"chat update", chatUpdateXML},
		{"official post sample", samplePostPlain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMessage([]byte(tt.in))
			require.NoError(t, err)
			again, err := ParseMessage(m.Marshal())
			require.NoError(t, err)
			assert.Equal(t, m, again)
		})
	}
	t.Run("strings are written as CDATA", func(t *testing.T) {
		m, _ := ParseMessage([]byte(transferFailXML))
		assert.Contains(t, string(m.Marshal()), "<FailReason><![CDATA[customer_refused]]></FailReason>")
	})
	t.Run("chat update keeps zero scene fields and plain items", func(t *testing.T) {
		m, _ := ParseMessage([]byte(chatUpdateXML))
		out := string(m.Marshal())
		assert.Contains(t, out, "<QuitScene>0</QuitScene>")
		assert.Contains(t, out, "<MemChangeList><Item>Jack</Item><Item>Rose</Item></MemChangeList>")
	})
	t.Run("empty optional fields omitted", func(t *testing.T) {
		m := &Message{ToUserName: "ww1", FromUserName: "sys", CreateTime: 9, MsgType: "event",
			Event: "change_external_contact", ChangeType: "del_follow_user", UserID: "u", ExternalUserID: "e"}
		assert.Equal(t, "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"+
			"<CreateTime>9</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>"+
			"<ChangeType><![CDATA[del_follow_user]]></ChangeType><UserID><![CDATA[u]]></UserID>"+
			"<ExternalUserID><![CDATA[e]]></ExternalUserID></xml>", string(m.Marshal()))
	})
	t.Run("hostile strings", func(t *testing.T) {
		m := &Message{UserID: "a]]>b", Name: "<&>\r\n", MemChangeList: []string{"]]>", "", "x\ry"}, LastMemVer: "\t<"}
		again, err := ParseMessage(m.Marshal())
		require.NoError(t, err)
		assert.Equal(t, m, again)
	})
}

func TestKey(t *testing.T) {
	base := func() *Message {
		m, _ := ParseMessage([]byte(chatUpdateXML))
		return m
	}
	k := base().Key()
	assert.True(t, strings.HasPrefix(k, "change_external_chat|update|||wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ||add_member|||"), k)
	assert.True(t, strings.HasSuffix(k, "|1403610513"), k)

	tests := []struct {
		name   string
		mutate func(m *Message)
	}{
		{"other member list", func(m *Message) { m.MemChangeList = []string{"Jack"} }},
		{"item boundary", func(m *Message) { m.MemChangeList = []string{"JackRose"} }},
		{"other detail", func(m *Message) { m.UpdateDetail = "del_member" }},
		{"other time", func(m *Message) { m.CreateTime++ }},
		{"other chat", func(m *Message) { m.ChatID = "wrOther" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.mutate(m)
			assert.NotEqual(t, k, m.Key())
		})
	}
	t.Run("same event, same key; FromUserName does not matter", func(t *testing.T) {
		m := base()
		m.FromUserName = "other"
		assert.Equal(t, k, m.Key())
	})
	t.Run("two customers of one transfer differ", func(t *testing.T) {
		a, _ := ParseMessage([]byte(transferFailXML))
		b, _ := ParseMessage([]byte(transferFailXML))
		b.ExternalUserID = "wmOther"
		assert.NotEqual(t, a.Key(), b.Key())
	})
	t.Run("MsgId wins", func(t *testing.T) {
		assert.Equal(t, "123", (&Message{MsgID: "123", Event: "x"}).Key())
	})
}
