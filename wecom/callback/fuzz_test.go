package callback

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzOpen proves Open never panics and only fails with an *Error.
func FuzzOpen(f *testing.F) {
	c := sampleCrypto(f)
	f.Add(samplePostSig, samplePostTS, samplePostNonce, []byte(samplePostBody))
	body, sig, err := c.Seal([]byte(chatUpdateXML), "1", "2")
	require.NoError(f, err)
	f.Add(sig, "1", "2", body)
	f.Add("", "", "", []byte("<xml><Encrypt>AAAA</Encrypt></xml>"))
	f.Fuzz(func(t *testing.T, sig, ts, nonce string, body []byte) {
		msg, err := c.Open(sig, ts, nonce, body)
		if err != nil {
			var e *Error
			assert.ErrorAs(t, err, &e)
			assert.Nil(t, msg)
		}
	})
}

// FuzzDecrypt feeds arbitrary text to Decrypt: it must fail with an *Error
// or return a message that round-trips through Encrypt.
func FuzzDecrypt(f *testing.F) {
	c := sampleCrypto(f)
	f.Add(samplePostEnc)
	f.Add(sampleEchoStr)
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAA==")
	f.Fuzz(func(t *testing.T, in string) {
		msg, _, err := c.Decrypt(in)
		if err != nil {
			var e *Error
			assert.ErrorAs(t, err, &e)
			return
		}
		enc, err := c.Encrypt(msg)
		require.NoError(t, err)
		msg2, _, err := c.Decrypt(enc)
		require.NoError(t, err)
		assert.Equal(t, msg, msg2)
	})
}

// FuzzDecryptPlaintext encrypts arbitrary plaintext frames, so the fuzzer
// reaches the padding and length checks behind the AES layer.
func FuzzDecryptPlaintext(f *testing.F) {
	c := sampleCrypto(f)
	f.Add(frame(3, "abc", 9, 9))
	f.Add(frame(5, "abc", 9, 9))
	f.Add(frame(0, "", 12, 0))
	f.Fuzz(func(t *testing.T, plain []byte) {
		if len(plain) == 0 || len(plain)%16 != 0 {
			return
		}
		_, _, err := c.Decrypt(encryptRaw(c, plain))
		if err != nil {
			var e *Error
			assert.ErrorAs(t, err, &e)
		}
	})
}

// FuzzParseMessage proves ParseMessage never panics and that whatever it
// accepts survives Marshal and a second parse unchanged.
func FuzzParseMessage(f *testing.F) {
	for _, s := range []string{transferFailXML, chatUpdateXML, samplePostPlain, "<xml/>", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage(data)
		if err != nil {
			var e *Error
			assert.ErrorAs(t, err, &e)
			return
		}
		out := m.Marshal()
		again, err := ParseMessage(out)
		require.NoError(t, err, string(out))
		assert.Equal(t, m, again, string(out))
		_ = m.Key()
	})
}

// BenchmarkOpen measures verifying and decrypting one change_external_chat event.
func BenchmarkOpen(b *testing.B) {
	c := sampleCrypto(b)
	body, sig, err := c.Seal([]byte(chatUpdateXML), "1700000000", "n")
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Open(sig, "1700000000", "n", body); err != nil {
			b.Fatal(err)
		}
	}
}
