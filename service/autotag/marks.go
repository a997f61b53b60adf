package autotag

import (
	"context"
	"errors"
	"fmt"

	"github.com/guidebox/guidebox/service"
)

// PushMarks writes the pending marks to WeCom, one mark_tag per edge (the owner's edge) with every tag
// the rules add or remove there, in the background lane of WeCom's budget. A tag the edge has already
// is not added again, and only a tag a rule put on the edge is removed (a guide's or WeCom's stays):
// those marks are done without a call. When the budget has no room, it stops and the rest waits for
// the next run; an error WeCom answers fails the edge's marks for good (errcode kept), an unknown
// outcome is tried again up to Config.MaxAttempts times.
func (s *Service) PushMarks(ctx context.Context) (PushReport, error) {
	ctx = service.WithLane(ctx, service.LaneBackground)
	var rep PushReport
	afterUser, afterExt := "", ""
	for {
		marks, err := s.store.PendingMarks(ctx, afterUser, afterExt, s.cfg.MarkBatch)
		if err != nil {
			return rep, fmt.Errorf("read marks: %w", err)
		}
		edges := byEdge(marks)
		if len(marks) == s.cfg.MarkBatch && len(edges) > 1 {
			edges = edges[:len(edges)-1] // the last edge may go on in the next page
		}
		for _, e := range edges {
			afterUser, afterExt = e[0].UserID, e[0].ExternalUserID
			if err := s.pushEdge(ctx, e, &rep); err != nil {
				if errors.Is(err, service.ErrRateLimited) {
					rep.Waiting = true
					return rep, nil
				}
				return rep, err
			}
		}
		if len(marks) < s.cfg.MarkBatch {
			return rep, nil
		}
	}
}

// byEdge splits marks, sorted by edge, into one slice per edge.
func byEdge(marks []Mark) [][]Mark {
	var out [][]Mark
	for i, m := range marks {
		if i == 0 || m.UserID != marks[i-1].UserID || m.ExternalUserID != marks[i-1].ExternalUserID {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], m)
	}
	return out
}

// pushEdge writes one edge's marks.
func (s *Service) pushEdge(ctx context.Context, marks []Mark, rep *PushReport) error {
	user, ext := marks[0].UserID, marks[0].ExternalUserID
	have, active, err := s.store.EdgeTags(ctx, user, ext)
	if err != nil {
		return fmt.Errorf("read tags of %s/%s: %w", user, ext, err)
	}
	if !active {
		rep.Failed += len(marks)
		return s.store.MarksFailed(ctx, marks, 0, "the owner no longer follows the customer", true)
	}
	var add, remove, skipped []Mark
	for _, m := range marks {
		t, on := have[m.TagID]
		switch {
		case m.Op == OpAdd && !on:
			add = append(add, m)
		case m.Op == OpRemove && on && t.Origin == originRule:
			remove = append(remove, m)
		default:
			skipped = append(skipped, m)
		}
	}
	rep.Skipped += len(skipped)
	if len(add) == 0 && len(remove) == 0 {
		return s.store.MarksWritten(ctx, user, ext, nil, nil, skipped, s.now())
	}
	err = s.wecom.MarkTag(ctx, user, ext, tagIDs(add), tagIDs(remove))
	var we *service.WeComError
	if !errors.Is(err, service.ErrRateLimited) || errors.As(err, &we) {
		rep.Calls++ // sent (a call the budget kept back was not)
	}
	switch {
	case err == nil:
		rep.Written += len(add) + len(remove)
		return s.store.MarksWritten(ctx, user, ext, add, remove, skipped, s.now())
	case errors.Is(err, service.ErrRateLimited):
		return err
	case errors.As(err, &we):
		rep.Failed += len(add) + len(remove)
		return s.store.MarksFailed(ctx, append(add, remove...), we.Code, clip(err.Error(), 255), true)
	}
	final := marks[0].Attempts+1 >= s.cfg.MaxAttempts
	if final {
		rep.Failed += len(add) + len(remove)
	}
	return s.store.MarksFailed(ctx, append(add, remove...), 0, clip(err.Error(), 255), final)
}

func tagIDs(ms []Mark) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.TagID
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1])
}
