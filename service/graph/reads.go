package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/guidebox/guidebox/service"
)

// batchReads are a batch's WeCom reads, each made once and shared by every event that needs it.
// Each read is stamped with the time it started (readStamp): that is the version its snapshot is
// written under, newest wins.
type batchReads struct {
	contacts map[string]*contactRead // externalcontact/get, by external_userid
	guides   map[string]*guideRead   // batch/get_by_user pages, by guide userid
	groups   map[string]*groupRead   // groupchat/get, by chat id
	members  map[string]*memberRead  // user/get, by userid
	tags     *tagsRead               // get_corp_tag_list
}

type contactRead struct {
	done  bool
	at    time.Time
	snap  ContactSnapshot
	found bool
	err   error
}

// guideRead reads a guide's customers with batch/get_by_user, page by page, until every customer
// waiting (want) is found or the pages end. Each found customer carries its page's read stamp and
// only that guide's edge (follow_info): the customer's other followers are not read.
type guideRead struct {
	done bool
	want map[string]bool
	got  map[string]contactRead
	err  error
}

type groupRead struct {
	done  bool
	at    time.Time
	g     service.Group
	found bool
	err   error
}

type memberRead struct {
	done  bool
	at    time.Time
	m     Member
	found bool
	err   error
}

type tagsRead struct {
	done   bool
	at     time.Time
	groups []service.TagGroup
	err    error
}

func newBatchReads() *batchReads {
	return &batchReads{contacts: map[string]*contactRead{}, guides: map[string]*guideRead{},
		groups: map[string]*groupRead{}, members: map[string]*memberRead{}}
}

// guide returns the guide's batch read, adding it if new.
func (r *batchReads) guide(userID string) *guideRead {
	g := r.guides[userID]
	if g == nil {
		g = &guideRead{want: map[string]bool{}}
		r.guides[userID] = g
	}
	return g
}

// run makes the reads not yet made, conc at a time, then reads alone (externalcontact/get) the
// customers a guide's batch read did not list: one who removed the guide since, or a guide WeCom
// would not list (no license). Each read writes only its own entry, so they need no lock.
func (r *batchReads) run(ctx context.Context, s *Service, conc int) {
	for wave := 0; wave < 2; wave++ {
		var jobs []func()
		for ext, c := range r.contacts {
			if !c.done {
				jobs = append(jobs, func() { s.readContact(ctx, ext, c) })
			}
		}
		for id, g := range r.guides {
			if !g.done {
				jobs = append(jobs, func() { s.readGuide(ctx, id, g) })
			}
		}
		for id, g := range r.groups {
			if !g.done {
				jobs = append(jobs, func() { s.readGroup(ctx, id, g) })
			}
		}
		for id, m := range r.members {
			if !m.done {
				jobs = append(jobs, func() { s.readMember(ctx, id, m) })
			}
		}
		if r.tags != nil && !r.tags.done {
			jobs = append(jobs, func() { s.readTags(ctx, r.tags) })
		}
		each(len(jobs), conc, func(i int) { jobs[i]() })
		r.readMissingAlone()
	}
}

// readMissingAlone adds an externalcontact/get for each customer a guide's batch read did not list.
// A batch read that failed on WeCom's frequency limit is not retried customer by customer: those
// would wait for the same budget.
func (r *batchReads) readMissingAlone() {
	for _, g := range r.guides {
		if g.err != nil && errors.Is(g.err, service.ErrRateLimited) {
			continue
		}
		for ext := range g.want {
			if _, ok := g.got[ext]; !ok && r.contacts[ext] == nil {
				r.contacts[ext] = &contactRead{}
			}
		}
	}
}

func (s *Service) readContact(ctx context.Context, extID string, c *contactRead) {
	c.done, c.at = true, s.readStamp()
	c.snap, c.found, c.err = s.contact(ctx, extID)
}

// maxGuidePages bounds a guide's batch read (100 customers a page).
const maxGuidePages = 1000

func (s *Service) readGuide(ctx context.Context, userID string, g *guideRead) {
	g.done, g.got = true, map[string]contactRead{}
	cursor := ""
	for range maxGuidePages {
		at := s.readStamp()
		page, next, err := s.dir.ContactsOf(ctx, userID, cursor)
		if err != nil {
			g.err = fmt.Errorf("enrich customers of %s: %w", userID, err)
			return
		}
		for _, snap := range page {
			if ext := snap.Customer.ExternalUserID; g.want[ext] {
				g.got[ext] = contactRead{done: true, at: at, snap: snap, found: true}
			}
		}
		if next == "" || next == cursor || len(g.got) == len(g.want) { // every customer waiting is found
			return
		}
		cursor = next
	}
}

func (s *Service) readGroup(ctx context.Context, chatID string, g *groupRead) {
	g.done, g.at = true, s.readStamp() // the event names what changed, not the new value: the read is the snapshot
	grp, err := s.dir.Group(ctx, chatID)
	switch {
	case errors.Is(err, service.ErrNotFound): // dismissed since; its dismiss event will follow
	case err != nil:
		g.err = fmt.Errorf("enrich group: %w", err)
	default:
		grp.DetailsAt = g.at
		g.g, g.found = grp, true
	}
}

func (s *Service) readMember(ctx context.Context, userID string, m *memberRead) {
	m.done, m.at = true, s.readStamp() // user/get, not the event's fields (update_user sends only what changed)
	mem, err := s.dir.Member(ctx, userID)
	switch {
	case errors.Is(err, service.ErrNotFound):
	case err != nil:
		m.err = fmt.Errorf("enrich member: %w", err)
	default:
		m.m, m.found = mem, true
	}
}

// readTags re-reads every corp tag: tag events are rare and a full copy is always right.
func (s *Service) readTags(ctx context.Context, t *tagsRead) {
	t.done, t.at = true, s.readStamp()
	groups, err := s.dir.CorpTags(ctx)
	if err != nil {
		t.err = fmt.Errorf("enrich tags: %w", err)
		return
	}
	t.groups = groups
}
