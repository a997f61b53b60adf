// Package service is guidebox's domain: the ownership graph of guides and
// customers, the callback inbox and its workers, and the interfaces it needs
// from storage and from WeCom. It imports no gin, gorm, viper or PowerWeChat.
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
)

// ValidationError is a client mistake in one field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Reason) }

// Invalid builds a *ValidationError.
func Invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }
