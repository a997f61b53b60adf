package tasks

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// TaskSummary is a task with its counts, for the list.
type TaskSummary struct {
	Task   Task
	Totals Totals
}

// List returns tasks newest first with their counts; a limited scope sees the tasks of its stores.
func (s *Service) List(ctx context.Context, f TaskFilter, scope Scope) ([]TaskSummary, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	ts, err := s.store.ListTasks(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	ts = slices.DeleteFunc(ts, func(t Task) bool { return !scope.covers(t.Target.StoreIDs) })
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	totals, err := s.store.Totals(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list tasks: %w", err)
	}
	out := make([]TaskSummary, len(ts))
	for i, t := range ts {
		out[i] = TaskSummary{Task: t, Totals: totals[t.ID]}
	}
	return out, nil
}

// StoreProgress is one store's part of a task.
type StoreProgress struct {
	StoreID int64
	Name    string
	Totals
}

// GuideView is one guide's part of a task as the console shows it.
type GuideView struct {
	GuideProgress
	Behind bool // has not sent, and the deadline is near (or passed)
}

// TaskView is a task with its completion per store and per guide (guides behind first).
type TaskView struct {
	Task   Task
	Totals Totals
	Stores []StoreProgress
	Guides []GuideView
}

// View returns a task with its completion per store and guide, by name.
func (s *Service) View(ctx context.Context, id int64, scope Scope) (TaskView, error) {
	t, err := s.Get(ctx, id, scope)
	if err != nil {
		return TaskView{}, err
	}
	ps, err := s.store.Progress(ctx, id)
	if err != nil {
		return TaskView{}, fmt.Errorf("task %d progress: %w", id, err)
	}
	v := TaskView{Task: t}
	stores := map[int64]*StoreProgress{}
	near := !s.now().Before(t.Deadline.Add(-max(s.cfg.RemindBefore, 0)))
	for _, p := range ps {
		if !scope.All() && !slices.Contains(scope.StoreIDs, p.StoreID) {
			continue
		}
		g := GuideView{GuideProgress: p, Behind: p.Status == AssignMissed || (p.Status == AssignWaiting && near)}
		v.Guides = append(v.Guides, g)
		sp := stores[p.StoreID]
		if sp == nil {
			sp = &StoreProgress{StoreID: p.StoreID, Name: p.StoreName}
			stores[p.StoreID] = sp
		}
		for _, tot := range []*Totals{&v.Totals, &sp.Totals} {
			tot.add(p.Assignment)
		}
	}
	for _, sp := range stores {
		v.Stores = append(v.Stores, *sp)
	}
	slices.SortFunc(v.Stores, func(a, b StoreProgress) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortStableFunc(v.Guides, func(a, b GuideView) int {
		if a.Behind != b.Behind {
			if a.Behind {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.StoreName, b.StoreName), cmp.Compare(a.Name, b.Name), cmp.Compare(a.UserID, b.UserID))
	})
	return v, nil
}

// add counts one assignment.
func (t *Totals) add(a Assignment) {
	t.Guides++
	if a.Status == AssignDone {
		t.Done++
	}
	t.Customers += a.Customers
	t.Sent += a.Sent
	t.Failed += a.Failed
}

// guideTaskWindow is how long a task stays in a guide's list after its deadline.
const guideTaskWindow = 7 * 24 * time.Hour

// GuideTasks lists a guide's tasks for the sidebar: not cancelled, deadline within the last week
// or ahead, soonest deadline first.
func (s *Service) GuideTasks(ctx context.Context, userID string) ([]GuideTask, error) {
	ts, err := s.store.GuideTasks(ctx, userID, s.now().Add(-guideTaskWindow), 20)
	if err != nil {
		return nil, fmt.Errorf("tasks of %s: %w", userID, err)
	}
	return ts, nil
}
