package sla

import (
	"slices"
	"time"
)

// MarkKind says what a Mark records.
type MarkKind string

// The kinds of mark a case's event log is reduced to.
const (
	// MarkCreated is the case being received (受理); Status may give the
	// initial status, received by default.
	MarkCreated MarkKind = "created"
	// MarkAction is any action taken by a person (dispatch, note, supervise…).
	// It counts for first_action stops; when it changes the status, put the
	// new status in Status.
	MarkAction MarkKind = "action"
	// MarkStatus is a status change made by the system rather than a person
	// (a routing rule dispatching at once); it does not count as a first
	// action.
	MarkStatus MarkKind = "status"
	// MarkPause stops the clocks, for instance while waiting for the reporter.
	// Stage names one clock; empty pauses every clock of the case.
	MarkPause MarkKind = "pause"
	// MarkResume restarts what the matching MarkPause stopped.
	MarkResume MarkKind = "resume"
	// MarkExtendRequested records an application for an extension (延期) of
	// Stage until Until; it changes no deadline.
	MarkExtendRequested MarkKind = "extend_requested"
	// MarkExtendApproved moves Stage's deadline to Until (or, when Until is
	// zero, to the Until of the pending request), capped by max_target.
	MarkExtendApproved MarkKind = "extend_approved"
	// MarkExtendRefused drops the pending request and changes no deadline.
	MarkExtendRefused MarkKind = "extend_refused"
)

// Mark is one event of a case's log, reduced to what the clocks need. The
// caller builds marks from its own events, so this package depends on no
// other part of Yizhan and deadlines can always be recomputed from the log.
type Mark struct {
	At     time.Time
	Kind   MarkKind
	Action string // the action's name, for MarkAction; informative only
	// Status is the case's status after this mark; empty leaves it unchanged.
	// Unknown statuses are ignored.
	Status string
	Stage  string    // for pause, resume and extension marks
	Until  time.Time // for extension marks
}

// ClockStatus is the state of one stage's clock.
type ClockStatus string

// The states a clock can be in.
const (
	ClockPending   ClockStatus = "pending"   // running, before the warning
	ClockWarning   ClockStatus = "warning"   // running, 80% of the time used (yellow)
	ClockBreached  ClockStatus = "breached"  // running, past due (red)
	ClockMet       ClockStatus = "met"       // stopped in time
	ClockMetLate   ClockStatus = "met_late"  // stopped after the due time
	ClockPaused    ClockStatus = "paused"    // stopped for now; the due time moves
	ClockCancelled ClockStatus = "cancelled" // the case ended before the stop
)

// WarnPercent is the share of a stage's time after which it turns yellow.
const WarnPercent = 80

// Deadline is the state of one stage's clock at a given moment. The first
// four fields are the contract's; the others are Yizhan's additions.
type Deadline struct {
	Stage    string     `json:"stage"`
	DueAt    time.Time  `json:"due_at"`
	MetAt    *time.Time `json:"met_at"`
	Breached bool       `json:"breached"`

	StartedAt time.Time   `json:"started_at"`
	WarnAt    time.Time   `json:"warn_at"`
	Paused    bool        `json:"paused"`
	Extended  bool        `json:"extended"`
	Target    string      `json:"target"` // the target in force: "24h", or "7d" once taken back
	Status    ClockStatus `json:"status"`
	// MaxDueAt is the latest an extension may move DueAt to (max_target);
	// nil when extensions are uncapped.
	MaxDueAt *time.Time `json:"max_due_at,omitempty"`
	// CancelledAt is when the case ended (merged, referred, closed) before
	// the stop.
	CancelledAt *time.Time `json:"cancelled_at,omitempty"`
	// ExtensionPending is true between a request and its decision.
	ExtensionPending bool `json:"extension_pending,omitempty"`
	// Restarts counts the reopens (重办) that restarted this clock.
	Restarts int `json:"restarts,omitempty"`
}

