package jobs

import (
	"context"
	"time"
)

// Store keeps each job's lease and its last run, shared by every replica (repo/jobdb).
type Store interface {
	// Acquire takes the lease of c.Name for c.Holder until c.Now+c.Lease, and marks a run begun at
	// c.Now, when the job is due: no live lease, and its last run began at least c.Every before
	// c.Now (never run: c.Every after the job was first seen, or at once with c.FirstRunNow); or
	// its lease has expired (the holder died). It reports whether c.Holder won; exactly one of
	// several replicas claiming at once does.
	Acquire(ctx context.Context, c Claim) (bool, error)
	// Renew extends holder's lease of name to now+lease; false once the lease is not holder's
	// (another replica took it over after it expired).
	Renew(ctx context.Context, name, holder string, now time.Time, lease time.Duration) (bool, error)
	// Finish records the end of holder's run and releases the lease; false when the lease was no
	// longer holder's (nothing is written then).
	Finish(ctx context.Context, r Result) (bool, error)
	// List returns every job's stored state, by name.
	List(ctx context.Context) ([]State, error)
}

// Claim is one replica's attempt to run a job now.
type Claim struct {
	Name, Holder string
	Now          time.Time
	Every        time.Duration // the job's period
	Lease        time.Duration // how long the holder keeps the job without renewing
	FirstRunNow  bool          // a job that never ran is due at once, not one period after it was first seen
}

// Result is how a run ended.
type Result struct {
	Name, Holder string
	At           time.Time // when it ended
	Err          string    // "" when it succeeded; clipped, secrets masked (ErrorText)
	// Interrupted: the holder is shutting down before the run finished. The lease is released
	// as expired, so the next replica to tick takes the job over at once.
	Interrupted bool
}

// State is a job's row: its lease and its last run.
type State struct {
	Name       string
	Holder     string     // the replica holding the lease, or the last one that did
	LeaseUntil *time.Time // nil: not running
	LastRunAt  *time.Time // when the last run began
	LastDoneAt *time.Time // when the last run ended (ok or not)
	LastOKAt   *time.Time // when a run last succeeded
	LastError  string     // the last run's error; "" after a success
	CreatedAt  time.Time  // when a replica first scheduled the job
}
