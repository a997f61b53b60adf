package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/jobdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/jobs"
)

const corp = "wwjobs"

// clock is the replicas' shared manual clock: time moves only when a test says so.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is one throwaway MySQL database that several replicas share, each over its own pool.
type world struct {
	t     *testing.T
	dsn   string
	clock *clock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	dsn := repotest.DSN(t)
	db := open(t, dsn)
	_, err := repo.Migrate(context.Background(), db)
	require.NoError(t, err)
	return &world{t: t, dsn: dsn, clock: &clock{t: time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)}}
}

func open(t *testing.T, dsn string) *gorm.DB {
	t.Helper()
	db, err := repo.Open(repo.DriverMySQL, dsn)
	require.NoError(t, err)
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			_ = sqlDB.Close()
		}
	})
	return db
}

// replica is a scheduler named holder with its own connection pool, as another process would have.
func (w *world) replica(holder string, lease time.Duration, js ...jobs.Job) *jobs.Scheduler {
	w.t.Helper()
	s, err := jobs.New(jobs.Config{Holder: holder, Lease: lease, Now: w.clock.Now, Secrets: []string{"corp-secret-value"}},
		jobdb.New(open(w.t, w.dsn), corp), slog.New(slog.NewTextHandler(io.Discard, nil)), js...)
	require.NoError(w.t, err)
	return s
}

// state reads a job's row as a third party (`guidebox jobs`) would.
func (w *world) state(name string) (jobs.State, bool) {
	w.t.Helper()
	states, err := jobdb.New(open(w.t, w.dsn), corp).List(context.Background())
	require.NoError(w.t, err)
	for _, st := range states {
		if st.Name == name {
			return st, true
		}
	}
	return jobs.State{}, false
}

// tickAll ticks every replica at the same moment (concurrently, racing for the leases) and waits
// for the runs they started to end.
func tickAll(ctx context.Context, rs ...*jobs.Scheduler) {
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		go func() { defer wg.Done(); r.Tick(ctx) }()
	}
	wg.Wait()
	for _, r := range rs {
		r.Wait()
	}
}

// counter is a job body that counts its runs by replica.
type counter struct {
	mu   sync.Mutex
	runs map[string]int
}

func (c *counter) job(replica string) func(context.Context) error {
	return func(context.Context) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.runs == nil {
			c.runs = map[string]int{}
		}
		c.runs[replica]++
		return nil
	}
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.runs {
		n += v
	}
	return n
}
