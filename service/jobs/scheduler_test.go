package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/jobs"
)

// TestReplicasRunAJobOncePerPeriod: four replicas tick at the same instants, racing for the lease;
// the job runs once per period, never twice, and ticks within the period (the job ran recently,
// on another replica) run nothing.
func TestReplicasRunAJobOncePerPeriod(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var c counter
	var rs []*jobs.Scheduler
	for i := range 4 {
		name := fmt.Sprintf("replica-%d", i)
		rs = append(rs, w.replica(name, 5*time.Minute, jobs.Job{Name: "sweep", Every: time.Hour, FirstRunNow: true, Run: c.job(name)}))
	}
	for period := 1; period <= 5; period++ {
		tickAll(ctx, rs...)
		assert.Equal(t, period, c.total(), "period %d: one run", period)
		for range 5 { // the rest of the period: every replica ticks and finds the recent run
			w.clock.Advance(10 * time.Minute)
			tickAll(ctx, rs...)
		}
		assert.Equal(t, period, c.total(), "period %d: no second run within the period", period)
		w.clock.Advance(10 * time.Minute)
	}
	st, ok := w.state("sweep")
	require.True(t, ok)
	assert.Nil(t, st.LeaseUntil, "released after the run")
	assert.Contains(t, c.runs, st.Holder, "the row names the replica that ran last")
	assert.Equal(t, w.clock.Now().Add(-time.Hour), *st.LastRunAt)
	assert.Equal(t, *st.LastRunAt, *st.LastOKAt)
	assert.Empty(t, st.LastError)
}

// TestNewJobWaitsOnePeriod: without FirstRunNow a job's first run comes one period after the first
// replica scheduled it, as the old per-process tickers did, and a replica started later does not
// restart that wait.
func TestNewJobWaitsOnePeriod(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var c counter
	job := func(name string) jobs.Job {
		return jobs.Job{Name: "reconcile", Every: 24 * time.Hour, Run: c.job(name)}
	}
	a := w.replica("a", 5*time.Minute, job("a"))
	tickAll(ctx, a)
	assert.Zero(t, c.total(), "scheduled, not run")
	w.clock.Advance(23 * time.Hour)
	b := w.replica("b", 5*time.Minute, job("b")) // a replica deployed later
	tickAll(ctx, a, b)
	assert.Zero(t, c.total())
	w.clock.Advance(time.Hour)
	tickAll(ctx, a, b)
	assert.Equal(t, 1, c.total(), "due 24 h after it was first scheduled")
}

// TestHolderThatStopsRenewingLosesTheJob: a long run renews its lease, so another replica cannot
// take the job while it runs; once the holder stops renewing (hung), the job is taken over when
// the lease ends, and the old holder's run is cancelled with ErrLeaseLost when it wakes up,
// without overwriting the new holder's result.
func TestHolderThatStopsRenewingLosesTheJob(t *testing.T) {
	const lease = 3 * time.Minute
	w := newWorld(t)
	ctx := context.Background()
	started, giveUp := make(chan struct{}), make(chan struct{})
	var cause error
	a := w.replica("a", lease, jobs.Job{Name: "reconcile", Every: time.Hour, FirstRunNow: true, Run: func(ctx context.Context) error {
		close(started)
		select { // a long run: ends when cancelled (or when the test gives up on that)
		case <-ctx.Done():
		case <-giveUp:
		}
		cause = context.Cause(ctx)
		return ctx.Err()
	}})
	var c counter
	b := w.replica("b", lease, jobs.Job{Name: "reconcile", Every: time.Hour, FirstRunNow: true, Run: c.job("b")})

	a.Tick(ctx)
	st, _ := w.state("reconcile")
	require.Equal(t, "a", st.Holder, "a won the lease")
	<-started
	for range 3 { // a's run lasts three leases, renewing as it goes
		w.clock.Advance(2 * time.Minute)
		a.Tick(ctx)
		w.clock.Advance(2 * time.Minute) // past the lease a held before renewing
		tickAll(ctx, b)
		assert.Zero(t, c.total(), "b took the job from a running, renewing holder")
	}
	st, _ = w.state("reconcile")
	assert.Equal(t, "a", st.Holder)

	w.clock.Advance(lease) // a stops renewing (hung); its lease ends
	sts, err := b.Statuses(ctx)
	require.NoError(t, err)
	assert.Equal(t, "expired", sts[0].Phase)
	tickAll(ctx, b)
	assert.Equal(t, 1, c.total(), "b took over the expired lease")

	a.Tick(ctx) // a wakes up: its renewal finds the job gone and cancels the run at once
	close(giveUp)
	a.Wait()
	assert.ErrorIs(t, cause, jobs.ErrLeaseLost)
	st, _ = w.state("reconcile")
	assert.Equal(t, "b", st.Holder)
	assert.Nil(t, st.LeaseUntil)
	assert.Empty(t, st.LastError, "a's cancelled run wrote nothing over b's result")
	assert.Equal(t, w.clock.Now(), *st.LastOKAt)
}

