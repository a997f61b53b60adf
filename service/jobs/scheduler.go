package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Job is a named periodic task.
type Job struct {
	Name  string        // unique, ≤ 64 characters: the job's row in the store
	Every time.Duration // the period between the starts of two runs; 0 or less: the job is off
	// FirstRunNow runs a job that never ran as soon as it is scheduled, instead of one period later.
	FirstRunNow bool
	// Run does the work. Its ctx ends when the scheduler stops or the lease is lost to another
	// replica (context.Cause is then ErrLeaseLost); it should return soon after.
	Run func(ctx context.Context) error
}

// ErrLeaseLost is the cause of a run's cancellation when its lease expired and another replica
// took the job over (or renewal kept failing for a whole lease): the job is that replica's now.
var ErrLeaseLost = errors.New("job lease lost to another replica")

// Config tunes a Scheduler; zero fields get their defaults.
type Config struct {
	Holder  string        // this replica's name in the leases (required)
	Lease   time.Duration // how long a run holds its job without renewing (default 5 m)
	Tick    time.Duration // how often due jobs are looked for and leases renewed (default 30 s, at most Lease/3)
	Secrets []string      // values masked in recorded and logged errors, besides the usual query parameters
	Now     func() time.Time
}

// Scheduler runs its jobs on this replica whenever it wins their lease.
type Scheduler struct {
	cfg   Config
	store Store
	log   *slog.Logger
	jobs  []Job

	mu      sync.Mutex
	running map[string]*run
	wg      sync.WaitGroup
}

// run is a job running here: when its lease was last renewed, and how to stop it.
type run struct {
	renewed time.Time
	cancel  context.CancelCauseFunc
}

// New returns a Scheduler of jobs; jobs with Every ≤ 0 are listed but never run.
func New(cfg Config, store Store, log *slog.Logger, jobs ...Job) (*Scheduler, error) {
	if cfg.Holder == "" {
		return nil, fmt.Errorf("jobs: holder must be set")
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	if cfg.Tick <= 0 {
		cfg.Tick = 30 * time.Second
	}
	cfg.Tick = min(cfg.Tick, cfg.Lease/3) // renew well before the lease ends
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	seen := map[string]bool{}
	for _, j := range jobs {
		switch {
		case j.Name == "" || len(j.Name) > 64:
			return nil, fmt.Errorf("jobs: job name %q must have 1 to 64 characters", j.Name)
		case seen[j.Name]:
			return nil, fmt.Errorf("jobs: job %q twice", j.Name)
		case j.Run == nil:
			return nil, fmt.Errorf("jobs: job %q has no Run", j.Name)
		}
		seen[j.Name] = true
	}
	return &Scheduler{cfg: cfg, store: store, log: log, jobs: jobs, running: map[string]*run{}}, nil
}

func (s *Scheduler) now() time.Time { return s.cfg.Now().UTC() }

// Run ticks until ctx ends, then waits for the runs it started to stop and record how they ended.
func (s *Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		s.Tick(ctx)
		select {
		case <-ctx.Done():
			s.Wait()
			return
		case <-t.C:
		}
	}
}

// Tick renews the leases of the jobs running here, then starts each due job whose lease this
// replica wins. The runs go on in their own goroutines; Wait waits for them.
func (s *Scheduler) Tick(ctx context.Context) {
	s.renew(ctx)
	for _, j := range s.jobs {
		if j.Every <= 0 || ctx.Err() != nil || s.isRunning(j.Name) {
			continue
		}
		now := s.now()
		ok, err := s.store.Acquire(ctx, Claim{Name: j.Name, Holder: s.cfg.Holder, Now: now, Every: j.Every, Lease: s.cfg.Lease, FirstRunNow: j.FirstRunNow})
		if err != nil {
			if ctx.Err() == nil {
				s.log.ErrorContext(ctx, "job lease failed", "job", j.Name, "err", s.errorText(err))
			}
			continue
		}
		if ok {
			s.start(ctx, j, now)
		}
	}
}

// Wait blocks until every run this scheduler started has ended and been recorded.
func (s *Scheduler) Wait() { s.wg.Wait() }

func (s *Scheduler) isRunning(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.running[name] != nil
}

// renew extends the lease of each job running here once a third of it has passed. A lease found
// taken over, or not renewed for a whole lease because the store failed, stops the run.
func (s *Scheduler) renew(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, r := range s.running {
		now := s.now()
		if now.Sub(r.renewed) < s.cfg.Lease/3 {
			continue
		}
		ok, err := s.store.Renew(ctx, name, s.cfg.Holder, now, s.cfg.Lease)
		switch {
		case err != nil:
			s.log.WarnContext(ctx, "job lease renewal failed", "job", name, "err", s.errorText(err))
			if now.Sub(r.renewed) >= s.cfg.Lease {
				r.cancel(ErrLeaseLost)
			}
		case !ok:
			r.cancel(ErrLeaseLost)
		default:
			r.renewed = now
		}
	}
}

// start runs j in its own goroutine under the lease taken at now.
func (s *Scheduler) start(ctx context.Context, j Job, now time.Time) {
	runCtx, cancel := context.WithCancelCause(ctx)
	r := &run{renewed: now, cancel: cancel}
	s.mu.Lock()
	s.running[j.Name] = r
	s.mu.Unlock()
	s.wg.Add(1)
	s.log.InfoContext(ctx, "job started", "job", j.Name, "holder", s.cfg.Holder)
	go func() {
		defer s.wg.Done()
		err := runSafely(runCtx, j)
		s.finish(ctx, runCtx, j, now, err)
		cancel(nil)
		s.mu.Lock()
		delete(s.running, j.Name)
		s.mu.Unlock()
	}()
}

// runSafely runs j, turning a panic into an error: one job's bug does not take the replica down.
func runSafely(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, p)
		}
	}()
	return j.Run(ctx)
}

// finish records how the run begun at start ended, unless its lease went to another replica.
func (s *Scheduler) finish(ctx, runCtx context.Context, j Job, start time.Time, err error) {
	took := s.now().Sub(start).Round(time.Millisecond).String()
	if errors.Is(context.Cause(runCtx), ErrLeaseLost) {
		s.log.WarnContext(ctx, "job stopped: its lease went to another replica", "job", j.Name, "took", took)
		return
	}
	res := Result{Name: j.Name, Holder: s.cfg.Holder, At: s.now()}
	if err != nil {
		res.Err, res.Interrupted = s.errorText(err), ctx.Err() != nil
		if res.Interrupted {
			res.Err = "interrupted by shutdown: " + res.Err
		}
	}
	ok, ferr := s.store.Finish(context.WithoutCancel(ctx), res)
	switch {
	case ferr != nil:
		s.log.ErrorContext(ctx, "job result not recorded", "job", j.Name, "err", s.errorText(ferr))
	case !ok:
		s.log.WarnContext(ctx, "job result not recorded: its lease went to another replica", "job", j.Name)
	}
	switch {
	case res.Interrupted:
		s.log.InfoContext(ctx, "job interrupted by shutdown", "job", j.Name, "took", took)
	case err != nil:
		s.log.ErrorContext(ctx, "job failed", "job", j.Name, "took", took, "err", res.Err)
	default:
		s.log.InfoContext(ctx, "job done", "job", j.Name, "took", took)
	}
}
