package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// refresh recounts a guide's assignment from their customers and sends; it reports whether the
// guide has just completed the task (every 群发 of theirs sent). Call it in the transaction that
// changed them; then completed.
func (s *Service) refresh(ctx context.Context, taskID int64, userID string) (bool, error) {
	a, err := s.store.GetAssignment(ctx, taskID, userID)
	if err != nil {
		return false, err
	}
	tally, err := s.store.Tally(ctx, taskID, userID)
	if err != nil {
		return false, err
	}
	sends, err := s.store.Sends(ctx, SendFilter{TaskID: taskID, UserID: userID})
	if err != nil {
		return false, err
	}
	a.Sent = tally[RecipSent]
	a.Failed = tally[RecipNotFriend] + tally[RecipLimited] + tally[RecipInvalid] + tally[RecipFailed]
	was := a.Status
	if was == AssignMissed || was == AssignCancelled || was == AssignDone {
		return false, s.store.SaveAssignment(ctx, a) // counts only: the status is final
	}
	a.Status, a.Reason, a.CompletedAt = assignmentStatus(sends)
	return a.Status == AssignDone, s.store.SaveAssignment(ctx, a)
}

// assignmentStatus derives a guide's status from their sends: pending while one is not created,
// failed when WeCom refused every one, done when the guide sent every created one, else waiting.
func assignmentStatus(sends []Send) (status, reason string, completed *time.Time) {
	created, failed, sent := 0, 0, 0
	code := 0
	for _, sd := range sends {
		switch sd.State {
		case SendReady, SendRecorded:
			return AssignPending, "", nil
		case SendFailed:
			failed++
			code = sd.ErrCode
		case SendCreated:
			created++
			if sd.MemberSent {
				sent++
				if sd.SentAt != nil && (completed == nil || sd.SentAt.After(*completed)) {
					completed = sd.SentAt
				}
			}
		}
	}
	switch {
	case created == 0 && failed > 0:
		return AssignFailed, refusal(code), nil
	case created > 0 && sent == created:
		return AssignDone, "", completed
	}
	return AssignWaiting, "", nil
}

// refusal words a WeCom refusal for the console.
func refusal(code int) string {
	switch code {
	case 41048:
		return "41048 无可发送的客户（已不是该导购的客户）"
	case 60111:
		return "60111 导购已不在企业微信"
	}
	return fmt.Sprintf("%d 企业微信拒绝创建群发", code)
}

// completed tells the KPI port a guide completed the task (after the transaction that recorded it).
func (s *Service) completed(ctx context.Context, taskID int64, userID string, done bool) error {
	if !done || s.completions == nil {
		return nil
	}
	a, err := s.store.GetAssignment(ctx, taskID, userID)
	if err != nil {
		return fmt.Errorf("task %d completion of %s: %w", taskID, userID, err)
	}
	c := Completion{TaskID: taskID, UserID: userID, StoreID: a.StoreID, Customers: a.Customers, Sent: a.Sent, At: s.now()}
	if a.CompletedAt != nil {
		c.At = *a.CompletedAt
	}
	if err := s.completions.TaskCompleted(ctx, c); err != nil {
		s.log.WarnContext(ctx, "task completion not counted", "task", taskID, "userid", userID, "err", err)
	}
	return nil
}

// WeCom allows 3 reminders per 群发 in 24 hours (提醒成员群发).
const (
	remindsPerDay = 3
	remindWindow  = 24 * time.Hour
)

// RemindReport says whom a reminder round reached and whom it passed over, and why.
type RemindReport struct {
	Reminded []string
	Skipped  []Skipped
}

// Skipped is a guide a reminder round passed over.
type Skipped struct {
	UserID string
	Reason string
}

