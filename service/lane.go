package service

import (
	"context"
	"time"
)

// Lane is the priority of the WeCom calls made with a context. WeCom limits every API per corp
// (10,000 calls a minute, 150,000 an hour); the WeCom client shares that budget out by lane so a
// guide's tap never waits behind a backlog: a higher lane's waiting calls go first, and a lower
// lane may spend only part of what is left, keeping headroom for the lanes above it.
type Lane int

// The lanes, highest priority first.
const (
	// LaneInteractive is a person waiting on the answer: the sidebar's calls (tag edits, OAuth,
	// JS-SDK tickets, a card enriched on the spot).
	LaneInteractive Lane = iota + 1
	// LaneHandover is handover work: the runner's transfers and polls, and the admin console.
	LaneHandover
	// LaneEnrichment is the inbox workers reading WeCom for the events they apply.
	LaneEnrichment
	// LaneBackground is reconciliation, scheduled sweeps and every call nobody marked.
	LaneBackground
)

// Lanes lists every lane, highest priority first.
var Lanes = []Lane{LaneInteractive, LaneHandover, LaneEnrichment, LaneBackground}

// String names the lane for metrics and logs.
func (l Lane) String() string {
	switch l {
	case LaneInteractive:
		return "interactive"
	case LaneHandover:
		return "handover"
	case LaneEnrichment:
		return "enrichment"
	case LaneBackground:
		return "background"
	}
	return "unknown"
}

type laneKey struct{}

// WithLane marks ctx's WeCom calls as lane l. The work that starts a chain of calls marks it (the
// sidebar's routes, the inbox worker, the handover runner, reconciliation); code below passes ctx on.
func WithLane(ctx context.Context, l Lane) context.Context {
	return context.WithValue(ctx, laneKey{}, l)
}

// LaneOf is ctx's lane. Unmarked work is LaneBackground: work nobody marked is assumed to be able to
// wait, so it can never crowd out a guide's tap; a path where a person waits must say so.
func LaneOf(ctx context.Context) Lane {
	if l, ok := ctx.Value(laneKey{}).(Lane); ok && l >= LaneInteractive && l <= LaneBackground {
		return l
	}
	return LaneBackground
}

// Marked reports whether ctx carries a lane (adapters use it to give a default only to unmarked work).
func Marked(ctx context.Context) bool {
	_, ok := ctx.Value(laneKey{}).(Lane)
	return ok
}

// Budget is what one lane may spend on one WeCom API: Now calls at once, then PerSecond sustained.
// A domain asks it of the WeCom adapter to plan work (batch or wait) and to estimate a backlog.
type Budget struct {
	Now       int     // calls the lane may make at once
	PerSecond float64 // calls a second the lane may make after those, while nothing above it spends
}

// Drain estimates how long calls more calls take in this lane: the ones past Now at PerSecond.
// It is 0 when Now covers them, and -1 when the lane has no sustained budget.
func (b Budget) Drain(calls int) time.Duration {
	rest := calls - b.Now
	switch {
	case rest <= 0:
		return 0
	case b.PerSecond <= 0:
		return -1
	}
	return time.Duration(float64(rest) / b.PerSecond * float64(time.Second))
}
