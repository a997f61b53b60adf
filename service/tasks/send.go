package tasks

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// A recorded send is looked up in get_groupmsg_list_v2 from a minute before it was recorded (the
// replicas' clocks and WeCom's agree to well within it), over at most 30 days (the API spans at
// most a month).
const (
	recoverSlack = time.Minute
	maxListSpan  = 30 * 24 * time.Hour
)

// sendAll creates the task's 企业群发, one add_msg_template per send, outside any transaction. Each
// send is recorded before its call; a send left recorded (a crash, or no answer) is first looked
// up in WeCom, so no guide gets the same 群发 twice.
func (s *Service) sendAll(ctx context.Context, t Task) error {
	recorded, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, States: []string{SendRecorded}})
	if err != nil {
		return fmt.Errorf("send task %d: %w", t.ID, err)
	}
	for _, sd := range recorded {
		if err := s.recover(ctx, t, sd); err != nil {
			return err
		}
	}
	for {
		ready, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, States: []string{SendReady}, Limit: 100})
		if err != nil {
			return fmt.Errorf("send task %d: %w", t.ID, err)
		}
		if len(ready) == 0 {
			break
		}
		for _, sd := range ready {
			cur, err := s.store.GetTask(ctx, t.ID)
			if err != nil {
				return fmt.Errorf("send task %d: %w", t.ID, err)
			}
			if cur.Status != StatusActive { // cancelled meanwhile: work() stops what was sent
				return nil
			}
			if err := s.sendOne(ctx, t, sd); err != nil {
				return err
			}
		}
	}
	next := s.now().Add(s.cfg.PollInterval)
	t.Phase, t.NextRunAt = PhaseTrack, &next
	if err := s.store.SaveTask(ctx, t); err != nil {
		return fmt.Errorf("send task %d: %w", t.ID, err)
	}
	return nil
}

// sendOne records one send, calls add_msg_template and records WeCom's answer.
func (s *Service) sendOne(ctx context.Context, t Task, sd Send) error {
	exts, err := s.store.SendRecipients(ctx, sd.ID)
	if err != nil {
		return fmt.Errorf("send %d: %w", sd.ID, err)
	}
	now := s.now()
	ok, err := s.store.UpdateSend(ctx, sd.ID, SendUpdate{State: ptr(SendRecorded), RecordedAt: &now, OnlyStates: []string{SendReady}})
	if err != nil || !ok {
		return err // !ok: not ready any more, someone else has it
	}
	sd.State, sd.RecordedAt = SendRecorded, &now
	if h := s.cfg.Hooks.AfterSendRecorded; h != nil {
		if err := h(sd); err != nil {
			return err
		}
	}
	if err := s.keepLease(ctx); err != nil {
		return err // the send stays recorded: the lease's new holder looks it up
	}
	msgID, fails, err := s.api.CreateMass(ctx, MassMessage{Sender: sd.UserID, ExternalUserIDs: exts, Text: t.Content.Text,
		Attachments: t.Content.Attachments})
	if err != nil {
		return s.sendFailed(ctx, t, sd, err)
	}
	if h := s.cfg.Hooks.AfterSendCreated; h != nil {
		if err := h(sd, msgID); err != nil {
			return err
		}
	}
	return s.sendCreated(ctx, t, sd, msgID, fails)
}

// sendFailed handles add_msg_template's error. Rate limits and WeCom's "busy" put the send back
// for the next run; any other errcode is WeCom refusing the guide's 群发 (41048: none of the
// customers can be sent to; 60111: the guide is gone); no answer at all leaves the send recorded
// for the next run to look up.
func (s *Service) sendFailed(ctx context.Context, t Task, sd Send, cause error) error {
	code := weComCode(cause)
	if errors.Is(cause, service.ErrRateLimited) || code == -1 {
		if _, err := s.store.UpdateSend(ctx, sd.ID, SendUpdate{State: ptr(SendReady), OnlyStates: []string{SendRecorded}}); err != nil {
			return fmt.Errorf("send %d: %w (after %w)", sd.ID, err, cause)
		}
		return fmt.Errorf("send %d: %w", sd.ID, cause)
	}
	if code == 0 {
		return fmt.Errorf("send %d, outcome unknown: %w", sd.ID, cause)
	}
	state := RecipFailed
	if code == 41048 {
		state = RecipInvalid
	}
	var done bool
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.UpdateSend(ctx, sd.ID, SendUpdate{State: ptr(SendFailed), ErrCode: &code, OnlyStates: []string{SendRecorded}}); err != nil {
			return err
		}
		if err := s.store.SetRecipients(ctx, t.ID, sd.ID, nil, state, nil, []string{RecipPending}); err != nil {
			return err
		}
		var err error
		done, err = s.refresh(ctx, t.ID, sd.UserID)
		return err
	})
	if err != nil {
		return fmt.Errorf("send %d refused (errcode %d): %w", sd.ID, code, err)
	}
	s.log.WarnContext(ctx, "WeCom refused a guide's 群发", "task", t.ID, "userid", sd.UserID, "errcode", code)
	return s.completed(ctx, t.ID, sd.UserID, done)
}

