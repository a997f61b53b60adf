package jobdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"github.com/guidebox/guidebox/repo"
	"github.com/guidebox/guidebox/repo/jobdb"
	"github.com/guidebox/guidebox/repo/repotest"
	"github.com/guidebox/guidebox/service/jobs"
)

// TestLeaseLifecycle walks one job's row through both dialects: taken by one holder only, renewed
// by it alone, released with its result, skipped within the period, taken over when expired, and
// handed over at once when its holder shuts down. Other corps' rows are separate.
func TestLeaseLifecycle(t *testing.T) {
	for _, driver := range []string{repo.DriverMySQL, repo.DriverSQLite} {
		t.Run(driver, func(t *testing.T) {
			var db *gorm.DB
			if driver == repo.DriverMySQL {
				db = repotest.New(t)
			} else {
				db = repotest.NewSQLite(t)
			}
			lifecycle(t, db)
		})
	}
}

func lifecycle(t *testing.T, db *gorm.DB) {
	ctx := context.Background()
	s, other := jobdb.New(db, "ww1"), jobdb.New(db, "ww2")
	t0 := time.Date(2025, 3, 3, 2, 0, 0, 0, time.UTC)
	const every, lease = time.Hour, 5 * time.Minute
	claim := func(holder string, at time.Time) bool {
		t.Helper()
		ok, err := s.Acquire(ctx, jobs.Claim{Name: "sweep", Holder: holder, Now: at, Every: every, Lease: lease, FirstRunNow: true})
		require.NoError(t, err)
		return ok
	}
	require.True(t, claim("a", t0))
	assert.False(t, claim("b", t0), "held by a")
	ok, err := other.Acquire(ctx, jobs.Claim{Name: "sweep", Holder: "b", Now: t0, Every: every, Lease: lease, FirstRunNow: true})
	require.NoError(t, err)
	assert.True(t, ok, "another corp's job is its own")

	ok, err = s.Renew(ctx, "sweep", "b", t0.Add(time.Minute), lease)
	require.NoError(t, err)
	assert.False(t, ok, "b does not hold it")
	ok, err = s.Renew(ctx, "sweep", "a", t0.Add(4*time.Minute), lease)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.Renew(ctx, "sweep", "a", t0.Add(4*time.Minute), lease)
	require.NoError(t, err)
	assert.True(t, ok, "renewing to the same time is still a's lease")
	assert.False(t, claim("b", t0.Add(6*time.Minute)), "renewed until 9m")

	ok, err = s.Finish(ctx, jobs.Result{Name: "sweep", Holder: "a", At: t0.Add(7 * time.Minute), Err: "boom"})
	require.NoError(t, err)
	assert.True(t, ok)
	assert.False(t, claim("b", t0.Add(59*time.Minute)), "ran 59 minutes ago")
	require.True(t, claim("b", t0.Add(time.Hour)), "due a period after the last run began")

	assert.False(t, claim("a", t0.Add(time.Hour+lease)), "b's lease ends after 5m, not at")
	require.True(t, claim("a", t0.Add(time.Hour+lease+time.Second)), "b stopped renewing: taken over")
	ok, err = s.Finish(ctx, jobs.Result{Name: "sweep", Holder: "b", At: t0.Add(2 * time.Hour)})
	require.NoError(t, err)
	assert.False(t, ok, "b's late result is not recorded")

	ok, err = s.Finish(ctx, jobs.Result{Name: "sweep", Holder: "a", At: t0.Add(70 * time.Minute), Err: "interrupted by shutdown: context canceled", Interrupted: true})
	require.NoError(t, err)
	assert.True(t, ok)
	require.True(t, claim("b", t0.Add(70*time.Minute+time.Second)), "an interrupted run is handed over at once")

	states, err := s.List(ctx)
	require.NoError(t, err)
	require.Len(t, states, 1)
	st := states[0]
	assert.Equal(t, "b", st.Holder)
	assert.Equal(t, t0.Add(70*time.Minute+time.Second), *st.LastRunAt)
	assert.Equal(t, t0.Add(70*time.Minute+time.Second+lease), *st.LeaseUntil)
	assert.Equal(t, "interrupted by shutdown: context canceled", st.LastError)
	assert.Nil(t, st.LastOKAt, "no run succeeded yet")
	assert.Equal(t, t0, st.CreatedAt)
}
