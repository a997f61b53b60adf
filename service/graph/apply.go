package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Service applies WeCom events to the ownership graph.
// Enrichment from WeCom happens before the transaction opens, never inside it.
//
// Every snapshot read from WeCom (a customer's profile, an edge's details and tags, a group, the
// corp tags, a member) is stamped with the time its read started, and is written only over an
// older one: a read that started before a change in WeCom is older than every read started after
// it, so whatever order concurrent workers, replicas or a late retry commit in, each attribute ends
// with the newest read. (Replicas' clocks must agree to well within the time WeCom takes to call
// back after a change; NTP does.) Adds and removals are registers by WeCom's event time (edge.go).
type Service struct {
	store    Store
	inbox    InboxStore
	dir      Directory
	tx       service.Transactor
	handover HandoverOpener
	log      *slog.Logger
	now      func() time.Time
	sizes    *sizeCache // guides' active customer counts, for planning batch reads
	// patienceFor is how long an event may wait for its contact read while the budget is short.
	patienceFor time.Duration
	arrivals    arrivals // fresh contact events prepared, for the target yield of a read
}

// NewService wires a Service; handover may be nil.
func NewService(store Store, inbox InboxStore, dir Directory, tx service.Transactor, handover HandoverOpener, log *slog.Logger) *Service {
	return &Service{store: store, inbox: inbox, dir: dir, tx: tx, handover: handover, log: log, now: time.Now,
		sizes: &sizeCache{ttl: sizeTTL, m: map[string]sizeEntry{}}, patienceFor: DefaultReadPatience}
}

// SetClock replaces the clock that stamps WeCom reads (time.Now by default); the simulator's
// clock in tests that play WeCom's history on it.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// readStamp is the version of a WeCom read about to start: now, in UTC, to the microsecond the
// database keeps (so a stamp compares the same before and after a round trip).
func (s *Service) readStamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Apply applies one event, without touching the inbox. Applying the same event twice changes nothing.
func (s *Service) Apply(ctx context.Context, ev Event) error {
	p, err := s.Prepare(ctx, Lease{}, ev)
	if err != nil {
		return err
	}
	return s.ApplyPrepared(ctx, []Prepared{p})
}

type txFunc = func(ctx context.Context) error

// contactWork is a change_external_contact event's work. An add or an edit carries no data: the
// customer read from WeCom (r, by the customer or by the guide) is its snapshot, unless skip says a
// read newer than the event is applied already; a removal needs no read.
func (s *Service) contactWork(ev Event, r *batchReads, skip bool) (*contactOp, txFunc, error) {
	switch ev.ChangeType {
	case ChangeAddExternalContact, ChangeAddHalfExternalContact, ChangeEditExternalContact:
		op := &contactOp{kind: opAdd, ev: ev}
		if ev.ChangeType == ChangeEditExternalContact {
			op.kind = opEdit
		}
		if skip {
			return op, nil, nil
		}
		read, err := r.contactOf(ev)
		if err != nil {
			return nil, nil, err
		}
		op.readAt = read.at
		if read.found {
			profile := read.snap.Customer
			profile.ProfileAt = read.at
			op.profile = &profile
		}
		if d, ok := followerOf(read.snap, ev.UserID); ok {
			op.detail = &d
		}
		return op, nil, nil
	case ChangeDelExternalContact, ChangeDelFollowUser:
		by := service.RemovedByCustomer
		if ev.ChangeType == ChangeDelExternalContact {
			by = service.RemovedByGuide
			if ev.Source == SourceDeleteByTransfer {
				by = service.RemovedByTransfer
			}
		}
		return &contactOp{kind: opRemove, ev: ev, by: by}, nil, nil
	case ChangeTransferFail:
		return nil, func(ctx context.Context) error {
			if s.handover == nil {
				return nil
			}
			return s.handover.TransferFailed(ctx, ev.UserID, ev.ExternalUserID, ev.FailReason, ev.Time)
		}, nil
	}
	return nil, nil, nil
}

// contactOf is the read that answers ev: the customer's own (externalcontact/get, every follower)
// when the batch made one, else the guide's batch read.
func (r *batchReads) contactOf(ev Event) (contactRead, error) {
	if c := r.contacts[ev.ExternalUserID]; c != nil {
		return *c, c.err
	}
	if g := r.guides[ev.UserID]; g != nil {
		if g.err != nil {
			return contactRead{}, g.err
		}
		if c, ok := g.got[ev.ExternalUserID]; ok {
			return c, nil
		}
	}
	return contactRead{}, fmt.Errorf("enrich contact %s: no read planned", ev.ExternalUserID)
}

// contact fetches the customer from WeCom; a customer WeCom no longer knows is not an error.
func (s *Service) contact(ctx context.Context, extID string) (ContactSnapshot, bool, error) {
	snap, err := s.dir.Contact(ctx, extID)
	if errors.Is(err, service.ErrNotFound) {
		return ContactSnapshot{}, false, nil
	}
	if err != nil {
		return ContactSnapshot{}, false, fmt.Errorf("enrich contact: %w", err)
	}
	return snap, true, nil
}

// PermanentError marks a failure that retrying cannot fix; the worker parks the event at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

func permanent(err error) error { return &PermanentError{Err: err} }

// timeOr returns t, or fallback when t is zero.
func timeOr(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}