// Remind reminds guides who have not sent a task's 群发 (the named ones, or all of them) through
// WeCom (remind_groupmsg_send). WeCom allows 3 reminders per 群发 in 24 hours; a guide at that limit
// is skipped with the reason. The task must be waiting for its guides.
func (s *Service) Remind(ctx context.Context, id int64, userIDs []string, actor string, scope Scope) (RemindReport, error) {
	var rep RemindReport
	t, err := s.Get(ctx, id, scope)
	if err != nil {
		return rep, err
	}
	if t.Status != StatusActive || t.Phase != PhaseTrack {
		return rep, fmt.Errorf("task %d is not waiting for its guides (%s, %s): %w", id, t.Status, t.Phase, service.ErrConflict)
	}
	as, err := s.store.Assignments(ctx, id)
	if err != nil {
		return rep, fmt.Errorf("remind task %d: %w", id, err)
	}
	byUser := make(map[string]Assignment, len(as))
	for _, a := range as {
		byUser[a.UserID] = a
	}
	if len(userIDs) == 0 {
		for _, a := range as {
			if a.Status == AssignWaiting {
				userIDs = append(userIDs, a.UserID)
			}
		}
	}
	for _, u := range userIDs {
		a, ok := byUser[u]
		switch {
		case !ok:
			rep.Skipped = append(rep.Skipped, Skipped{u, "不在该任务中"})
			continue
		case a.Status != AssignWaiting:
			rep.Skipped = append(rep.Skipped, Skipped{u, "无需提醒（" + a.Status + "）"})
			continue
		}
		ok, err := s.remindGuide(ctx, t, a)
		if err != nil {
			return rep, err
		}
		if !ok {
			rep.Skipped = append(rep.Skipped, Skipped{u, "企业微信限制：每条群发24小时内最多提醒3次"})
			continue
		}
		rep.Reminded = append(rep.Reminded, u)
	}
	s.log.InfoContext(ctx, "task reminders", "task", id, "actor", actor, "reminded", len(rep.Reminded), "skipped", len(rep.Skipped))
	if len(rep.Reminded) > 0 { // WeCom reminded them: the log says so even if this row fails
		detail := fmt.Sprintf("%s：提醒 %d 位导购", t.Title, len(rep.Reminded))
		if err := s.store.Audit(ctx, s.auditEntry(ctx, actor, ActionRemind, t, detail)); err != nil {
			return rep, fmt.Errorf("audit reminders of task %d: %w", id, err)
		}
	}
	return rep, nil
}

// autoRemind reminds, once, every guide who has not sent as the deadline nears.
func (s *Service) autoRemind(ctx context.Context, t Task) error {
	as, err := s.store.Assignments(ctx, t.ID)
	if err != nil {
		return fmt.Errorf("remind task %d: %w", t.ID, err)
	}
	for _, a := range as {
		if a.Status != AssignWaiting || a.Reminders > 0 {
			continue
		}
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		if _, err := s.remindGuide(ctx, t, a); err != nil {
			return err
		}
	}
	return nil
}

// remindGuide calls remind_groupmsg_send for each of the guide's unsent 群发 still under WeCom's
// reminder limit; it reports whether any reminder went out. A refusal by errcode is logged and
// passed over; no answer stops the round.
func (s *Service) remindGuide(ctx context.Context, t Task, a Assignment) (bool, error) {
	sends, err := s.store.Sends(ctx, SendFilter{TaskID: t.ID, UserID: a.UserID, States: []string{SendCreated}, Unsent: true})
	if err != nil || len(sends) == 0 {
		return false, err
	}
	ids := make([]int64, len(sends))
	for i, sd := range sends {
		ids[i] = sd.ID
	}
	now := s.now()
	counts, err := s.store.Reminders(ctx, ids, now.Add(-remindWindow))
	if err != nil {
		return false, fmt.Errorf("reminders of task %d: %w", t.ID, err)
	}
	reminded := false
	for _, sd := range sends {
		if counts[sd.ID] >= remindsPerDay {
			continue
		}
		if err := s.api.RemindMass(ctx, sd.MsgID); err != nil {
			if weComCode(err) == 0 {
				return reminded, fmt.Errorf("remind send %d: %w", sd.ID, err)
			}
			s.log.WarnContext(ctx, "remind_groupmsg_send refused", "task", t.ID, "send", sd.ID, "err", err)
			continue
		}
		if err := s.store.AddReminder(ctx, t.ID, sd.ID, a.UserID, now); err != nil {
			return true, fmt.Errorf("record reminder of send %d: %w", sd.ID, err)
		}
		reminded = true
	}
	if !reminded {
		return false, nil
	}
	cur, err := s.store.GetAssignment(ctx, t.ID, a.UserID)
	if err != nil {
		return true, fmt.Errorf("reminded %s: %w", a.UserID, err)
	}
	cur.Reminders++
	cur.RemindedAt = &now
	return true, s.store.SaveAssignment(ctx, cur)
}
