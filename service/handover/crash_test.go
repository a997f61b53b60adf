package handover_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/guidebox/guidebox/service/handover"
)

var errKilled = errors.New("killed")

// TestResumeAfterKill kills the job at several points of a send, then lets a fresh service
// instance resume: no customer is ever submitted twice and every one ends accounted for.
func TestResumeAfterKill(t *testing.T) {
	tests := []struct {
		name string
		kill func(e *hEnv, cfg *handover.Config, cancel context.CancelFunc)
	}{
		{"between batch recorded and call sent", func(_ *hEnv, cfg *handover.Config, _ context.CancelFunc) {
			cfg.Hooks.AfterBatchRecorded = killOn(2)
		}},
		{"between call sent and result recorded", func(_ *hEnv, cfg *handover.Config, _ context.CancelFunc) {
			cfg.Hooks.AfterBatchSent = killOn(2)
		}},
		{"context cancelled before the call", func(_ *hEnv, cfg *handover.Config, cancel context.CancelFunc) {
			n := 0
			cfg.Hooks.AfterBatchRecorded = func(handover.Batch) error {
				if n++; n == 2 {
					cancel()
				}
				return nil
			}
		}},
		{"connection dropped on the call", func(e *hEnv, _ *handover.Config, _ context.CancelFunc) {
			e.sim.SetDrop("/cgi-bin/externalcontact/resigned/transfer_customer", 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newHEnv(t)
			e.guides(10, "gone", "a", "b", "c")
			e.customers("gone", 250)
			id := e.resign("gone")
			_, err := e.svc.SetPlan(e.ctx, "admin1", id, handover.Plan{Strategy: handover.StrategyRoundRobin})
			require.NoError(t, err)
			_, err = e.svc.Execute(e.ctx, "admin1", id)
			require.NoError(t, err)

			ctx, cancel := context.WithCancel(e.ctx)
			defer cancel()
			cfg := e.cfg
			tt.kill(e, &cfg, cancel)
			require.Error(t, e.newService(cfg).RunCase(ctx, id), "the first run dies")
			assert.NotZero(t, e.states(id)[handover.ItemCustomer][handover.ItemSubmitting], "a batch is left in flight")

			e.run(id) // a restarted process with a fresh service
			counts := e.states(id)[handover.ItemCustomer]
			assert.Equal(t, 250, counts[handover.ItemWaiting], "%v", counts)
			e.clock.Advance(25 * time.Hour)
			e.run(id)
			assert.Equal(t, 250, e.states(id)[handover.ItemCustomer][handover.ItemDone])
			per := e.transfersPerCustomer()
			assert.Len(t, per, 250)
			for ext, n := range per {
				require.Equal(t, 1, n, "customer %s submitted twice", ext)
			}
		})
	}
}

// killOn returns a hook failing on its nth call, as a kill at that point would.
func killOn(nth int) func(handover.Batch) error {
	n := 0
	return func(handover.Batch) error {
		if n++; n == nth {
			return errKilled
		}
		return nil
	}
}

// TestRunnerLeaseAndResume runs due cases through RunDue twice, as two replicas would.
func TestRunnerLeaseAndResume(t *testing.T) {
	e := newHEnv(t, func(c *handover.Config) { c.AutoStrategy = handover.StrategyLeastLoaded })
	e.guides(10, "gone", "a", "b")
	e.customers("gone", 40)
	id := e.resign("gone") // auto strategy: the case runs without an admin
	n, err := e.svc.RunDue(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 40, e.states(id)[handover.ItemCustomer][handover.ItemWaiting])
	n, _ = e.svc.RunDue(e.ctx)
	assert.Equal(t, 0, n, "a waiting case is not due before the takeover time")
	e.clock.Advance(25 * time.Hour)
	n, err = e.svc.RunDue(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	c, _ := e.store.GetCase(e.ctx, id)
	assert.Equal(t, handover.CaseDone, c.Status)
}
