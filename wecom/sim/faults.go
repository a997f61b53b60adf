package sim

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// AllPaths makes a fault switch apply to every API path.
const AllPaths = "*"

// faults holds the fault switches. It has its own mutex so injected latency
// never holds the state lock.
type faults struct {
	mu      sync.Mutex
	latency map[string]time.Duration // path → added delay
	fail5xx map[string]int           // path → remaining HTTP 500 answers
	drop    map[string]int           // path → remaining dropped connections
	errmsg  string                   // replaces every failure's errmsg when set
}

func newFaults() *faults {
	return &faults{latency: map[string]time.Duration{}, fail5xx: map[string]int{}, drop: map[string]int{}}
}

// normPath turns "cgi-bin/x", "//cgi-bin/x" or "/cgi-bin/x?y" into "/cgi-bin/x";
// AllPaths stays as is.
func normPath(p string) string {
	if p == AllPaths {
		return p
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return "/" + strings.TrimLeft(p, "/")
}

// SetLatency delays every answer on path (or AllPaths) by d of real time;
// d <= 0 removes the delay. Use it to test the client's timeouts.
func (s *Sim) SetLatency(path string, d time.Duration) {
	f := s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	if d <= 0 {
		delete(f.latency, normPath(path))
		return
	}
	f.latency[normPath(path)] = d
}

// SetFail5xx makes the next n calls on path (or AllPaths) answer HTTP 500
// with a plain-text body, before any token check.
func (s *Sim) SetFail5xx(path string, n int) {
	f := s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail5xx[normPath(path)] = n
}

// SetDrop makes the next n calls on path (or AllPaths) close the connection
// without any answer. Go's http.Transport silently replays an idempotent
// request (GET) once when a reused connection closes before answering, so
// to make one GET fail, drop 2.
func (s *Sim) SetDrop(path string, n int) {
	f := s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	f.drop[normPath(path)] = n
}

// SetErrMsg makes every failure (non-zero errcode) answer with msg as its errmsg instead of the
// sim's own wording; "" restores it. WeCom says its errmsg may change and only errcode is to be
// relied on: tests run the same scenario with scrambled messages to show no decision reads them.
func (s *Sim) SetErrMsg(msg string) {
	f := s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errmsg = msg
}

// rewriteErrMsg applies SetErrMsg to an answer.
func (f *faults) rewriteErrMsg(res result) {
	f.mu.Lock()
	msg := f.errmsg
	f.mu.Unlock()
	if code, _ := res["errcode"].(int); msg != "" && code != 0 {
		res["errmsg"] = msg
	}
}

// take decrements the first positive counter among path and AllPaths.
func take(m map[string]int, path string) bool {
	for _, k := range []string{path, AllPaths} {
		if m[k] > 0 {
			m[k]--
			return true
		}
	}
	return false
}

// inject applies latency, drops and 5xx to one request; it reports whether
// the request was answered (or dropped) already.
func (f *faults) inject(w http.ResponseWriter, r *http.Request, path string) bool {
	f.mu.Lock()
	d := f.latency[path] + f.latency[AllPaths]
	drop := take(f.drop, path)
	fail := !drop && take(f.fail5xx, path)
	f.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		}
	}
	switch {
	case drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // closes the connection without an answer
	case fail:
		http.Error(w, "sim: injected server error", http.StatusInternalServerError)
		return true
	}
	return false
}
