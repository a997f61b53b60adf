package service

import (
	"errors"
	"fmt"
)

// Sentinel errors; handler/errors.go maps them to HTTP statuses.
var (
	ErrNotFound        = errors.New("not found")
	ErrConflict        = errors.New("conflict")
	ErrForbidden       = errors.New("forbidden")
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrUpstream        = errors.New("upstream error")
	// ErrUnavailable means a dependency (the database) is down; callers answer 503 so WeCom retries.
	ErrUnavailable = errors.New("unavailable")
	// ErrRateLimited means WeCom refused a call for its frequency limits (45009, 45033): the call
	// is fine and must wait, it is not the event's fault.
	ErrRateLimited = errors.New("rate limited by WeCom")
	// ErrNotSent means a WeCom call never left this process (the call budget had no room in time, or
	// WeCom had blocked the API): nothing happened at WeCom, and the call may simply be made again.
	ErrNotSent = errors.New("not sent")
)

// ValidationError is a client mistake in one field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason) }

// Invalid builds a *ValidationError.
func Invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// WeComError is a WeCom answer with a non-zero errcode for a whole call; adapters wrap it
// with ErrUpstream. An ErrUpstream without it means the outcome is unknown (timeout, dropped).
type WeComError struct {
	Code int
	Msg  string
}

func (e *WeComError) Error() string { return fmt.Sprintf("wecom errcode %d: %s", e.Code, e.Msg) }

// Explained is an error with a message for the person who asked, in Chinese, e.g. why WeCom refused
// a guide's edit ("该客户已不在你的企业微信联系人中"). The message is chosen from codes (WeCom's errcode),
// never taken from WeCom's errmsg; the wrapped error decides the HTTP status.
type Explained struct {
	Message string
	Err     error
}

func (e *Explained) Error() string { return e.Err.Error() }

// Unwrap returns the explained error.
func (e *Explained) Unwrap() error { return e.Err }
