// Package callback implements WeCom (企业微信) callback security and event
// parsing: the msg_signature check, AES-256-CBC message encryption described
// in 企业微信 "加解密方案说明", the encrypted envelope posted to callback URLs,
// and the decrypted event XML. It depends on the standard library only.
package callback

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Error codes returned by WeCom's official callback library (WXBizMsgCrypt).
const (
	ErrSignature = -40001 // ErrSignature: msg_signature does not match.
	ErrParseXML  = -40002 // ErrParseXML: the XML body cannot be parsed.
	ErrAESKey    = -40004 // ErrAESKey: the EncodingAESKey is invalid.
	ErrReceiveID = -40005 // ErrReceiveID: the decrypted receiveid is not ours.
	ErrDecrypt   = -40007 // ErrDecrypt: AES decryption or plaintext framing failed.
	ErrBase64    = -40010 // ErrBase64: the ciphertext is not valid base64.
)

// Error is a callback failure carrying one of the official library codes.
type Error struct {
	Code int
	Msg  string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("wecom callback %d: %s", e.Code, e.Msg)
}

// Is reports whether target is an *Error with the same Code, so callers can
// write errors.Is(err, &callback.Error{Code: callback.ErrSignature}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func newErr(code int, msg string) *Error { return &Error{Code: code, Msg: msg} }

// Crypto signs, encrypts and decrypts callbacks for one app configuration.
// It is safe for concurrent use.
type Crypto struct {
	token     string
	key       []byte // 32-byte AES key
	receiveID string
	block     cipher.Block
}

// New builds a Crypto from the callback settings of the WeCom admin console.
// encodingAESKey must be the 43-character EncodingAESKey; receiveID is the
// CorpID for self-built apps (the suite id for third-party apps); an empty
// receiveID disables the receiveid check, as in the official library.
func New(token, encodingAESKey, receiveID string) (*Crypto, error) {
	if len(encodingAESKey) != 43 {
		return nil, newErr(ErrAESKey, "EncodingAESKey must be 43 characters")
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, newErr(ErrAESKey, "EncodingAESKey is not valid base64")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, newErr(ErrAESKey, err.Error())
	}
	return &Crypto{token: token, key: key, receiveID: receiveID, block: block}, nil
}

// Signature returns hex(sha1(concat(sort([token, timestamp, nonce, data])))),
// the msg_signature WeCom sends with every callback.
func (c *Crypto) Signature(timestamp, nonce, data string) string {
	parts := []string{c.token, timestamp, nonce, data}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// verify compares msgSignature with the expected one in constant time.
func (c *Crypto) verify(msgSignature, timestamp, nonce, data string) error {
	want := c.Signature(timestamp, nonce, data)
	got := strings.ToLower(msgSignature)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return newErr(ErrSignature, "msg_signature mismatch")
	}
	return nil
}

// blockPad is the PKCS#7 block size WeCom uses (32, not the AES block size).
const blockPad = 32

// Encrypt encrypts msg as random(16) ‖ uint32BE(len) ‖ msg ‖ receiveID,
// PKCS#7-padded to 32 bytes, AES-256-CBC with IV = key[:16], standard base64.
func (c *Crypto) Encrypt(msg []byte) (string, error) {
	n := 20 + len(msg) + len(c.receiveID)
	pad := blockPad - n%blockPad
	plain := make([]byte, n+pad)
	_, _ = rand.Read(plain[:16]) // crypto/rand.Read never fails since Go 1.24
	binary.BigEndian.PutUint32(plain[16:20], uint32(len(msg)))
	copy(plain[20:], msg)
	copy(plain[20+len(msg):], c.receiveID)
	copy(plain[n:], bytes.Repeat([]byte{byte(pad)}, pad))
	cipher.NewCBCEncrypter(c.block, c.key[:16]).CryptBlocks(plain, plain)
	return base64.StdEncoding.EncodeToString(plain), nil
}

// Decrypt reverses Encrypt and returns the message and the receiveid found
// in the plaintext. It rejects bad base64, partial blocks, bad padding and a
// length prefix pointing past the plaintext with an *Error; it never panics.
func (c *Crypto) Decrypt(b64 string) (msg []byte, receiveID string, err error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, "", newErr(ErrBase64, "ciphertext is not valid base64")
	}
	if len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, "", newErr(ErrDecrypt, "ciphertext is not a whole number of blocks")
	}
	plain := raw // decrypted in place: raw is ours
	cipher.NewCBCDecrypter(c.block, c.key[:16]).CryptBlocks(plain, raw)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > blockPad || pad > len(plain) {
		return nil, "", newErr(ErrDecrypt, "bad padding")
	}
	for _, b := range plain[len(plain)-pad:] {
		if int(b) != pad {
			return nil, "", newErr(ErrDecrypt, "bad padding")
		}
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, "", newErr(ErrDecrypt, "plaintext too short")
	}
	size := uint64(binary.BigEndian.Uint32(plain[16:20]))
	if size > uint64(len(plain)-20) {
		return nil, "", newErr(ErrDecrypt, "message length exceeds plaintext")
	}
	end := 20 + int(size)
	msg = bytes.Clone(plain[20:end]) // non-nil even when empty
	return msg, string(plain[end:]), nil
}

// open decrypts data and checks the receiveid when one is configured.
func (c *Crypto) open(data string) ([]byte, error) {
	msg, rid, err := c.Decrypt(data)
	if err != nil {
		return nil, err
	}
	if c.receiveID != "" && subtle.ConstantTimeCompare([]byte(rid), []byte(c.receiveID)) != 1 {
		return nil, newErr(ErrReceiveID, "receiveid mismatch")
	}
	return msg, nil
}

// VerifyURL handles the GET verification of a callback URL (回调配置 "验证URL有效性"):
// it checks msg_signature over echostr, decrypts it and checks the receiveid.
// The returned plaintext must be written back raw, within 1 s.
func (c *Crypto) VerifyURL(msgSignature, timestamp, nonce, echostr string) ([]byte, error) {
	if err := c.verify(msgSignature, timestamp, nonce, echostr); err != nil {
		return nil, err
	}
	return c.open(echostr)
}
