package jobs

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// Status is a job as operators see it (`guidebox jobs`): its period on this replica and its
// stored lease and last run.
type Status struct {
	State
	Every time.Duration // 0: off on this replica (or not one of its jobs)
	Next  *time.Time    // when it is next due; nil when off here or running
	Phase string        // running, expired (holder gone; the next tick takes it over), ok, failed, never run, off
}

// Statuses lists this scheduler's jobs, then any other job the store knows, each with its state.
func (s *Scheduler) Statuses(ctx context.Context) ([]Status, error) {
	states, err := s.store.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	byName := map[string]State{}
	for _, st := range states {
		byName[st.Name] = st
	}
	now := s.now()
	var out []Status
	for _, j := range s.jobs {
		st, ok := byName[j.Name]
		if !ok {
			st = State{Name: j.Name}
		}
		delete(byName, j.Name)
		out = append(out, status(st, j, ok, now))
	}
	var rest []string
	for name := range byName {
		rest = append(rest, name)
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, status(byName[name], Job{Name: name}, true, now))
	}
	return out, nil
}

// status works out a job's phase and next due time from its state and period.
func status(st State, j Job, stored bool, now time.Time) Status {
	out := Status{State: st, Every: max(j.Every, 0)}
	switch {
	case st.LeaseUntil != nil && st.LeaseUntil.After(now):
		out.Phase = "running"
	case st.LeaseUntil != nil:
		out.Phase = "expired"
	case j.Every <= 0:
		out.Phase = "off"
	case st.LastRunAt == nil:
		out.Phase = "never run"
	case st.LastError != "":
		out.Phase = "failed"
	default:
		out.Phase = "ok"
	}
	if j.Every <= 0 || out.Phase == "running" {
		return out
	}
	var next time.Time
	switch {
	case out.Phase == "expired":
		next = now
	case st.LastRunAt != nil:
		next = st.LastRunAt.Add(j.Every)
	case j.FirstRunNow:
		next = now
	case !stored:
		next = now.Add(j.Every) // the first tick schedules it: due one period later
	default:
		next = st.CreatedAt.Add(j.Every)
	}
	if next.Before(now) {
		next = now
	}
	out.Next = &next
	return out
}
