package sla

import (
	"cmp"
	"slices"
	"time"
)

// FiringKind is what a scheduler must record when a firing comes due.
type FiringKind string

// The kinds of firing.
const (
	FiringWarn   FiringKind = "warn"   // the stage turns yellow (80% used)
	FiringBreach FiringKind = "breach" // the stage turns red (due passed)
)

// Firing is a moment at which a stage's state will change by the mere
// passing of time.
type Firing struct {
	Stage string     `json:"stage"`
	Kind  FiringKind `json:"kind"`
	At    time.Time  `json:"at"`
}

// NextFirings lists, earliest first, the warnings and breaches still ahead
// for deadlines computed by Compute: a pending stage will warn and then
// breach, a warning stage will breach. Paused, met, cancelled and breached
// stages fire nothing (a paused stage's times move until it resumes).
//
// A scheduler sleeps until the first At, computes the deadlines again with
// now = At (a stage still running at its due instant is breached), records
// what changed, and calls NextFirings again; anything that changes a case
// (an action, a pause, an extension) means recomputing too. Because the
// times come from the event log, a restarted scheduler finds the same ones.
func NextFirings(deadlines []Deadline) []Firing {
	var out []Firing
	for _, d := range deadlines {
		switch d.Status {
		case ClockPending:
			out = append(out,
				Firing{Stage: d.Stage, Kind: FiringWarn, At: d.WarnAt},
				Firing{Stage: d.Stage, Kind: FiringBreach, At: d.DueAt})
		case ClockWarning:
			out = append(out, Firing{Stage: d.Stage, Kind: FiringBreach, At: d.DueAt})
		}
	}
	slices.SortStableFunc(out, func(a, b Firing) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}
