package tasks

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// plan chooses the task's customers and splits them per guide: each customer goes to one guide
// (the owner when the owner still follows them, else the follower who added them last), so no
// customer gets the task twice. A guide's customers are cut into sends of at most PerSend
// (WeCom's per-call limit). Nothing reaches WeCom here; a plan interrupted half-way starts over.
func (s *Service) plan(ctx context.Context, t Task) error {
	if err := s.store.ResetPlan(ctx, t.ID); err != nil {
		return fmt.Errorf("plan task %d: %w", t.ID, err)
	}
	listed := slices.Clone(t.Target.ExternalUserIDs)
	slices.Sort(listed)
	size := s.cfg.PageSize
	after := ""
	for i := 0; ; {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		q := CandidateQuery{TagIDs: t.Target.TagIDs, After: after, Limit: size}
		if len(listed) > 0 {
			q.IDs, q.After = listed[i:min(i+size, len(listed))], ""
		}
		cands, err := s.store.Candidates(ctx, q)
		if err != nil {
			return fmt.Errorf("plan task %d: %w", t.ID, err)
		}
		rs, err := s.choose(ctx, t, cands)
		if err != nil {
			return fmt.Errorf("plan task %d: %w", t.ID, err)
		}
		if err := s.store.AddRecipients(ctx, rs); err != nil {
			return fmt.Errorf("plan task %d: %w", t.ID, err)
		}
		if len(listed) > 0 {
			if i += size; i >= len(listed) {
				break
			}
			continue
		}
		if len(cands) < size {
			break
		}
		after = cands[len(cands)-1].ExternalUserID
	}
	return s.allocate(ctx, t)
}

// choose picks each candidate's guide and keeps those the target's stores and stage allow.
func (s *Service) choose(ctx context.Context, t Task, cands []Candidate) ([]Recipient, error) {
	var out []Recipient
	var exts []string
	for _, c := range cands {
		f, ok := pickGuide(c)
		if !ok || (len(t.Target.StoreIDs) > 0 && !slices.Contains(t.Target.StoreIDs, f.StoreID)) {
			continue
		}
		out = append(out, Recipient{TaskID: t.ID, ExternalUserID: c.ExternalUserID, UserID: f.UserID, State: RecipPending})
		exts = append(exts, c.ExternalUserID)
	}
	if t.Target.Stage == "" || len(out) == 0 {
		return out, nil
	}
	if s.stages == nil {
		return nil, errors.New("target.stage needs the follow-up stages, which are not configured")
	}
	in, err := s.stages.InStage(ctx, t.Target.Stage, exts)
	if err != nil {
		return nil, fmt.Errorf("stage %q: %w", t.Target.Stage, err)
	}
	return slices.DeleteFunc(out, func(r Recipient) bool { return !in[r.ExternalUserID] }), nil
}

// pickGuide is the follower who sends to the customer: the owner if they still follow the
// customer, else the one who added the customer last (ties: the smaller userid).
func pickGuide(c Candidate) (Follower, bool) {
	if len(c.Followers) == 0 {
		return Follower{}, false
	}
	best := c.Followers[0]
	for _, f := range c.Followers {
		if f.UserID == c.Owner {
			return f, true
		}
		if f.AddedAt.After(best.AddedAt) || (f.AddedAt.Equal(best.AddedAt) && f.UserID < best.UserID) {
			best = f
		}
	}
	return best, true
}

// allocate makes each guide's assignment and sends, then moves the task on to sending (or closes
// it when no customer matched).
func (s *Service) allocate(ctx context.Context, t Task) error {
	counts, err := s.store.RecipientCounts(ctx, t.ID)
	if err != nil {
		return fmt.Errorf("plan task %d: %w", t.ID, err)
	}
	guides := make([]string, 0, len(counts))
	for u := range counts {
		guides = append(guides, u)
	}
	slices.Sort(guides)
	stores, err := s.store.GuideStores(ctx, guides)
	if err != nil {
		return fmt.Errorf("plan task %d: %w", t.ID, err)
	}
	as := make([]Assignment, 0, len(guides))
	for _, u := range guides {
		if err := s.keepLease(ctx); err != nil {
			return err
		}
		for left := counts[u]; left > 0; {
			exts, err := s.store.Unbatched(ctx, t.ID, u, s.cfg.PerSend)
			if err != nil {
				return fmt.Errorf("plan task %d: guide %s: %w", t.ID, u, err)
			}
			if len(exts) == 0 {
				return fmt.Errorf("plan task %d: guide %s: %d customers counted, none left to batch", t.ID, u, left)
			}
			err = s.tx.InTx(ctx, func(ctx context.Context) error {
				_, err := s.store.CreateSend(ctx, Send{TaskID: t.ID, UserID: u, Size: len(exts), State: SendReady}, exts)
				return err
			})
			if err != nil {
				return fmt.Errorf("plan task %d: %w", t.ID, err)
			}
			left -= len(exts)
		}
		as = append(as, Assignment{TaskID: t.ID, UserID: u, StoreID: stores[u], Status: AssignPending, Customers: counts[u]})
	}
	if err := s.store.SaveAssignments(ctx, as); err != nil {
		return fmt.Errorf("plan task %d: %w", t.ID, err)
	}
	now := s.now()
	t.Phase, t.NextRunAt = PhaseSend, &now
	if len(as) == 0 { // nobody to send to: the task is over
		if _, err := s.store.SetStatus(ctx, t.ID, StatusActive, StatusClosed, now); err != nil {
			return fmt.Errorf("close task %d: %w", t.ID, err)
		}
		t.Phase, t.NextRunAt, t.ClosedAt = PhaseDone, nil, &now
	}
	if err := s.store.SaveTask(ctx, t); err != nil {
		return fmt.Errorf("plan task %d: %w", t.ID, err)
	}
	s.log.InfoContext(ctx, "task planned", "task", t.ID, "guides", len(as))
	return nil
}
