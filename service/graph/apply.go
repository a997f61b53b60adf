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
}

// NewService wires a Service; handover may be nil.
func NewService(store Store, inbox InboxStore, dir Directory, tx service.Transactor, handover HandoverOpener, log *slog.Logger) *Service {
	return &Service{store: store, inbox: inbox, dir: dir, tx: tx, handover: handover, log: log, now: time.Now}
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

// Prepare does an event's WeCom reads (outside any transaction) and returns its database work,
// which marks the inbox row of lease done when applied (a zero lease: no inbox row).
// A PermanentError or a WeCom failure comes back here, before anything is written.
func (s *Service) Prepare(ctx context.Context, lease Lease, ev Event) (Prepared, error) {
	p := Prepared{Lease: lease, label: ev.Event + "/" + ev.ChangeType}
	var err error
	switch ev.Event {
	case EventExternalContact:
		p.op, p.run, err = s.prepareContact(ctx, ev)
	case EventExternalChat:
		p.run, err = s.prepareChat(ctx, ev)
	case EventExternalTag:
		p.run, err = s.prepareTags(ctx)
	case EventContact:
		p.run, err = s.prepareMember(ctx, ev)
	} // plain messages and unknown events are kept in the inbox, not errors
	if err != nil {
		return Prepared{}, fmt.Errorf("apply %s: %w", p.label, err)
	}
	return p, nil
}

type txFunc = func(ctx context.Context) error

func (s *Service) prepareContact(ctx context.Context, ev Event) (*contactOp, txFunc, error) {
	if ev.UserID == "" || ev.ExternalUserID == "" {
		return nil, nil, permanent(errors.New("event lacks UserID or ExternalUserID"))
	}
	switch ev.ChangeType {
	case ChangeAddExternalContact, ChangeAddHalfExternalContact, ChangeEditExternalContact:
		at := s.readStamp() // none of these events carries data: the read is the snapshot
		snap, found, err := s.contact(ctx, ev.ExternalUserID)
		if err != nil {
			return nil, nil, err
		}
		op := &contactOp{kind: opAdd, ev: ev, readAt: at}
		if ev.ChangeType == ChangeEditExternalContact {
			op.kind = opEdit
		}
		if found {
			snap.Customer.ProfileAt = at
			op.profile = &snap.Customer
		}
		if d, ok := followerOf(snap, ev.UserID); ok {
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
