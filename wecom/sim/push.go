package sim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/guidebox/guidebox/wecom/callback"
)

// Delivery records one callback push: the event, how many POSTs it took,
// and how the last one ended. OK is true when the receiver answered 200.
type Delivery struct {
	Message  *callback.Message
	Attempts int
	Status   int    // HTTP status of the last attempt; 0 if none answered
	Err      string // the last attempt's transport error, or why nothing was sent
	OK       bool
	At       time.Time // wall time the push finished
}

// pusher is the asynchronous, ordered callback queue. One worker goroutine
// runs while the queue is non-empty, so events go out in the order they
// happened.
type pusher struct {
	s       *Sim
	mu      sync.Mutex
	queue   []*callback.Message
	running bool
	paused  bool
	idle    chan struct{} // closed while no worker runs
	done    []Delivery
}

func newPusher(s *Sim) *pusher {
	idle := make(chan struct{})
	close(idle)
	return &pusher{s: s, idle: idle}
}

// enqueue appends events and starts the worker if needed.
func (p *pusher) enqueue(msgs []*callback.Message) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queue = append(p.queue, msgs...)
	p.startLocked()
}

func (p *pusher) startLocked() {
	if p.running || p.paused || len(p.queue) == 0 {
		return
	}
	p.running = true
	p.idle = make(chan struct{})
	go p.run()
}

// run delivers queued events one at a time until the queue is empty.
func (p *pusher) run() {
	for {
		p.mu.Lock()
		if len(p.queue) == 0 || p.paused {
			p.running = false
			close(p.idle)
			p.mu.Unlock()
			return
		}
		m := p.queue[0]
		p.queue = p.queue[1:]
		p.mu.Unlock()
		p.record(p.deliver(context.Background(), m))
	}
}

// record appends d to the bounded delivery log.
func (p *pusher) record(d Delivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = append(p.done, d)
	if over := len(p.done) - p.s.cfg.MaxDeliveries; over > 0 {
		p.done = append(p.done[:0:0], p.done[over:]...)
	}
}

// deliver POSTs one event like WeCom: encrypted and signed envelope,
// Content-Type text/xml, msg_signature/timestamp/nonce in the query, a
// PushTimeout per attempt, and PushRetries retries after a non-200 answer or
// a transport error, waiting n×PushBackoff before retry n.
func (p *pusher) deliver(ctx context.Context, m *callback.Message) Delivery {
	cfg := p.s.cfg
	d := Delivery{Message: m}
	if p.s.crypto == nil || cfg.CallbackURL == "" {
		d.Err, d.At = "sim: callback not configured (CallbackURL, Token, AESKey)", time.Now()
		return d
	}
	body := m.Marshal()
	for d.Attempts <= cfg.PushRetries {
		if d.Attempts > 0 && !sleepCtx(ctx, time.Duration(d.Attempts)*cfg.PushBackoff) {
			d.Err = ctx.Err().Error()
			break
		}
		d.Attempts++
		d.Status, d.Err = p.post(ctx, body)
		if d.Status == http.StatusOK {
			d.OK = true
			break
		}
	}
	d.At = time.Now()
	return d
}

// post makes one delivery attempt and returns the HTTP status (0 on a
// transport error) and the error text.
func (p *pusher) post(ctx context.Context, msg []byte) (int, string) {
	cfg := p.s.cfg
	ts := strconv.FormatInt(p.s.clock.Now().Unix(), 10)
	nonce := strconv.FormatUint(rand.Uint64()%1e10, 10)
	env, sig, err := p.s.crypto.Seal(msg, ts, nonce)
	if err != nil {
		return 0, "seal: " + err.Error()
	}
	u, err := url.Parse(cfg.CallbackURL)
	if err != nil {
		return 0, "callback url: " + err.Error()
	}
	q := u.Query()
	q.Set("msg_signature", sig)
	q.Set("timestamp", ts)
	q.Set("nonce", nonce)
	u.RawQuery = q.Encode()
	actx, cancel := context.WithTimeout(ctx, cfg.PushTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, u.String(), strings.NewReader(string(env)))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := cfg.HTTPClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Sprintf("http status %d", resp.StatusCode)
	}
	return resp.StatusCode, ""
}

// sleepCtx waits d or until ctx ends; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// ErrNotDelivered is wrapped by Push when the receiver never answered 200.
var ErrNotDelivered = errors.New("sim: callback not delivered")
