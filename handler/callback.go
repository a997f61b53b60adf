package handler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/guidebox/guidebox/service/graph"
	"github.com/guidebox/guidebox/wecom/callback"
)

// CallbackHandler receives WeCom's event callbacks at /wecom/callback.
// It answers 200 only once the event is durable in the inbox; forged or malformed
// requests get a 4xx and store nothing; a database outage gets a 503 so WeCom retries.
type CallbackHandler struct {
	crypto  *callback.Crypto
	intake  *graph.Intake
	maxSkew time.Duration
	maxBody int64
	metrics *Metrics
	log     *slog.Logger
	now     func() time.Time
}

// NewCallbackHandler builds the callback endpoint; maxSkew 0 turns the timestamp check off.
func NewCallbackHandler(crypto *callback.Crypto, intake *graph.Intake, maxSkew time.Duration, maxBody int64, m *Metrics, log *slog.Logger) *CallbackHandler {
	return &CallbackHandler{crypto: crypto, intake: intake, maxSkew: maxSkew, maxBody: maxBody, metrics: m, log: log, now: time.Now}
}

// Verify answers WeCom's URL verification with the decrypted echostr, raw.
func (h *CallbackHandler) Verify(c *gin.Context) {
	q := c.Request.URL.Query()
	plain, err := h.crypto.VerifyURL(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), q.Get("echostr"))
	if err != nil {
		h.reject(c, reasonOf(err), err)
		return
	}
	c.Data(http.StatusOK, "text/plain; charset=utf-8", plain)
}

// Receive stores one event and acknowledges it with an empty 200.
func (h *CallbackHandler) Receive(c *gin.Context) {
	h.metrics.received.Inc()
	q := c.Request.URL.Query()
	if reason, err := h.checkTimestamp(q.Get("timestamp")); err != nil {
		h.reject(c, reason, err)
		return
	}
	// The body goes back to a pool once opened: Open copies out what it keeps.
	body := bodies.Get().(*bytes.Buffer)
	defer putBody(body)
	body.Reset()
	if _, err := body.ReadFrom(http.MaxBytesReader(c.Writer, c.Request.Body, h.maxBody)); err != nil {
		h.reject(c, "too_large", err)
		return
	}
	plain, err := h.crypto.Open(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), body.Bytes())
	if err != nil {
		h.reject(c, reasonOf(err), err)
		return
	}
	msg, err := callback.ParseMessage(plain)
	if err != nil {
		h.reject(c, "malformed", err)
		return
	}
	item := graph.InboxItem{Key: msg.Key(), Event: msg.Event, ChangeType: msg.ChangeType, EventTime: time.Unix(msg.CreateTime, 0), Raw: plain,
		UserID: msg.UserID, ExternalUserID: msg.ExternalUserID}
	if item.Event == "" {
		item.Event = msg.MsgType
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 4*time.Second) // WeCom gives up after 5 s
	defer cancel()
	if err := h.intake.Accept(ctx, item); err != nil {
		h.metrics.rejected.WithLabelValues("unavailable").Inc()
		h.log.ErrorContext(c.Request.Context(), "callback not stored", "err", err)
		c.AbortWithStatus(http.StatusServiceUnavailable)
		return
	}
	h.metrics.acked.Inc()
	c.Status(http.StatusOK) // empty body: WeCom's documented acknowledgement
}

// bodies are the callback bodies' buffers, reused: a callback is about 700 bytes, and io.ReadAll
// grew a new one for each (2.4 KB a callback).
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putBody keeps a buffer for the next callback unless an oversized (refused) body grew it.
func putBody(b *bytes.Buffer) {
	if b.Cap() <= 64<<10 {
		bodies.Put(b)
	}
}

func (h *CallbackHandler) checkTimestamp(ts string) (string, error) {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "malformed", errors.New("timestamp is not a number")
	}
	if h.maxSkew <= 0 {
		return "", nil
	}
	if d := h.now().Sub(time.Unix(sec, 0)); d > h.maxSkew || d < -h.maxSkew {
		return "stale", errors.New("timestamp outside wecom.callback_max_skew")
	}
	return "", nil
}

func (h *CallbackHandler) reject(c *gin.Context, reason string, err error) {
	h.metrics.rejected.WithLabelValues(reason).Inc()
	h.log.InfoContext(c.Request.Context(), "callback rejected", "reason", reason, "err", err)
	status := http.StatusBadRequest
	if reason == "too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	c.AbortWithStatusJSON(status, errorBody{Code: "callback_" + reason, Message: "callback rejected: " + reason})
}

// reasonOf names a crypto failure for metrics.
func reasonOf(err error) string {
	var ce *callback.Error
	if errors.As(err, &ce) {
		switch ce.Code {
		case callback.ErrSignature:
			return "signature"
		case callback.ErrReceiveID:
			return "corp"
		case callback.ErrParseXML:
			return "malformed"
		}
		return "decrypt"
	}
	return "malformed"
}
