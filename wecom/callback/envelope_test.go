package callback

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSealOpenRoundTrip(t *testing.T) {
	c := sampleCrypto(t)
	msg := []byte(transferFailXML)
	body, sig, err := c.Seal(msg, "1700000000", "nonce1")
	require.NoError(t, err)

	var env envelope
	require.NoError(t, xml.Unmarshal(body, &env))
	assert.Equal(t, sampleReceiveID, env.ToUserName)
	assert.Empty(t, env.AgentID)
	assert.Equal(t, c.Signature("1700000000", "nonce1", env.Encrypt), sig)

	got, err := c.Open(sig, "1700000000", "nonce1", body)
	require.NoError(t, err)
	assert.Equal(t, msg, got)
}

func TestOpenErrors(t *testing.T) {
	c := sampleCrypto(t)
	otherCorp, err := New(sampleToken, sampleAESKey, "wwother")
	require.NoError(t, err)
	body, sig, err := c.Seal([]byte("<xml/>"), "1", "2")
	require.NoError(t, err)
	bad := "<xml><Encrypt><![CDATA[!!!]]></Encrypt></xml>"
	tests := []struct {
		name string
		c    *Crypto
		sig  string
		body string
		code int
	}{
		{"not xml", c, sig, "garbage", ErrParseXML},
		{"truncated xml", c, sig, string(body[:len(body)-5]), ErrParseXML},
		{"no Encrypt", c, sig, "<xml><ToUserName>x</ToUserName></xml>", ErrParseXML},
		{"empty body", c, sig, "", ErrParseXML},
		{"bad signature", c, samplePostSig, string(body), ErrSignature},
		{"body swapped", c, sig, samplePostBody, ErrSignature},
		{"bad base64", c, c.Signature("1", "2", "!!!"), bad, ErrBase64},
		{"receiveid mismatch", otherCorp, sig, string(body), ErrReceiveID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.Open(tt.sig, "1", "2", []byte(tt.body))
			requireCode(t, err, tt.code)
			assert.Nil(t, got)
		})
	}
}

func TestWriteCDATA(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"plain", "hello"},
		{"terminator", "a]]>b"},
		{"double terminator", "]]>]]>"},
		{"brackets", "]]]>>"},
		{"carriage return", "a\r\nb\rc"},
		{"markup", "<x>&amp;</x>"},
		{"chinese", "导购"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := new(bytes.Buffer)
			buf.WriteString("<a>")
			writeCDATA(buf, tt.in)
			buf.WriteString("</a>")
			b := buf.Bytes()
			var got struct {
				V string `xml:",chardata"`
			}
			require.NoError(t, xml.Unmarshal(b, &got), string(b))
			assert.Equal(t, tt.in, got.V, string(b))
		})
	}
	t.Run("invalid characters replaced", func(t *testing.T) {
		buf := new(bytes.Buffer)
		writeCDATA(buf, "a\x00b\xffc")
		assert.Equal(t, "<![CDATA[a\uFFFDb\uFFFDc]]>", buf.String())
	})
}
