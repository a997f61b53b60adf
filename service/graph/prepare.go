package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Claimed is one event of a batch to prepare: the inbox row it came from, held under Lease (zero:
// none), and the event.
type Claimed struct {
	Lease Lease
	Event Event
}

// Prepare does an event's WeCom reads (outside any transaction) and returns its database work,
// which marks the inbox row of lease done when applied (a zero lease: no inbox row).
// A PermanentError or a WeCom failure comes back here, before anything is written. It reads now,
// whatever the budget (an event alone is never deferred).
func (s *Service) Prepare(ctx context.Context, lease Lease, ev Event) (Prepared, error) {
	ps, errs := s.prepare(ctx, []Claimed{{Lease: lease, Event: ev}}, 1, false)
	return ps[0], errs[0]
}

// PrepareAll prepares a batch of events, making each WeCom read once for every event of the batch
// that needs it, at most conc reads at a time:
//   - the contact events waiting for one customer share one externalcontact/get (one read stamp,
//     applied to each; every event keeps its own effect: each add or removal registers by its own time);
//   - a guide with more customers waiting than batch/get_by_user needs pages for them all (100 a
//     page) has them read that way instead (planContacts), and an event a newer read already answered
//     is applied without a read;
//   - the tag events share one get_corp_tag_list, the events of one group one groupchat/get, the
//     events of one member one user/get.
//
// It returns each event's database work, or its error, in the order given: a *DeferredError for an
// event whose read waits for a fuller one (see patience).
func (s *Service) PrepareAll(ctx context.Context, evs []Claimed, conc int) ([]Prepared, []error) {
	return s.prepare(ctx, evs, conc, true)
}

func (s *Service) prepare(ctx context.Context, evs []Claimed, conc int, mayDefer bool) ([]Prepared, []error) {
	ps := make([]Prepared, len(evs))
	errs := make([]error, len(evs))
	r := newBatchReads()
	plan := &contactPlan{skip: make([]bool, len(evs)), mayDefer: mayDefer}
	for i, c := range evs {
		ps[i] = Prepared{Lease: c.Lease, label: c.Event.Event + "/" + c.Event.ChangeType}
		errs[i] = s.need(ctx, c.Event, r, plan, i)
	}
	if err := s.planContacts(ctx, evs, plan, r); err != nil {
		for _, i := range plan.events {
			errs[i] = err
		}
	}
	r.run(ctx, s, conc)
	for i, c := range evs {
		if wait, ok := plan.deferred[i]; ok && errs[i] == nil {
			ps[i], errs[i] = Prepared{}, &DeferredError{Wait: wait}
			continue
		}
		if errs[i] == nil {
			errs[i] = s.build(c.Event, r, plan.skip[i], &ps[i])
		}
		if errs[i] != nil {
			ps[i], errs[i] = Prepared{}, fmt.Errorf("apply %s: %w", ps[i].label, errs[i])
		}
	}
	return ps, errs
}

// need checks ev and notes the reads it needs; contact reads are planned for the whole batch after.
func (s *Service) need(ctx context.Context, ev Event, r *batchReads, plan *contactPlan, i int) error {
	switch ev.Event {
	case EventExternalContact:
		if ev.UserID == "" || ev.ExternalUserID == "" {
			return permanent(errors.New("event lacks UserID or ExternalUserID"))
		}
		if needsContactRead(ev) {
			plan.events = append(plan.events, i)
		}
	case EventExternalChat:
		if ev.ChatID == "" {
			return permanent(errors.New("event lacks ChatId"))
		}
		if s.chatNeedsRead(ctx, ev) && r.groups[ev.ChatID] == nil {
			r.groups[ev.ChatID] = &groupRead{}
		}
	case EventExternalTag:
		if r.tags == nil {
			r.tags = &tagsRead{}
		}
	case EventContact:
		if ev.UserID == "" {
			return permanent(errors.New("event lacks UserID"))
		}
		if id := memberOf(ev); id != "" && r.members[id] == nil {
			r.members[id] = &memberRead{}
		}
	}
	return nil
}

// build turns ev and the batch's reads into its database work.
func (s *Service) build(ev Event, r *batchReads, skip bool, p *Prepared) error {
	var err error
	switch ev.Event {
	case EventExternalContact:
		p.op, p.run, err = s.contactWork(ev, r, skip)
	case EventExternalChat:
		p.run, err = s.chatWork(ev, r.groups[ev.ChatID])
	case EventExternalTag:
		p.run, err = s.tagsWork(r.tags)
	case EventContact:
		p.run, err = s.memberWork(ev, r.members[memberOf(ev)])
	} // plain messages and unknown events are kept in the inbox, not errors
	return err
}

// each runs fn(0..n-1) with at most conc at once.
func each(n, conc int, fn func(i int)) {
	sem := make(chan struct{}, max(1, conc))
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}
