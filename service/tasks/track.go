package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// track reads the guides' progress from WeCom, reminds those behind once near the deadline, and
// closes the task when the deadline has passed.
func (s *Service) track(ctx context.Context, t Task) error {
	now := s.now()
	if !now.Before(t.Deadline) {
		return s.close(ctx, t)
	}
	if err := s.poll(ctx, t); err != nil {
		return err
	}
	remindAt := t.Deadline.Add(-s.cfg.RemindBefore)
	if s.cfg.RemindBefore > 0 && !now.Before(remindAt) {
		if err := s.autoRemind(ctx, t); err != nil {
			return err
		}
	}
	if cur, err := s.store.GetTask(ctx, t.ID); err != nil {
		return fmt.Errorf("track task %d: %w", t.ID, err)
	} else if cur.Status == StatusCancelled { // cancelled while this run polled: finish it now
		return s.finishCancel(ctx, cur)
	}
	next := earliest(now.Add(s.cfg.PollInterval), t.Deadline)
	if s.cfg.RemindBefore > 0 && remindAt.After(now) {
		next = earliest(next, remindAt)
	}
	t.NextRunAt = &next
	if err := s.store.SaveTask(ctx, t); err != nil {
		return fmt.Errorf("track task %d: %w", t.ID, err)
	}
	return nil
}

// poll reads every created 群发 whose outcome is not final: whether the guide sent it
// (get_groupmsg_task), then each customer's result (get_groupmsg_send_result). A guide who has
// sent and whose customers are all settled is not read again.
func (s *Service) poll(ctx context.Context, t Task) error {
	for after := int64(0); ; {
		sends, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, States: []string{SendCreated}, NotFinal: true, AfterID: after, Limit: 200})
		if err != nil {
			return fmt.Errorf("poll task %d: %w", t.ID, err)
		}
		for _, sd := range sends {
			if err := s.pollSend(ctx, t, sd); err != nil {
				return err
			}
		}
		if len(sends) < 200 {
			return nil
		}
		after = sends[len(sends)-1].ID
	}
}

// pollSend reads one 群发 and records what changed.
func (s *Service) pollSend(ctx context.Context, t Task, sd Send) error {
	if err := s.keepLease(ctx); err != nil {
		return err
	}
	if !sd.MemberSent {
		sent, at, err := s.memberSent(ctx, sd)
		if code := weComCode(err); code != 0 && code != -1 && !errors.Is(err, service.ErrRateLimited) {
			// WeCom does not know the 群发 (it answers its msgid with an errcode): it cannot progress.
			s.log.WarnContext(ctx, "WeCom refuses to read a 群发: no longer polled", "task", t.ID, "send", sd.ID, "err", err)
			_, err = s.store.UpdateSend(ctx, sd.ID, SendUpdate{Final: ptr(true)})
			return err
		}
		if err != nil || !sent {
			return err
		}
		sd.MemberSent, sd.SentAt = true, &at
	}
	byState := map[string][]string{}
	unsent := 0
	for cursor := ""; ; {
		page, next, err := s.api.MassResults(ctx, sd.MsgID, sd.UserID, cursor)
		if err != nil {
			return fmt.Errorf("poll send %d: %w", sd.ID, err)
		}
		for _, r := range page {
			st := resultState(r.Status)
			if st == "" {
				unsent++
				continue
			}
			byState[st] = append(byState[st], r.ExternalUserID)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	var done bool
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		for st, exts := range byState {
			if err := s.store.SetRecipients(ctx, t.ID, sd.ID, exts, st, sd.SentAt, []string{RecipWaiting}); err != nil {
				return err
			}
		}
		u := SendUpdate{MemberSent: ptr(true), SentAt: sd.SentAt, Final: ptr(unsent == 0)}
		if _, err := s.store.UpdateSend(ctx, sd.ID, u); err != nil {
			return err
		}
		var err error
		done, err = s.refresh(ctx, t.ID, sd.UserID)
		return err
	})
	if err != nil {
		return fmt.Errorf("poll send %d: %w", sd.ID, err)
	}
	return s.completed(ctx, t.ID, sd.UserID, done)
}

