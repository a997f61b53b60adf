package sim

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values from WeCom's official callback samples (WXBizMsgCrypt Sample.*,
// "加解密方案说明"), to validate the independent checker below.
const (
	wxToken     = "QDG6eK"
	wxAESKey    = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	wxReceiveID = "wx5823bf96d3bd56c7"
	wxSig       = "477715d11cdb4164915debcba66cb864d751f3e6"
	wxTS        = "1409659813"
	wxNonce     = "1372623149"
	wxEnc       = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q=="
)

// wxSign is WeCom's msg_signature written from the doc, independently of
// package callback: sha1 over the sorted, concatenated strings.
func wxSign(parts ...string) string {
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// wxDecrypt is WeCom's decryption written from the doc: AES-256-CBC with
// IV = key[:16], PKCS#7 to 32 bytes, random(16)|len(4)|msg|receiveid.
func wxDecrypt(t *testing.T, aesKey, enc string) (msg, receiveID string) {
	key, err := base64.StdEncoding.DecodeString(aesKey + "=")
	require.NoError(t, err)
	ct, err := base64.StdEncoding.DecodeString(enc)
	require.NoError(t, err)
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	require.Zero(t, len(ct)%aes.BlockSize)
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	require.True(t, pad >= 1 && pad <= 32, "PKCS#7 pad to 32")
	pt = pt[:len(pt)-pad]
	n := binary.BigEndian.Uint32(pt[16:20])
	return string(pt[20 : 20+n]), string(pt[20+n:])
}

func TestIndependentCheckerMatchesOfficialSample(t *testing.T) {
	assert.Equal(t, wxSig, wxSign(wxToken, wxTS, wxNonce, wxEnc))
	msg, rid := wxDecrypt(t, wxAESKey, wxEnc)
	assert.Equal(t, wxReceiveID, rid)
	assert.Contains(t, msg, "<Content><![CDATA[hello]]></Content>")
}

// TestPushPassesIndependentCheck pushes an event with the official sample's
// token, key and corp id and checks the wire format with the checker above.
func TestPushPassesIndependentCheck(t *testing.T) {
	var body []byte
	var query url.Values
	var ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		query, ctype = r.URL.Query(), r.Header.Get("Content-Type")
	}))
	defer srv.Close()
	s, err := New(Config{CorpID: wxReceiveID, Token: wxToken, AESKey: wxAESKey, CallbackURL: srv.URL,
		Clock: NewManualClock(t0)})
	require.NoError(t, err)
	s.AddUser(User{UserID: "zhangsan", Name: "张三"})
	require.NoError(t, s.Flush(t.Context()))

	var env struct {
		ToUserName string `xml:"ToUserName"`
		Encrypt    string `xml:"Encrypt"`
	}
	require.NoError(t, xml.Unmarshal(body, &env))
	assert.Equal(t, "text/xml", ctype)
	assert.Equal(t, wxReceiveID, env.ToUserName)
	assert.Equal(t, wxSign(wxToken, query.Get("timestamp"), query.Get("nonce"), env.Encrypt), query.Get("msg_signature"))
	assert.Equal(t, "1740823200", query.Get("timestamp"), "the sim clock")
	msg, rid := wxDecrypt(t, wxAESKey, env.Encrypt)
	assert.Equal(t, wxReceiveID, rid, "receiveid is the corp id")
	assert.Contains(t, msg, "<ChangeType><![CDATA[create_user]]></ChangeType>")
	assert.Contains(t, msg, "<UserID><![CDATA[zhangsan]]></UserID>")
}
