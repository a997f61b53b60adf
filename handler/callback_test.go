package handler_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/handler"
	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/graphdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/callback"
)

const (
	corpID = "wwcallbacktest0001"
	token  = "cbtoken"
	aesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aQ"
)

type cbEnv struct {
	t      *testing.T
	db     *gorm.DB
	router http.Handler
	inbox  *graphdb.InboxStore
	wecom  *callback.Crypto // what WeCom signs with
}

func newCallbackEnv(t *testing.T) *cbEnv {
	db := repotest.New(t)
	inbox := graphdb.NewInboxStore(db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	crypto, err := callback.New(token, aesKey, corpID)
	require.NoError(t, err)
	intake := graph.NewIntake(inbox, 2, 64)
	t.Cleanup(intake.Close)
	m := handler.NewMetrics(inbox.Stats)
	r := handler.NewRouter(handler.Deps{Log: log, Metrics: m, Ready: func(ctx context.Context) error { return repo.Ping(ctx, db) },
		Callback: handler.NewCallbackHandler(crypto, intake, 10*time.Minute, 64<<10, m, log)})
	return &cbEnv{t: t, db: db, router: r, inbox: inbox, wecom: crypto}
}

func (e *cbEnv) post(query url.Values, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/wecom/callback?"+query.Encode(), bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/xml")
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	return w
}

// sealed is a callback exactly as WeCom posts it.
func (e *cbEnv) sealed(m *callback.Message, ts time.Time) (url.Values, []byte) {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	body, sig, err := e.wecom.Seal(m.Marshal(), stamp, "n0nce")
	require.NoError(e.t, err)
	return url.Values{"msg_signature": {sig}, "timestamp": {stamp}, "nonce": {"n0nce"}}, body
}

func (e *cbEnv) pending() int64 {
	st, err := e.inbox.Stats(context.Background())
	require.NoError(e.t, err)
	return st.Pending
}

func addEvent(ext string) *callback.Message {
	return &callback.Message{ToUserName: corpID, FromUserName: "sys", CreateTime: time.Now().Unix(), MsgType: "event",
		Event: "change_external_contact", ChangeType: "add_external_contact", UserID: "g1", ExternalUserID: ext, State: "s"}
}

func TestCallbackStoresThenAcks(t *testing.T) {
	e := newCallbackEnv(t)
	q, body := e.sealed(addEvent("wm1"), time.Now())
	w := e.post(q, body)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Empty(t, w.Body.String(), "WeCom's documented acknowledgement is an empty body")
	assert.Equal(t, int64(1), e.pending())
	w = e.post(q, body) // WeCom's retry of the same event
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, int64(1), e.pending(), "a retried callback is stored once")
	q2, body2 := e.sealed(addEvent("wm2"), time.Now()) // same second, another customer: not a duplicate
	assert.Equal(t, http.StatusOK, e.post(q2, body2).Code)
	assert.Equal(t, int64(2), e.pending())
}

func TestCallbackRejectsForgedAndMalformed(t *testing.T) {
	e := newCallbackEnv(t)
	q, body := e.sealed(addEvent("wm1"), time.Now())
	other, err := callback.New(token, aesKey, "wwanothercorp")
	require.NoError(t, err)
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	foreignBody, foreignSig, err := other.Seal(addEvent("wm1").Marshal(), stamp, "n")
	require.NoError(t, err)
	staleQ, staleBody := e.sealed(addEvent("wm1"), time.Now().Add(-time.Hour))
	tests := []struct {
		name   string
		query  url.Values
		body   []byte
		status int
		code   string
	}{
		{"bad signature", url.Values{"msg_signature": {"0000"}, "timestamp": q["timestamp"], "nonce": q["nonce"]}, body, 400, "callback_signature"},
		{"tampered body", q, bytes.Replace(body, []byte("<Encrypt><![CDATA["), []byte("<Encrypt><![CDATA[A"), 1), 400, "callback_signature"},
		{"another corp", url.Values{"msg_signature": {foreignSig}, "timestamp": {stamp}, "nonce": {"n"}}, foreignBody, 400, "callback_corp"},
		{"stale timestamp", staleQ, staleBody, 400, "callback_stale"},
		{"no timestamp", url.Values{"msg_signature": q["msg_signature"], "nonce": q["nonce"]}, body, 400, "callback_malformed"},
		{"not xml", q, []byte("hello"), 400, "callback_malformed"},
		{"empty body", q, nil, 400, "callback_malformed"},
		{"too large", q, bytes.Repeat([]byte("x"), 65<<10), 413, "callback_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.post(tt.query, tt.body)
			assert.Equal(t, tt.status, w.Code)
			assert.Contains(t, w.Body.String(), `"code":"`+tt.code+`"`)
		})
	}
	assert.Zero(t, e.pending(), "nothing forged or malformed is stored")
}

func TestCallbackAnswers503WhenTheDatabaseIsDown(t *testing.T) {
	e := newCallbackEnv(t)
	sqlDB, err := e.db.DB()
	require.NoError(t, err)
	require.NoError(t, sqlDB.Close())
	q, body := e.sealed(addEvent("wm1"), time.Now())
	w := e.post(q, body)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code, "WeCom retries a non-200")
	req := httptest.NewRequest(http.MethodGet, "/readyz", nil)
	rw := httptest.NewRecorder()
	e.router.ServeHTTP(rw, req)
	assert.Equal(t, http.StatusServiceUnavailable, rw.Code)
}

func TestCallbackURLVerification(t *testing.T) {
	e := newCallbackEnv(t)
	enc, err := e.wecom.Encrypt([]byte("echo-1616140317555161061"))
	require.NoError(t, err)
	sig := e.wecom.Signature("1409659589", "263014780", enc)
	q := url.Values{"msg_signature": {sig}, "timestamp": {"1409659589"}, "nonce": {"263014780"}, "echostr": {enc}}
	req := httptest.NewRequest(http.MethodGet, "/wecom/callback?"+q.Encode(), nil)
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "echo-1616140317555161061", w.Body.String(), "the plaintext, raw")
	q.Set("msg_signature", strings.Repeat("0", 40))
	req = httptest.NewRequest(http.MethodGet, "/wecom/callback?"+q.Encode(), nil)
	w = httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	assert.Equal(t, http.StatusBadRequest, w.Code)
}

func TestMetricsCountCallbacks(t *testing.T) {
	e := newCallbackEnv(t)
	q, body := e.sealed(addEvent("wm1"), time.Now())
	e.post(q, body)
	e.post(url.Values{"timestamp": q["timestamp"]}, body)
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	w := httptest.NewRecorder()
	e.router.ServeHTTP(w, req)
	out := w.Body.String()
	assert.Contains(t, out, "guidebox_callbacks_received_total 2")
	assert.Contains(t, out, "guidebox_callbacks_acked_total 1")
	assert.Contains(t, out, `guidebox_callbacks_rejected_total{reason="signature"} 1`)
	assert.Contains(t, out, "guidebox_inbox_pending 1")
}