// TestShutdownHandsTheJobOver: a replica shutting down mid-run records the interruption and
// leaves the lease expired, so the next replica to tick runs the job at once instead of after
// the lease.
func TestShutdownHandsTheJobOver(t *testing.T) {
	w := newWorld(t)
	started := make(chan struct{})
	a := w.replica("a", 5*time.Minute, jobs.Job{Name: "purge", Every: time.Hour, FirstRunNow: true, Run: func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		return fmt.Errorf("purge inbox: %w", ctx.Err())
	}})
	var c counter
	b := w.replica("b", 5*time.Minute, jobs.Job{Name: "purge", Every: time.Hour, FirstRunNow: true, Run: c.job("b")})
	ctx, cancel := context.WithCancel(context.Background())
	a.Tick(ctx)
	st, _ := w.state("purge")
	require.Equal(t, "a", st.Holder, "a won the lease")
	<-started
	cancel()
	a.Wait()
	st, _ = w.state("purge")
	assert.Contains(t, st.LastError, "interrupted by shutdown")
	w.clock.Advance(time.Second)
	tickAll(context.Background(), b)
	assert.Equal(t, 1, c.total(), "b ran the interrupted job without waiting for the lease or the period")
}

// TestFailingJobIsRetriedNextPeriod: a failed run records its error (clipped, secrets masked),
// is not retried within the period, and runs again the next period; a success clears the error.
func TestFailingJobIsRetriedNextPeriod(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var runs atomic.Int32
	fail := errors.New(`wecom cgi-bin/externalcontact/get_unassigned_list: Get "https://qyapi.weixin.qq.com/cgi-bin/x?access_token=TOKEN123&cursor=": EOF; secret corp-secret-value`)
	a := w.replica("a", 5*time.Minute, jobs.Job{Name: "handover.reconcile", Every: 6 * time.Hour, FirstRunNow: true, Run: func(context.Context) error {
		if runs.Add(1) == 1 {
			return fmt.Errorf("reconcile: %w", fail)
		}
		return nil
	}})
	tickAll(ctx, a)
	require.Equal(t, int32(1), runs.Load())
	st, _ := w.state("handover.reconcile")
	assert.Contains(t, st.LastError, "get_unassigned_list")
	assert.NotContains(t, st.LastError, "TOKEN123")
	assert.NotContains(t, st.LastError, "corp-secret-value")
	assert.Nil(t, st.LastOKAt)
	assert.Nil(t, st.LeaseUntil, "a failed run releases the job")

	w.clock.Advance(time.Hour)
	tickAll(ctx, a)
	assert.Equal(t, int32(1), runs.Load(), "not retried within the period")
	w.clock.Advance(5 * time.Hour)
	tickAll(ctx, a)
	assert.Equal(t, int32(2), runs.Load(), "retried the next period")
	st, _ = w.state("handover.reconcile")
	assert.Empty(t, st.LastError)
	assert.Equal(t, w.clock.Now(), *st.LastOKAt)
}

// TestPanickingJobIsRecorded: a job's panic is a failed run, not a dead replica.
func TestPanickingJobIsRecorded(t *testing.T) {
	w := newWorld(t)
	a := w.replica("a", 5*time.Minute, jobs.Job{Name: "boom", Every: time.Hour, FirstRunNow: true, Run: func(context.Context) error {
		panic("nil map")
	}})
	tickAll(context.Background(), a)
	st, _ := w.state("boom")
	assert.Contains(t, st.LastError, "panicked: nil map")
}

// TestIntervalZeroNeverRuns: a job whose interval is 0 (or negative) is off: it never runs and
// takes no lease, however long the replicas tick.
func TestIntervalZeroNeverRuns(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var c counter
	a := w.replica("a", 5*time.Minute, jobs.Job{Name: "off", Every: 0, FirstRunNow: true, Run: c.job("a")},
		jobs.Job{Name: "negative", Every: -time.Hour, Run: c.job("a")})
	for range 10 {
		tickAll(ctx, a)
		w.clock.Advance(24 * time.Hour)
	}
	assert.Zero(t, c.total())
	_, ok := w.state("off")
	assert.False(t, ok, "no row for a job that is off")
	sts, err := a.Statuses(ctx)
	require.NoError(t, err)
	require.Len(t, sts, 2)
	assert.Equal(t, "off", sts[0].Phase)
	assert.Nil(t, sts[0].Next)
}
