package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// GraphService applies WeCom events to the ownership graph.
// Enrichment from WeCom happens before the transaction opens, never inside it.
type GraphService struct {
	store    GraphStore
	inbox    InboxStore
	dir      Directory
	tx       Transactor
	handover HandoverOpener
	log      *slog.Logger
}

// NewGraphService wires a GraphService; handover may be nil.
func NewGraphService(store GraphStore, inbox InboxStore, dir Directory, tx Transactor, handover HandoverOpener, log *slog.Logger) *GraphService {
	return &GraphService{store: store, inbox: inbox, dir: dir, tx: tx, handover: handover, log: log}
}

// SetHandover attaches the handover service once it exists (it depends on the graph too).
func (s *GraphService) SetHandover(h HandoverOpener) { s.handover = h }

// Apply applies one event and marks inbox item id done in the same transaction
// (id 0 applies without touching the inbox). Applying the same event twice changes nothing.
func (s *GraphService) Apply(ctx context.Context, id int64, ev Event) error {
	var err error
	switch ev.Event {
	case EventExternalContact:
		err = s.applyContact(ctx, id, ev)
	case EventExternalChat:
		err = s.applyChat(ctx, id, ev)
	case EventExternalTag:
		err = s.applyTags(ctx, id)
	case EventContact:
		err = s.applyMember(ctx, id, ev)
	default: // plain messages and unknown events are kept in the inbox, not errors
		err = s.done(ctx, id, func(context.Context) error { return nil })
	}
	if err != nil {
		return fmt.Errorf("apply %s/%s: %w", ev.Event, ev.ChangeType, err)
	}
	return nil
}

// done runs fn and marks the inbox item done in one transaction. Under Prepare it only records
// fn: the enrichment is done, and the database work waits to run in a batch transaction.
func (s *GraphService) done(ctx context.Context, id int64, fn func(ctx context.Context) error) error {
	if d, ok := ctx.Value(deferKey{}).(*deferred); ok {
		d.fn = fn
		return nil
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error { return s.body(ctx, id, fn) })
}

func (s *GraphService) body(ctx context.Context, id int64, fn func(ctx context.Context) error) error {
	if err := fn(ctx); err != nil {
		return err
	}
	if id == 0 {
		return nil
	}
	return s.inbox.Done(ctx, id)
}

func (s *GraphService) applyContact(ctx context.Context, id int64, ev Event) error {
	if ev.UserID == "" || ev.ExternalUserID == "" {
		return permanent(errors.New("event lacks UserID or ExternalUserID"))
	}
	switch ev.ChangeType {
	case ChangeAddExternalContact, ChangeAddHalfExternalContact, ChangeEditExternalContact:
		snap, found, err := s.contact(ctx, ev.ExternalUserID)
		if err != nil {
			return err
		}
		return s.done(ctx, id, func(ctx context.Context) error {
			return s.addOrEdit(ctx, ev, snap, found)
		})
	case ChangeDelExternalContact, ChangeDelFollowUser:
		by := RemovedByCustomer
		if ev.ChangeType == ChangeDelExternalContact {
			by = RemovedByGuide
			if ev.Source == SourceDeleteByTransfer {
				by = RemovedByTransfer
			}
		}
		return s.done(ctx, id, func(ctx context.Context) error {
			return s.removeEdge(ctx, ev, by)
		})
	case ChangeTransferFail:
		return s.done(ctx, id, func(ctx context.Context) error {
			if s.handover == nil {
				return nil
			}
			return s.handover.TransferFailed(ctx, ev.UserID, ev.ExternalUserID, ev.FailReason, ev.Time)
		})
	}
	return s.done(ctx, id, func(context.Context) error { return nil })
}

// contact fetches the customer from WeCom; a customer WeCom no longer knows is not an error.
func (s *GraphService) contact(ctx context.Context, extID string) (ContactSnapshot, bool, error) {
	snap, err := s.dir.Contact(ctx, extID)
	if errors.Is(err, ErrNotFound) {
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
