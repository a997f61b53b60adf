package callback

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// flatSeeds are documents on both sides of the flat reader's line.
var flatSeeds = []string{
	transferFailXML, chatUpdateXML, samplePostPlain, samplePostBody, "<xml/>", "", "<xml></xml>",
	"<xml><ToUserName><![CDATA[ww1]]></ToUserName><CreateTime>1700000000</CreateTime><Name><![CDATA[张三]]></Name></xml>\n",
	"<xml>\n\t<Event>change_external_contact</Event>\n<JoinScene> 3 </JoinScene><QuitScene></QuitScene></xml>",
	"<xml><CreateTime>12a</CreateTime></xml>",
	"<xml><Name>a &amp; b</Name></xml>",
	"<xml><Name><![CDATA[a\r\nb]]></Name></xml>",
	"<xml><Name><![CDATA[x]]]]><![CDATA[>y]]></Name></xml>",
	"<xml><Name>a</Name><Name>b</Name></xml>",
	"<xml><Unknown>1</Unknown><MsgId>7</MsgId></xml>trailing",
	"<root><Event>x</Event></root>",
	"<xml><Event a=\"1\">x</Event></xml>",
	"<xml><Event>x</Eventy></xml>",
	"<?xml version=\"1.0\"?><xml><Event>x</Event></xml>",
	"<xml><MemChangeList><Item>a</Item></MemChangeList></xml>",
	"<xml><Encrypt><![CDATA[AAAA]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>",
}

// TestFlatAgreesWithXML: on every seed, the flat reader either declines or reads what encoding/xml
// reads, for events and for envelopes, and the WeCom shapes it exists for are read flat.
func TestFlatAgreesWithXML(t *testing.T) {
	for _, s := range flatSeeds {
		checkFlat(t, []byte(s))
	}
	var m Message
	assert.True(t, flatMessage([]byte(samplePostPlain), &m), "the official sample event is flat")
	_, ok := flatEnvelope([]byte(samplePostBody))
	assert.True(t, ok, "the official sample envelope is flat")
	c := sampleCrypto(t)
	body, _, err := c.Seal([]byte(transferFailXML), "1", "2")
	require.NoError(t, err)
	_, ok = flatEnvelope(body)
	assert.True(t, ok, "a sealed envelope is flat")
	assert.False(t, flatMessage([]byte(chatUpdateXML), &Message{}), "MemChangeList goes to encoding/xml")
}

// FuzzFlatAgreesWithXML: whatever the flat reader accepts, encoding/xml accepts with the same values.
func FuzzFlatAgreesWithXML(f *testing.F) {
	for _, s := range flatSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkFlat(t, data) })
}

func checkFlat(t *testing.T, data []byte) {
	var fast Message
	if flatMessage(data, &fast) {
		var slow Message
		require.NoError(t, xml.Unmarshal(data, &slow), "%q", data)
		assert.Equal(t, slow, fast, "%q", data)
	}
	if env, ok := flatEnvelope(data); ok {
		var slow envelope
		require.NoError(t, xml.Unmarshal(data, &slow), "%q", data)
		slow.XMLName = xml.Name{}
		assert.Equal(t, slow, env, "%q", data)
	}
}