// sendCreated records a 群发 WeCom created: its msgid, the customers in fail_list, the rest waiting
// for the guide.
func (s *Service) sendCreated(ctx context.Context, t Task, sd Send, msgID string, fails []string) error {
	var done bool
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.store.UpdateSend(ctx, sd.ID, SendUpdate{State: ptr(SendCreated), MsgID: &msgID, OnlyStates: []string{SendRecorded}}); err != nil {
			return err
		}
		if len(fails) > 0 {
			if err := s.store.SetRecipients(ctx, t.ID, sd.ID, fails, RecipInvalid, nil, []string{RecipPending}); err != nil {
				return err
			}
		}
		if err := s.store.SetRecipients(ctx, t.ID, sd.ID, nil, RecipWaiting, nil, []string{RecipPending}); err != nil {
			return err
		}
		var err error
		done, err = s.refresh(ctx, t.ID, sd.UserID)
		return err
	})
	if err != nil {
		return fmt.Errorf("record send %d (msgid %s): %w", sd.ID, msgID, err)
	}
	return s.completed(ctx, t.ID, sd.UserID, done)
}

// recover settles a send left recorded: if WeCom holds a 群发 of this task's content for the guide,
// created after the send was recorded and not yet claimed by another send, to this send's
// customers, the send adopts it; otherwise WeCom never created it and the send is ready again.
func (s *Service) recover(ctx context.Context, t Task, sd Send) error {
	exts, err := s.store.SendRecipients(ctx, sd.ID)
	if err != nil {
		return fmt.Errorf("recover send %d: %w", sd.ID, err)
	}
	mine := make(map[string]bool, len(exts))
	for _, e := range exts {
		mine[e] = true
	}
	from := s.now()
	if sd.RecordedAt != nil {
		from = *sd.RecordedAt
	}
	from = from.Add(-recoverSlack)
	to := s.now().Add(recoverSlack)
	if limit := from.Add(maxListSpan); to.After(limit) {
		to = limit
	}
	for cursor := ""; ; {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		page, next, err := s.api.ListMass(ctx, from, to, cursor)
		if err != nil {
			return fmt.Errorf("recover send %d: %w", sd.ID, err)
		}
		for _, m := range page {
			if m.Text != t.Content.Text || m.Attachments != len(t.Content.Attachments) {
				continue
			}
			got, ok, err := s.matches(ctx, m.MsgID, sd.UserID, mine)
			if err != nil {
				return fmt.Errorf("recover send %d: %w", sd.ID, err)
			}
			if !ok {
				continue
			}
			var fails []string
			for _, e := range exts {
				if !got[e] {
					fails = append(fails, e)
				}
			}
			s.log.InfoContext(ctx, "recorded send found in WeCom", "task", t.ID, "send", sd.ID, "msgid", m.MsgID)
			return s.sendCreated(ctx, t, sd, m.MsgID, fails)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	if _, err := s.store.UpdateSend(ctx, sd.ID, SendUpdate{State: ptr(SendReady), OnlyStates: []string{SendRecorded}}); err != nil {
		return fmt.Errorf("recover send %d: %w", sd.ID, err)
	}
	return nil
}

// matches reports whether 群发 msgID is the guide's, unclaimed, and goes to customers all in mine;
// it returns those customers.
func (s *Service) matches(ctx context.Context, msgID, userID string, mine map[string]bool) (map[string]bool, bool, error) {
	if _, err := s.store.SendByMsgID(ctx, msgID); err == nil {
		return nil, false, nil // another send's
	} else if !errors.Is(err, service.ErrNotFound) {
		return nil, false, err
	}
	members, _, err := s.api.MassMembers(ctx, msgID, "")
	if err != nil {
		return nil, false, err
	}
	if len(members) != 1 || members[0].UserID != userID {
		return nil, false, nil
	}
	got := map[string]bool{}
	for cursor := ""; ; {
		page, next, err := s.api.MassResults(ctx, msgID, userID, cursor)
		if err != nil {
			return nil, false, err
		}
		for _, r := range page {
			if !mine[r.ExternalUserID] {
				return nil, false, nil
			}
			got[r.ExternalUserID] = true
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	return got, len(got) > 0, nil
}
