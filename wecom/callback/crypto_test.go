package callback

import (
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encryptRaw CBC-encrypts plain (a multiple of 16 bytes) with c's key, so tests
// can build ciphertexts whose plaintext framing is broken on purpose.
func encryptRaw(c *Crypto, plain []byte) string {
	out := make([]byte, len(plain))
	cipher.NewCBCEncrypter(c.block, c.key[:16]).CryptBlocks(out, plain)
	return base64.StdEncoding.EncodeToString(out)
}

// frame builds random16 ‖ uint32BE(size) ‖ body, padded with pad bytes of value padByte.
func frame(size uint32, body string, padLen int, padByte byte) []byte {
	p := make([]byte, 20, 20+len(body)+padLen)
	binary.BigEndian.PutUint32(p[16:20], size)
	p = append(p, body...)
	for range padLen {
		p = append(p, padByte)
	}
	return p
}

func requireCode(t *testing.T, err error, code int) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, code, e.Code, e.Error())
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		key     string
		wantErr bool
	}{
		{"official key", sampleAESKey, false},
		{"too short", sampleAESKey[:42], true},
		{"too long", sampleAESKey + "A", true},
		{"not base64", strings.Repeat("!", 43), true},
		{"empty", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(sampleToken, tt.key, sampleReceiveID)
			if tt.wantErr {
				requireCode(t, err, ErrAESKey)
				assert.Nil(t, c)
				return
			}
			require.NoError(t, err)
			assert.Len(t, c.key, 32)
		})
	}
}

func TestEncryptDecryptRoundTrip(t *testing.T) {
	c := sampleCrypto(t)
	for _, n := range []int{0, 1, 11, 12, 13, 31, 32, 33, 100, 4096} {
		msg := []byte(strings.Repeat("消", n/3) + strings.Repeat("x", n%3))
		enc, err := c.Encrypt(msg)
		require.NoError(t, err)
		raw, err := base64.StdEncoding.DecodeString(enc)
		require.NoError(t, err)
		assert.Zero(t, len(raw)%32, "PKCS#7 pads to 32 bytes")

		got, rid, err := c.Decrypt(enc)
		require.NoError(t, err)
		assert.Equal(t, msg, got)
		assert.Equal(t, sampleReceiveID, rid)
	}
	a, _ := c.Encrypt([]byte("same"))
	b, _ := c.Encrypt([]byte("same"))
	assert.NotEqual(t, a, b, "random prefix makes ciphertexts differ")
}

func TestDecryptErrors(t *testing.T) {
	c := sampleCrypto(t)
	tests := []struct {
		name string
		in   string
		code int
	}{
		{"empty", "", ErrDecrypt},
		{"bad base64", "not*base64", ErrBase64},
		{"unpadded base64", strings.TrimRight(samplePostEnc, "="), ErrBase64},
		{"partial block", base64.StdEncoding.EncodeToString(make([]byte, 20)), ErrDecrypt},
		{"pad zero", encryptRaw(c, frame(0, "", 12, 0)), ErrDecrypt},
		{"pad too large", encryptRaw(c, frame(0, "", 12, 33)), ErrDecrypt},
		{"pad bytes differ", encryptRaw(c, append(frame(0, "", 10, 7), 3, 12)), ErrDecrypt},
		{"too short after unpad", encryptRaw(c, frame(0, "", 12, 16)), ErrDecrypt},
		{"length overflow", encryptRaw(c, frame(5, "abc", 9, 9)), ErrDecrypt},
		{"length huge", encryptRaw(c, frame(0xFFFFFFFF, "abc", 9, 9)), ErrDecrypt},
		{"wrong key", encryptWithOtherKey(t), ErrDecrypt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, rid, err := c.Decrypt(tt.in)
			requireCode(t, err, tt.code)
			assert.Nil(t, msg)
			assert.Empty(t, rid)
		})
	}
}

// encryptWithOtherKey returns a ciphertext whose padding fails under the
// sample key. It tries random messages until one does, which is near-certain.
func encryptWithOtherKey(t *testing.T) string {
	other, err := New(sampleToken, strings.Repeat("A", 43), sampleReceiveID)
	require.NoError(t, err)
	c := sampleCrypto(t)
	for range 100 {
		enc, _ := other.Encrypt([]byte("hello"))
		if _, _, err := c.Decrypt(enc); err != nil {
			return enc
		}
	}
	t.Fatal("no failing ciphertext found")
	return ""
}

func TestDecryptExactFrame(t *testing.T) {
	c := sampleCrypto(t)
	// 20 header bytes + "abc" + 9 pad bytes = 32: the length is exact, receiveid empty.
	msg, rid, err := c.Decrypt(encryptRaw(c, frame(3, "abc", 9, 9)))
	require.NoError(t, err)
	assert.Equal(t, "abc", string(msg))
	assert.Empty(t, rid)
}

func TestVerifyURLErrors(t *testing.T) {
	c := sampleCrypto(t)
	otherCorp, err := New(sampleToken, sampleAESKey, "wwother")
	require.NoError(t, err)
	tests := []struct {
		name      string
		c         *Crypto
		sig, echo string
		code      int
	}{
		{"bad signature", c, strings.Repeat("0", 40), sampleEchoStr, ErrSignature},
		{"empty signature", c, "", sampleEchoStr, ErrSignature},
		{"receiveid mismatch", otherCorp, sampleVerifySig, sampleEchoStr, ErrReceiveID},
		{"bad base64", c, c.Signature(sampleVerifyTS, sampleVerifyNonce, "%%%"), "%%%", ErrBase64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.c.VerifyURL(tt.sig, sampleVerifyTS, sampleVerifyNonce, tt.echo)
			requireCode(t, err, tt.code)
			assert.Nil(t, got)
		})
	}
	t.Run("uppercase signature accepted", func(t *testing.T) {
		got, err := c.VerifyURL(strings.ToUpper(sampleVerifySig), sampleVerifyTS, sampleVerifyNonce, sampleEchoStr)
		require.NoError(t, err)
		assert.Equal(t, "1616140317555161061", string(got))
	})
	t.Run("empty receiveid skips the check", func(t *testing.T) {
		any, err := New(sampleToken, sampleAESKey, "")
		require.NoError(t, err)
		_, err = any.VerifyURL(sampleVerifySig, sampleVerifyTS, sampleVerifyNonce, sampleEchoStr)
		require.NoError(t, err)
	})
}

func TestErrorIs(t *testing.T) {
	err := error(&Error{Code: ErrSignature, Msg: "x"})
	assert.ErrorIs(t, err, &Error{Code: ErrSignature})
	assert.NotErrorIs(t, err, &Error{Code: ErrDecrypt})
	assert.False(t, errors.Is(err, errors.New("x")))
	assert.Equal(t, "wecom callback -40001: x", err.Error())
}
