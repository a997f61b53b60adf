package kpi

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/guidebox/guidebox/service"
)

// Config tunes the rollups.
type Config struct {
	// AttributionDays is how far back a send takes an order's credit (kpi.attribution_days, default 7).
	AttributionDays int
	// Location is the corp's time zone: days begin at its midnight (kpi.timezone, Asia/Shanghai).
	Location *time.Location
	// Batch is how many activity rows one Step folds (kpi.batch, default 50,000: a rebuild's cost is
	// per guide-day and mark a batch writes, and a guide-day met in fewer batches is written fewer times).
	Batch int
	// GapWait is how long a missing id (an insert not committed yet, or rolled back) holds the
	// watermark before it is taken as never coming (default 30 s): auto-increment ids are handed
	// out before commit, so a later id may be visible before an earlier one.
	GapWait time.Duration
	// Now is the clock (time.Now).
	Now func() time.Time
}

// Service folds the activity log into the rollups and answers the console's questions.
type Service struct {
	cfg   Config
	store Store
	tx    service.Transactor
	log   *slog.Logger

	mu      sync.Mutex
	gapID   int64 // the missing id the watermark waits for
	gapSeen time.Time
	staffed *staffCache // the guides in service per store (staff.go)
}

// New builds the service; zero config fields get their defaults.
func New(cfg Config, store Store, tx service.Transactor, log *slog.Logger) *Service {
	if cfg.AttributionDays <= 0 {
		cfg.AttributionDays = 7
	}
	if cfg.Location == nil {
		cfg.Location = shanghai()
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 50000
	}
	if cfg.GapWait <= 0 {
		cfg.GapWait = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{cfg: cfg, store: store, tx: tx, log: log}
}

// shanghai is Asia/Shanghai, or UTC+8 where the zone database is missing.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// Location is the corp's time zone.
func (s *Service) Location() *time.Location { return s.cfg.Location }

// Step folds one batch: a pending ranged rebuild's next events first, else the events past the
// watermark. It reports how many rows it consumed (0: nothing to do now).
func (s *Service) Step(ctx context.Context) (int, error) {
	n := 0
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.store.LockState(ctx)
		if err != nil {
			return err
		}
		if st.ReplayUpto > 0 {
			n, err = s.replayStep(ctx, &st)
		} else {
			n, err = s.incrementStep(ctx, &st)
		}
		if err != nil || n == 0 {
			return err
		}
		return s.store.SaveState(ctx, st)
	})
	if err != nil {
		return 0, fmt.Errorf("kpi step: %w", err)
	}
	return n, nil
}

// incrementStep folds the events past the watermark, up to the first id missing for less than GapWait.
func (s *Service) incrementStep(ctx context.Context, st *State) (int, error) {
	evs, last, err := s.store.Events(ctx, EventQuery{After: st.Watermark, Limit: s.cfg.Batch})
	if err != nil || last == 0 {
		return 0, err
	}
	evs, last = s.contiguous(st.Watermark, evs, last)
	if last <= st.Watermark {
		return 0, nil
	}
	if err := s.apply(ctx, evs, nil); err != nil {
		return 0, err
	}
	n := int(last - st.Watermark)
	st.Watermark = last
	return n, nil
}

// contiguous cuts the batch at the first missing id that has been missing for less than GapWait.
// Events returns every row read (kinds not counted with an empty Kind), so gaps show in the ids.
func (s *Service) contiguous(after int64, evs []Event, last int64) ([]Event, int64) {
	expect := after + 1
	for i, e := range evs {
		if e.ID != expect && s.waitGap(expect) {
			return evs[:i], expect - 1
		}
		expect = e.ID + 1
	}
	return evs, last
}

// waitGap reports whether the watermark must still wait for id: it was first seen missing less than
// GapWait ago.
func (s *Service) waitGap(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	if s.gapID != id {
		s.gapID, s.gapSeen = id, now
	}
	return now.Sub(s.gapSeen) < s.cfg.GapWait
}

// replayStep folds the next events of a ranged rebuild, keeping only what falls on its days.
func (s *Service) replayStep(ctx context.Context, st *State) (int, error) {
	loc := s.cfg.Location
	q := EventQuery{After: st.ReplayCursor, Upto: st.ReplayUpto, Limit: s.cfg.Batch,
		Since: st.ReplayFrom.Time(loc), Until: st.ReplayTo.AddDays(s.cfg.AttributionDays + 1).Time(loc)}
	evs, last, err := s.store.Events(ctx, q)
	if err != nil {
		return 0, err
	}
	if last == 0 { // replay done
		*st = State{Watermark: st.Watermark}
		return 1, nil
	}
	from, to := st.ReplayFrom, st.ReplayTo
	if err := s.apply(ctx, evs, func(d Day) bool { return d >= from && d <= to }); err != nil {
		return 0, err
	}
	n := int(last - st.ReplayCursor)
	st.ReplayCursor = last
	return n, nil
}

// CatchUp runs Steps until nothing is left (or ctx ends), reporting the rows consumed.
func (s *Service) CatchUp(ctx context.Context) (int, error) {
	total := 0
	for ctx.Err() == nil {
		n, err := s.Step(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
	return total, ctx.Err()
}

// Rebuild recomputes the rollups from the activity log: every day (from and to 0), or the days
// [from, to]. It resets them in one transaction and leaves the replay to Step (CatchUp, the job):
// a crash in between resumes where it stopped.
func (s *Service) Rebuild(ctx context.Context, from, to Day) error {
	if (from == 0) != (to == 0) || from > to {
		return service.Invalid("from", "a rebuild takes both --from and --to (from ≤ to), or neither")
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.store.LockState(ctx)
		if err != nil {
			return err
		}
		if err := s.store.Reset(ctx, from, to); err != nil {
			return err
		}
		if from == 0 {
			return s.store.SaveState(ctx, State{})
		}
		st.ReplayFrom, st.ReplayTo, st.ReplayUpto, st.ReplayCursor = from, to, st.Watermark, 0
		if st.ReplayUpto == 0 { // nothing folded yet: the increments will cover the days
			st = State{}
		}
		return s.store.SaveState(ctx, st)
	})
}

// Status is the rollups' state with the newest event id.
func (s *Service) Status(ctx context.Context) (State, int64, error) {
	var st State
	var maxID int64
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if st, err = s.store.LockState(ctx); err != nil {
			return err
		}
		maxID, err = s.store.MaxEventID(ctx)
		return err
	})
	return st, maxID, err
}
