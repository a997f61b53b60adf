package main

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// intakeBaseline is BenchmarkIntakeAtLimit's yardstick: the least a callback endpoint can do and keep
// serve's guarantees, written with the standard library and database/sql only (no gin, no gorm, no
// logging, no metrics). Per POST: parse the envelope, check msg_signature, AES-256-CBC decrypt, check
// the receiveid, parse the event, then hand the row to a group commit (8 writers, up to 256 rows in
// one multi-row INSERT … ON DUPLICATE KEY into the same inbox_events table) and answer 200 only once
// that INSERT has committed. Anything forged or malformed gets a 400 and stores nothing.
type intakeBaseline struct {
	token, receiveID string
	key              []byte
	block            cipher.Block
	queue            chan baselineItem
	db               *sql.DB
	stop             chan struct{}
	done             chan struct{}
}

type baselineItem struct {
	key, event, change, userID, extID string
	at                                time.Time
	raw                               []byte
	done                              chan error
}

func newIntakeBaseline(db *sql.DB, token, encodingAESKey, receiveID string) (*intakeBaseline, error) {
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	const writers, maxRows = 8, 256
	b := &intakeBaseline{token: token, receiveID: receiveID, key: key, block: block, db: db,
		queue: make(chan baselineItem, writers*maxRows), stop: make(chan struct{}), done: make(chan struct{})}
	finished := make(chan struct{}, writers)
	for range writers {
		go func() { b.writer(maxRows); finished <- struct{}{} }()
	}
	go func() {
		for range writers {
			<-finished
		}
		close(b.done)
	}()
	return b, nil
}

func (b *intakeBaseline) close() { close(b.stop); <-b.done }

func (b *intakeBaseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/wecom/callback" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	plain, err := b.open(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var m struct {
		CreateTime                                                int64
		MsgType, Event, ChangeType, UserID, ExternalUserID, State string
	}
	if err := xml.Unmarshal(plain, &m); err != nil {
		http.Error(w, "malformed", http.StatusBadRequest)
		return
	}
	// The same event key as serve's (callback.Message.Key) for the fields this event carries.
	key := strings.Join([]string{m.Event, m.ChangeType, m.UserID, m.ExternalUserID, "", "", "", "", "", "", strconv.FormatInt(m.CreateTime, 10)}, "|")
	it := baselineItem{key: key, event: m.Event, change: m.ChangeType, userID: m.UserID, extID: m.ExternalUserID,
		at: time.Unix(m.CreateTime, 0).UTC(), raw: plain, done: make(chan error, 1)}
	ctx, cancel := context.WithTimeout(r.Context(), 4*time.Second)
	defer cancel()
	select {
	case b.queue <- it:
	case <-ctx.Done():
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	select {
	case err = <-it.done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

var errBaselineForged = errors.New("forged or malformed callback")

// open is WeCom's documented check and decryption: sha1 over the sorted token, timestamp, nonce and
// ciphertext; AES-256-CBC with IV = key[:16]; random(16) ‖ len ‖ msg ‖ receiveid, PKCS#7 to 32.
func (b *intakeBaseline) open(sig, ts, nonce string, body []byte) ([]byte, error) {
	var env struct {
		Encrypt string
	}
	if err := xml.Unmarshal(body, &env); err != nil || env.Encrypt == "" {
		return nil, errBaselineForged
	}
	parts := []string{b.token, ts, nonce, env.Encrypt}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(sig)), []byte(hex.EncodeToString(sum[:]))) != 1 {
		return nil, errBaselineForged
	}
	raw, err := base64.StdEncoding.DecodeString(env.Encrypt)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, errBaselineForged
	}
	cipher.NewCBCDecrypter(b.block, b.key[:16]).CryptBlocks(raw, raw)
	pad := int(raw[len(raw)-1])
	if pad < 1 || pad > 32 || pad > len(raw) {
		return nil, errBaselineForged
	}
	raw = raw[:len(raw)-pad]
	if len(raw) < 20 {
		return nil, errBaselineForged
	}
	size := int(binary.BigEndian.Uint32(raw[16:20]))
	if size > len(raw)-20 || subtle.ConstantTimeCompare(raw[20+size:], []byte(b.receiveID)) != 1 {
		return nil, errBaselineForged
	}
	return raw[20 : 20+size], nil
}

// writer is one group-commit writer: it takes what is queued (up to maxRows), inserts it in one
// statement (autocommit: durable when it returns, innodb_flush_log_at_trx_commit=1) and answers
// every caller.
func (b *intakeBaseline) writer(maxRows int) {
	batch := make([]baselineItem, 0, maxRows)
	var sb bytes.Buffer
	for {
		select {
		case it := <-b.queue:
			batch = append(batch[:0], it)
		case <-b.stop:
			return
		}
	more:
		for len(batch) < maxRows {
			select {
			case it := <-b.queue:
				batch = append(batch, it)
			default:
				break more
			}
		}
		sort.Slice(batch, func(i, j int) bool { return batch[i].key < batch[j].key })
		sb.Reset()
		sb.WriteString("INSERT INTO inbox_events (event_key,event,change_type,event_time,raw,status,next_at,received_at,userid,external_userid) VALUES ")
		args := make([]any, 0, len(batch)*10)
		now := time.Now().UTC()
		for i, it := range batch {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString("(?,?,?,?,?,?,?,?,?,?)")
			args = append(args, it.key, it.event, it.change, it.at, it.raw, "pending", now, now, it.userID, it.extID)
		}
		sb.WriteString(" ON DUPLICATE KEY UPDATE id=id")
		_, err := b.db.Exec(sb.String(), args...)
		for _, it := range batch {
			it.done <- err
		}
	}
}
