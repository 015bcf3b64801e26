package sla

import "time"

// clock replays one stage. Its time is kept as "active time": the sum of the
// unpaused stretches since it started. The budget is the active time the
// stage may use; due and warning times are the wall-clock instants at which
// the active time reaches the budget and 80% of it. Keeping time this way
// makes pauses, extensions and target switches compose without special
// cases, and keeps past breaches in the past.
type clock struct {
	stage *Stage

	started   bool
	everRan   bool
	startedAt time.Time
	startIdx  int // index of the mark that started the clock, which cannot also be its first action

	budget    time.Duration // active time allowed
	maxBudget time.Duration // cap for extensions; 0 = none
	target    Target        // target in force, for display
	altUsed   bool
	extended  bool

	pending      bool // an extension request awaits a decision
	pendingUntil time.Time

	segs      []segment // closed unpaused stretches
	accrued   time.Duration
	openSince time.Time // start of the current unpaused stretch
	open      bool
	paused    bool

	stagePause bool // a pause put on this stage alone is in force

	breached  bool
	metAt     *time.Time
	cancelled *time.Time
	restarts  int
}

type segment struct{ from, to time.Time }

// waitForStart reports whether the clock's start status has not been
// reached yet.
func (c *clock) waitForStart(status string) bool {
	return c.stage.Start != "" && !reached(status, c.stage.Start)
}

func (c *clock) begin(cal *Calendar, at time.Time, markIdx int, casePause bool) {
	c.started, c.everRan = true, true
	c.startedAt = at
	c.startIdx = markIdx
	c.target = c.stage.Target
	c.budget = c.stage.Target.DueFrom(cal, at).Sub(at)
	if !c.stage.MaxTarget.IsZero() {
		c.maxBudget = c.stage.MaxTarget.DueFrom(cal, at).Sub(at)
	}
	c.paused = casePause || c.stagePause
	if !c.paused {
		c.open, c.openSince = true, at
	}
}

func (c *clock) running() bool {
	return c.started && c.metAt == nil && c.cancelled == nil
}

// active returns the active time used up to at (at not before the last event).
func (c *clock) active(at time.Time) time.Duration {
	if c.open {
		return c.accrued + at.Sub(c.openSince)
	}
	return c.accrued
}

// advance notes a breach that happened before at: the due time passed
// strictly before this event.
func (c *clock) advance(at time.Time) {
	if c.running() && !c.breached && c.active(at) > c.budget {
		c.breached = true
	}
}

func (c *clock) setPaused(at time.Time, paused bool) {
	if !c.running() || paused == c.paused {
		c.paused = paused
		return
	}
	c.paused = paused
	if paused {
		c.closeSegment(at)
		return
	}
	c.open, c.openSince = true, at
}

func (c *clock) closeSegment(at time.Time) {
	if !c.open {
		return
	}
	c.segs = append(c.segs, segment{c.openSince, at})
	c.accrued += at.Sub(c.openSince)
	c.open = false
}

// enter applies target_if when the case enters status while the clock runs.
func (c *clock) enter(cal *Calendar, at time.Time, status string) {
	if c.altUsed || c.extended {
		return
	}
	for _, alt := range c.stage.TargetIf {
		if alt.Status != status {
			continue
		}
		c.altUsed = true
		c.target = alt.Target
		c.budget = alt.Target.DueFrom(cal, c.startedAt).Sub(c.startedAt)
		c.advance(at) // a shorter alternative may already be overdue
		return
	}
}

func (c *clock) extension(m Mark) {
	if !c.running() {
		return
	}
	switch m.Kind {
	case MarkExtendRequested:
		c.pending, c.pendingUntil = true, m.Until
	case MarkExtendRefused:
		c.pending, c.pendingUntil = false, time.Time{}
	case MarkExtendApproved:
		until := m.Until
		if until.IsZero() {
			until = c.pendingUntil
		}
		c.pending, c.pendingUntil = false, time.Time{}
		if !until.After(m.At) {
			return // validation refuses this; a replay must not choke on it
		}
		// Until is a wall-clock promise made now; pauses after it still
		// shift it, as they shift any due time.
		budget := c.active(m.At) + until.Sub(m.At)
		if c.maxBudget > 0 && budget > c.maxBudget {
			budget = c.maxBudget
		}
		if budget > c.budget {
			c.budget = budget
			c.extended = true
		}
	}
}

func (c *clock) stop(at time.Time) {
	c.advance(at)
	c.closeSegment(at)
	t := at
	c.metAt = &t
}

func (c *clock) cancel(at time.Time) {
	c.closeSegment(at)
	t := at
	c.cancelled = &t
}

// restartsOnReopen reports whether a reopen restarts this stage: the stages
// that measure handling to the end (stop resolved or closed), not the
// response stages before them.
func (c *clock) restartsOnReopen() bool {
	r, onPath := pathRank(c.stage.Stop)
	res, _ := pathRank(StatusResolved)
	return onPath && r >= res
}

func (c *clock) reset() {
	*c = clock{
		stage:      c.stage,
		restarts:   c.restarts,
		everRan:    c.everRan,
		stagePause: c.stagePause,
	}
	if c.everRan {
		c.restarts++
	}
}

// wallAt maps an amount of active time to the wall-clock instant at which
// the clock used it up, projecting past end (the stop, the cancellation or
// now) as if the clock ran on from there unpaused.
func (c *clock) wallAt(x time.Duration, end time.Time) time.Time {
	var acc time.Duration
	segs := c.segs
	if c.open {
		segs = append(segs[:len(segs):len(segs)], segment{c.openSince, end})
	}
	for _, s := range segs {
		l := s.to.Sub(s.from)
		if acc+l >= x {
			return s.from.Add(x - acc)
		}
		acc += l
	}
	return end.Add(x - acc)
}

func (c *clock) deadline(now time.Time) Deadline {
	end := now
	switch {
	case c.metAt != nil:
		end = *c.metAt
	case c.cancelled != nil:
		end = *c.cancelled
	}
	if c.running() && !c.breached && c.active(now) >= c.budget {
		c.breached = true // still running at the due instant: breached
	}
	d := Deadline{
		Stage:            c.stage.Name,
		DueAt:            c.wallAt(c.budget, end).In(shanghai),
		WarnAt:           c.wallAt(warnShare(c.budget), end).In(shanghai),
		StartedAt:        c.startedAt.In(shanghai),
		Breached:         c.breached,
		Paused:           c.running() && c.paused,
		Extended:         c.extended,
		Target:           c.target.String(),
		ExtensionPending: c.pending,
		Restarts:         c.restarts,
	}
	if c.maxBudget > 0 {
		t := c.wallAt(c.maxBudget, end).In(shanghai)
		d.MaxDueAt = &t
	}
	if c.metAt != nil {
		t := c.metAt.In(shanghai)
		d.MetAt = &t
	}
	if c.cancelled != nil {
		t := c.cancelled.In(shanghai)
		d.CancelledAt = &t
	}
	switch {
	case c.cancelled != nil:
		d.Status = ClockCancelled
	case c.metAt != nil && c.breached:
		d.Status = ClockMetLate
	case c.metAt != nil:
		d.Status = ClockMet
	case c.breached:
		d.Status = ClockBreached
	case d.Paused:
		d.Status = ClockPaused
	case !now.Before(d.WarnAt):
		d.Status = ClockWarning
	default:
		d.Status = ClockPending
	}
	return d
}

// warnShare is WarnPercent of the budget, computed so that no target the
// parser accepts can overflow.
func warnShare(budget time.Duration) time.Duration {
	return budget/100*WarnPercent + budget%100*WarnPercent/100
}
