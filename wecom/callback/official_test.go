package callback

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values from WeCom's official callback sample code (WXBizMsgCrypt Sample.cs,
// Sample.java, ...) and the "加解密方案说明" page.
const (
	sampleToken     = "QDG6eK"
	sampleAESKey    = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	sampleReceiveID = "wx5823bf96d3bd56c7"

	sampleVerifySig   = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
	sampleVerifyTS    = "1409659589"
	sampleVerifyNonce = "263014780"
	sampleEchoStr     = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="

	samplePostSig   = "477715d11cdb4164915debcba66cb864d751f3e6"
	samplePostTS    = "1409659813"
	samplePostNonce = "1372623149"
	samplePostEnc   = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
	samplePostBody  = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + samplePostEnc + "]]></Encrypt></xml>"
)

func sampleCrypto(t testing.TB) *Crypto {
	t.Helper()
	c, err := New(sampleToken, sampleAESKey, sampleReceiveID)
	require.NoError(t, err)
	return c
}

// samplePostPlain is what samplePostEnc decrypts to (matches the plaintext
// shown on the "加解密方案说明" page).
const samplePostPlain = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n" +
	"<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n" +
	"<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n" +
	"<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>"

func TestOfficialSamples(t *testing.T) {
	c := sampleCrypto(t)

	t.Run("url verification", func(t *testing.T) {
		assert.Equal(t, sampleVerifySig, c.Signature(sampleVerifyTS, sampleVerifyNonce, sampleEchoStr))
		got, err := c.VerifyURL(sampleVerifySig, sampleVerifyTS, sampleVerifyNonce, sampleEchoStr)
		require.NoError(t, err)
		assert.Equal(t, "1616140317555161061", string(got))
	})

	t.Run("event post", func(t *testing.T) {
		assert.Equal(t, samplePostSig, c.Signature(samplePostTS, samplePostNonce, samplePostEnc))
		got, err := c.Open(samplePostSig, samplePostTS, samplePostNonce, []byte(samplePostBody))
		require.NoError(t, err)
		assert.Equal(t, samplePostPlain, string(got))

		m, err := ParseMessage(got)
		require.NoError(t, err)
		assert.Equal(t, &Message{ToUserName: "wx5823bf96d3bd56c7", FromUserName: "mycreate",
			CreateTime: 1409659813, MsgType: "text", Content: "hello",
			MsgID: "4561255354251345929", AgentID: "218"}, m)
		assert.Equal(t, "4561255354251345929", m.Key())
	})

	t.Run("decrypt returns receiveid", func(t *testing.T) {
		_, rid, err := c.Decrypt(samplePostEnc)
		require.NoError(t, err)
		assert.Equal(t, sampleReceiveID, rid)
	})
}
