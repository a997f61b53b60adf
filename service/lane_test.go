package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/guidebox/guidebox/service"
)

func TestLaneOf(t *testing.T) {
	ctx := context.Background()
	assert.Equal(t, service.LaneBackground, service.LaneOf(ctx), "unmarked work is background")
	assert.False(t, service.Marked(ctx))
	tap := service.WithLane(ctx, service.LaneInteractive)
	assert.Equal(t, service.LaneInteractive, service.LaneOf(tap))
	assert.True(t, service.Marked(tap))
	assert.Equal(t, service.LaneEnrichment, service.LaneOf(service.WithLane(tap, service.LaneEnrichment)), "the innermost mark wins")
	assert.Equal(t, service.LaneBackground, service.LaneOf(service.WithLane(ctx, service.Lane(9))), "an unknown lane is background")
	var names []string
	for _, l := range service.Lanes {
		names = append(names, l.String())
	}
	assert.Equal(t, []string{"interactive", "handover", "enrichment", "background"}, names)
}

func TestBudgetDrain(t *testing.T) {
	b := service.Budget{Now: 100, PerSecond: 10}
	assert.Zero(t, b.Drain(50), "covered by what may go now")
	assert.Equal(t, 10*time.Second, b.Drain(200))
	assert.Equal(t, time.Duration(-1), service.Budget{}.Drain(1), "no sustained budget: unknown")
}