// Compute replays a case's marks and returns the deadline of every stage of
// p whose clock has started, in the policy's order, as they stand at now.
// Marks after now are ignored, so the same call answers "as of" any moment.
// A nil policy gives no deadlines; a nil calendar counts plain weekends.
//
// The rules:
//
//   - A stage's clock starts at creation, or, with start, the first time the
//     case reaches that status or one further along the normal path.
//     Stages that have not started are left out.
//   - It stops (met) the first time its stop happens after it started:
//     first_action is the first MarkAction; a status stop is the case
//     reaching that status or one further along the normal path
//     (received < dispatched < accepted < on_site < mediating < resolved <
//     closed), so a case going straight from received to on_site, or to
//     resolved, stops the dispatch, accept and arrive clocks too. merged and
//     referred_police are off the path and stop only a stage that names them.
//   - Breached means the due time passed before the stop; a stage met late
//     stays breached (status met_late), and so does a breached stage that
//     is later extended. A stage stopped exactly at its due time is in time;
//     one still running at its due time is breached.
//   - Working-day targets fall due at 23:59:59 Asia/Shanghai of the Nth
//     working day after the start's date.
//   - The warning comes when 80% of the stage's (unpaused) time is used.
//   - Pauses do not count: the due time moves by the paused time. For
//     working-day targets it moves by the paused clock time as well, nights
//     and holidays included, rather than being recounted in working days: a
//     pause is "the time we were waiting", however it falls. A pause that
//     begins after the due time cannot undo the breach.
//   - An approved extension moves the due time to its Until (capped by
//     max_target, counted like the target from the start); a refused one
//     changes nothing. target_if switches the target, counted from the
//     start, when the case enters its status while the clock runs, unless an
//     extension was already approved.
//   - closed, merged and referred_police cancel the stages still running
//     instead of breaching them (after letting the mark meet what it meets).
//   - A reopen (重办: the case going from resolved or closed back to an
//     earlier status) restarts every stage whose stop is resolved or closed:
//     those starting at creation start again at the reopen with their full
//     target; those with a start status wait for it again. The response
//     stages (respond, dispatch, accept, arrive) keep their first result: the
//     12510 promise is about the first response, and the redo is measured by
//     the resolve clock.
func Compute(p *Policy, cal *Calendar, marks []Mark, now time.Time) []Deadline {
	if p == nil || len(marks) == 0 {
		return nil
	}
	ms := slices.Clone(marks)
	slices.SortStableFunc(ms, func(a, b Mark) int { return a.At.Compare(b.At) })
	created := ms[0]
	if i := slices.IndexFunc(ms, func(m Mark) bool { return m.Kind == MarkCreated }); i >= 0 {
		created = ms[i]
		ms = ms[i:]
	}
	if created.At.After(now) {
		return nil
	}

	// The creation mark goes through apply like any other, so that a case
	// created already dispatched (by a routing rule) stops the dispatch
	// clock at once.
	r := &replay{cal: cal, status: StatusReceived}
	for i := range p.Stages {
		r.clocks = append(r.clocks, &clock{stage: &p.Stages[i]})
	}
	for idx, m := range ms {
		if m.At.After(now) {
			break
		}
		r.apply(m, idx)
	}

	out := make([]Deadline, 0, len(r.clocks))
	for _, c := range r.clocks {
		if c.started {
			out = append(out, c.deadline(now))
		}
	}
	return out
}

// replay is the state of a case while its marks are applied in order.
type replay struct {
	cal       *Calendar
	status    string
	casePause bool
	clocks    []*clock
}

// startDue starts the clocks whose start condition the current status meets;
// markIdx is the mark doing it, remembered so that the same mark cannot also
// be their first action (the dispatch that starts "first action by the unit"
// is not that action).
func (r *replay) startDue(at time.Time, markIdx int) {
	for _, c := range r.clocks {
		if c.started || c.waitForStart(r.status) {
			continue
		}
		c.begin(r.cal, at, markIdx, r.casePause)
	}
}

func (r *replay) apply(m Mark, idx int) {
	at := m.At
	for _, c := range r.clocks {
		c.advance(at)
	}
	switch m.Kind {
	case MarkPause, MarkResume:
		pause := m.Kind == MarkPause
		for _, c := range r.clocks {
			if m.Stage == "" || m.Stage == c.stage.Name {
				if m.Stage != "" {
					c.stagePause = pause
				}
				c.setPaused(at, pauseFor(pause, m.Stage, r.casePause, c.stagePause))
			}
		}
		if m.Stage == "" {
			r.casePause = pause
		}
		return
	case MarkExtendRequested, MarkExtendApproved, MarkExtendRefused:
		for _, c := range r.clocks {
			if c.stage.Name == m.Stage {
				c.extension(m)
			}
		}
		return
	}

	next := r.status
	if IsStatus(m.Status) {
		next = m.Status
	}
	if isReopen(r.status, next) {
		for _, c := range r.clocks {
			if c.restartsOnReopen() {
				c.reset()
			}
		}
	}
	entered := next != r.status
	r.status = next
	r.startDue(at, idx)
	for _, c := range r.clocks {
		if !c.running() {
			continue
		}
		if entered {
			c.enter(r.cal, at, next)
		}
		if m.Kind == MarkAction && c.stage.Stop == StopFirstAction && c.startIdx != idx {
			c.stop(at)
		} else if c.stage.Stop != StopFirstAction && reached(next, c.stage.Stop) {
			c.stop(at)
		}
	}
	if IsTerminal(next) {
		for _, c := range r.clocks {
			if c.running() {
				c.cancel(at)
			}
		}
	}
}

// pauseFor tells whether a clock is paused after a pause or resume mark: a
// case-wide resume does not lift a pause put on the stage alone, and the
// other way round.
func pauseFor(pause bool, stage string, casePause, stagePause bool) bool {
	if stage == "" {
		return pause || stagePause
	}
	return pause || casePause
}