// memberSent reads whether the send's guide has sent it (get_groupmsg_task), and when.
func (s *Service) memberSent(ctx context.Context, sd Send) (bool, time.Time, error) {
	for cursor := ""; ; {
		page, next, err := s.api.MassMembers(ctx, sd.MsgID, cursor)
		if err != nil {
			return false, time.Time{}, fmt.Errorf("poll send %d: %w", sd.ID, err)
		}
		for _, m := range page {
			if m.UserID == sd.UserID {
				return m.Sent, m.SentAt, nil
			}
		}
		if cursor = next; cursor == "" {
			return false, time.Time{}, nil
		}
	}
}

// resultState maps WeCom's per-customer status; "" for not sent.
func resultState(status int) string {
	switch status {
	case ResultSent:
		return RecipSent
	case ResultNotFriend:
		return RecipNotFriend
	case ResultLimited:
		return RecipLimited
	}
	return ""
}

// close ends a task past its deadline: the 群发 still unsent are stopped in WeCom (nothing goes out
// late, and the counts stop moving), what was sent is read once more, and the guides who never
// sent are missed.
func (s *Service) close(ctx context.Context, t Task) error {
	if err := s.stopUnsent(ctx, t); err != nil {
		return err
	}
	if err := s.poll(ctx, t); err != nil {
		return err
	}
	return s.finish(ctx, t, StatusClosed, RecipUnsent, AssignMissed)
}

// finishCancel ends a cancelled task: sends WeCom may hold are settled, unsent 群发 stopped, what was
// sent before is read, and the rest is cancelled.
func (s *Service) finishCancel(ctx context.Context, t Task) error {
	recorded, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, States: []string{SendRecorded}})
	if err != nil {
		return fmt.Errorf("cancel task %d: %w", t.ID, err)
	}
	for _, sd := range recorded {
		if err := s.recover(ctx, t, sd); err != nil {
			return err
		}
	}
	if err := s.stopUnsent(ctx, t); err != nil {
		return err
	}
	if err := s.poll(ctx, t); err != nil {
		return err
	}
	return s.finish(ctx, t, StatusCancelled, RecipCancelled, AssignCancelled)
}

// stopUnsent calls cancel_groupmsg_send for every created 群发 the guide has not sent. An errcode
// (the 群发 is already gone) is logged and passed over; no answer stops the run, to try again.
func (s *Service) stopUnsent(ctx context.Context, t Task) error {
	sends, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, States: []string{SendCreated}, Unsent: true})
	if err != nil {
		return fmt.Errorf("stop task %d: %w", t.ID, err)
	}
	for _, sd := range sends {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		if err := s.api.CancelMass(ctx, sd.MsgID); err != nil {
			if weComCode(err) == 0 {
				return fmt.Errorf("stop send %d: %w", sd.ID, err)
			}
			s.log.WarnContext(ctx, "cancel_groupmsg_send refused", "task", t.ID, "send", sd.ID, "err", err)
		}
	}
	return nil
}

// finish settles what is left (unsent customers, guides not done, sends not made) and ends the task.
func (s *Service) finish(ctx context.Context, t Task, status, recipState, assignState string) error {
	now := s.now()
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetRecipients(ctx, t.ID, 0, nil, recipState, nil, []string{RecipPending, RecipWaiting}); err != nil {
			return err
		}
		ready, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, States: []string{SendReady}})
		if err != nil {
			return err
		}
		for _, sd := range ready {
			if _, err := s.store.UpdateSend(ctx, sd.ID, SendUpdate{State: ptr(SendCancelled), OnlyStates: []string{SendReady}}); err != nil {
				return err
			}
		}
		as, err := s.store.Assignments(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.Status == AssignPending || a.Status == AssignWaiting {
				a.Status = assignState
				if err := s.store.SaveAssignment(ctx, a); err != nil {
					return err
				}
			}
		}
		if status == StatusClosed {
			if _, err := s.store.SetStatus(ctx, t.ID, StatusActive, StatusClosed, now); err != nil {
				return err
			}
		}
		t.Phase, t.NextRunAt, t.ClosedAt = PhaseDone, nil, &now
		return s.store.SaveTask(ctx, t)
	})
	if err != nil {
		return fmt.Errorf("finish task %d: %w", t.ID, err)
	}
	s.log.InfoContext(ctx, "task finished", "task", t.ID, "status", status)
	return nil
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
