package sla

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// t0 is Monday 2 March 2026, 09:00 in Beijing: no holiday anywhere near.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)

func at(d time.Duration) time.Time { return t0.Add(d) }

func hours(h float64) time.Duration { return time.Duration(h * float64(time.Hour)) }

func created(d time.Duration) Mark { return Mark{At: at(d), Kind: MarkCreated} }

func act(d time.Duration, action, status string) Mark {
	return Mark{At: at(d), Kind: MarkAction, Action: action, Status: status}
}

func sys(d time.Duration, status string) Mark {
	return Mark{At: at(d), Kind: MarkStatus, Status: status}
}

func pause(d time.Duration, stage string) Mark {
	return Mark{At: at(d), Kind: MarkPause, Stage: stage}
}

func resume(d time.Duration, stage string) Mark {
	return Mark{At: at(d), Kind: MarkResume, Stage: stage}
}

// handled is a 12510 case handled by the book up to arrival on site.
func handled() []Mark {
	return []Mark{
		created(0),
		act(time.Minute, "dispatch", StatusDispatched),
		act(2*time.Minute, "accept", StatusAccepted),
		act(5*time.Minute, "arrive", StatusOnSite),
	}
}

// want is the expected state of one stage; times are offsets from t0 so that
// the tables stay readable. met < 0 means not met.
type want struct {
	stage    string
	status   ClockStatus
	due      time.Duration
	met      time.Duration
	breached bool
}

const unmet = -1

func checkDeadlines(t *testing.T, got []Deadline, wants []want) {
	t.Helper()
	var names []string
	for _, d := range got {
		names = append(names, d.Stage)
	}
	var wantNames []string
	for _, w := range wants {
		wantNames = append(wantNames, w.stage)
	}
	equal(t, strings.Join(wantNames, ","), strings.Join(names, ","), "stages listed")
	for i, w := range wants {
		d := got[i]
		equal(t, w.status, d.Status, "%s status", w.stage)
		equal(t, at(w.due).Format(time.RFC3339Nano), d.DueAt.Format(time.RFC3339Nano), "%s due", w.stage)
		equal(t, w.breached, d.Breached, "%s breached", w.stage)
		if w.met == unmet {
			isTrue(t, d.MetAt == nil, "%s: want unmet, met at %v", w.stage, d.MetAt)
		} else {
			isTrue(t, d.MetAt != nil, "%s: want met", w.stage)
			equal(t, at(w.met), *d.MetAt, "%s met", w.stage)
		}
	}
}

func TestCompute12510(t *testing.T) {
	t.Parallel()
	p := DefaultPolicies().Get("12510")
	cal := DefaultCalendar()
	m, h := time.Minute, time.Hour
	tests := []struct {
		name  string
		marks []Mark
		now   time.Duration
		want  []want
	}{
		{
			name: "plain flow meets every stage",
			marks: []Mark{
				created(0),
				act(30*time.Second, "dispatch", StatusDispatched),
				act(3*m, "accept", StatusAccepted),
				act(8*m, "arrive", StatusOnSite),
				act(2*h, "resolve", StatusResolved),
				act(10*h, "close", StatusClosed),
			},
			now: 12 * h,
			want: []want{
				{"respond", ClockMet, m, 30 * time.Second, false},
				{"dispatch", ClockMet, 2 * m, 30 * time.Second, false},
				{"accept", ClockMet, 5 * m, 3 * m, false},
				{"arrive", ClockMet, 10 * m, 8 * m, false},
				{"resolve", ClockMet, 24 * h, 2 * h, false},
				{"follow_up", ClockMet, 26 * h, 10 * h, false},
			},
		},
		{
			name:  "marks after now are ignored",
			marks: append(handled(), act(2*h, "resolve", StatusResolved)),
			now:   90 * time.Second,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockPending, 5 * m, unmet, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "skipped statuses stop the earlier clocks",
			marks: []Mark{created(0), act(90*time.Second, "arrive", StatusOnSite)},
			now:   5 * m,
			want: []want{
				{"respond", ClockMetLate, m, 90 * time.Second, true},
				{"dispatch", ClockMet, 2 * m, 90 * time.Second, false},
				{"accept", ClockMet, 5 * m, 90 * time.Second, false},
				{"arrive", ClockMet, 10 * m, 90 * time.Second, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "resolved straight away stops everything, late",
			marks: []Mark{created(0), act(20*m, "resolve", StatusResolved)},
			now:   30 * m,
			want: []want{
				{"respond", ClockMetLate, m, 20 * m, true},
				{"dispatch", ClockMetLate, 2 * m, 20 * m, true},
				{"accept", ClockMetLate, 5 * m, 20 * m, true},
				{"arrive", ClockMetLate, 10 * m, 20 * m, true},
				{"resolve", ClockMet, 24 * h, 20 * m, false},
				{"follow_up", ClockPending, 24*h + 20*m, unmet, false},
			},
		},
		{
			name:  "untouched case breaches",
			marks: []Mark{created(0)},
			now:   3 * m,
			want: []want{
				{"respond", ClockBreached, m, unmet, true},
				{"dispatch", ClockBreached, 2 * m, unmet, true},
				{"accept", ClockPending, 5 * m, unmet, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "at the due instant an unmet stage is breached",
			marks: []Mark{created(0)},
			now:   2 * m,
			want: []want{
				{"respond", ClockBreached, m, unmet, true},
				{"dispatch", ClockBreached, 2 * m, unmet, true},
				{"accept", ClockPending, 5 * m, unmet, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "80% used turns yellow",
			marks: []Mark{created(0), act(30*time.Second, "note", "")},
			now:   119 * time.Second,
			want: []want{
				{"respond", ClockMet, m, 30 * time.Second, false},
				{"dispatch", ClockWarning, 2 * m, unmet, false},
				{"accept", ClockPending, 5 * m, unmet, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "met late stays breached",
			marks: []Mark{created(0), act(5*m, "dispatch", StatusDispatched)},
			now:   5 * m,
			want: []want{
				{"respond", ClockMetLate, m, 5 * m, true},
				{"dispatch", ClockMetLate, 2 * m, 5 * m, true},
				{"accept", ClockBreached, 5 * m, unmet, true},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "a stop exactly at the due instant is in time",
			marks: []Mark{created(0), act(m, "dispatch", StatusDispatched)},
			now:   m,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockPending, 5 * m, unmet, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "pause shifts the due time",
			marks: append(handled(), pause(h, ""), resume(5*h, "")),
			now:   6 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockPending, 28 * h, unmet, false},
			},
		},
		{
			name:  "while paused the due time moves with now",
			marks: append(handled(), pause(h, "")),
			now:   3 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockPaused, 26 * h, unmet, false},
			},
		},
		{
			name:  "taken back for mediation: 7 days",
			marks: append(handled(), act(20*h, "take_back", StatusMediating)),
			now:   30 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockPending, 7 * 24 * h, unmet, false},
			},
		},
		{
			name:  "taken back after 24 hours: already breached",
			marks: append(handled(), act(30*h, "take_back", StatusMediating), act(40*h, "resolve", StatusResolved)),
			now:   41 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockMetLate, 7 * 24 * h, 40 * h, true},
				{"follow_up", ClockPending, 64 * h, unmet, false},
			},
		},
		{
			name:  "merge cancels what still runs",
			marks: []Mark{created(0), act(m, "dispatch", StatusDispatched), act(3*m, "merge", StatusMerged)},
			now:   time.Hour,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockCancelled, 5 * m, unmet, false},
				{"arrive", ClockCancelled, 10 * m, unmet, false},
				{"resolve", ClockCancelled, 24 * h, unmet, false},
			},
		},
		{
			name:  "referral by a person is its first action",
			marks: []Mark{created(0), act(30*time.Second, "refer_police", StatusReferredPolice)},
			now:   time.Hour,
			want: []want{
				{"respond", ClockMet, m, 30 * time.Second, false},
				{"dispatch", ClockCancelled, 2 * m, unmet, false},
				{"accept", ClockCancelled, 5 * m, unmet, false},
				{"arrive", ClockCancelled, 10 * m, unmet, false},
				{"resolve", ClockCancelled, 24 * h, unmet, false},
			},
		},
		{
			name:  "a breach before the cancellation stays on record",
			marks: []Mark{created(0), sys(90*time.Second, StatusReferredPolice)},
			now:   time.Hour,
			want: []want{
				{"respond", ClockCancelled, m, unmet, true},
				{"dispatch", ClockCancelled, 2 * m, unmet, false},
				{"accept", ClockCancelled, 5 * m, unmet, false},
				{"arrive", ClockCancelled, 10 * m, unmet, false},
				{"resolve", ClockCancelled, 24 * h, unmet, false},
			},
		},
		{
			name:  "closing without a follow-up action cancels nothing already met",
			marks: append(handled(), act(2*h, "resolve", StatusResolved), sys(50*h, StatusClosed)),
			now:   51 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockMet, 24 * h, 2 * h, false},
				{"follow_up", ClockMetLate, 26 * h, 50 * h, true},
			},
		},
		{
			name: "reopen restarts resolve, keeps the response stages",
			marks: append(handled(),
				act(2*h, "resolve", StatusResolved),
				act(3*h, "close", StatusClosed),
				act(48*h, "reopen", StatusReceived)),
			now: 49 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockPending, 72 * h, unmet, false},
			},
		},
		{
			name: "after a reopen the follow-up waits for the new resolution",
			marks: append(handled(),
				act(2*h, "resolve", StatusResolved),
				act(3*h, "close", StatusClosed),
				act(48*h, "reopen", StatusReceived),
				act(50*h, "dispatch", StatusDispatched),
				act(52*h, "arrive", StatusOnSite),
				act(60*h, "resolve", StatusResolved)),
			now: 61 * h,
			want: []want{
				{"respond", ClockMet, m, m, false},
				{"dispatch", ClockMet, 2 * m, m, false},
				{"accept", ClockMet, 5 * m, 2 * m, false},
				{"arrive", ClockMet, 10 * m, 5 * m, false},
				{"resolve", ClockMet, 72 * h, 60 * h, false},
				{"follow_up", ClockPending, 84 * h, unmet, false},
			},
		},
		{
			name:  "a routing rule dispatching at creation is not a first action",
			marks: []Mark{{At: t0, Kind: MarkCreated, Status: StatusDispatched}},
			now:   30 * time.Second,
			want: []want{
				{"respond", ClockPending, m, unmet, false},
				{"dispatch", ClockMet, 2 * m, 0, false},
				{"accept", ClockPending, 5 * m, unmet, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
		{
			name:  "without a created mark the earliest mark creates the case",
			marks: []Mark{act(3*m, "accept", StatusAccepted), sys(0, StatusDispatched)},
			now:   4 * m,
			want: []want{
				{"respond", ClockMetLate, m, 3 * m, true},
				{"dispatch", ClockMet, 2 * m, 0, false},
				{"accept", ClockMet, 5 * m, 3 * m, false},
				{"arrive", ClockPending, 10 * m, unmet, false},
				{"resolve", ClockPending, 24 * h, unmet, false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checkDeadlines(t, Compute(p, cal, tt.marks, at(tt.now)), tt.want)
		})
	}
}

func TestComputeDetails(t *testing.T) {
	t.Parallel()
	p := DefaultPolicies().Get("12510")
	cal := DefaultCalendar()

	t.Run("warning time follows pauses", func(t *testing.T) {
		t.Parallel()
		ds := Compute(p, cal, append(handled(), pause(time.Hour, ""), resume(5*time.Hour, "")), at(6*time.Hour))
		r := ds[4]
		// 80% of 24h is 19.2h of running time: 1h before the pause, the
		// rest after it ends at 5h.
		equal(t, at(hours(23.2)), r.WarnAt)
		equal(t, at(0), r.StartedAt)
		equal(t, "24h", r.Target)
		isTrue(t, !r.Paused)
	})
	t.Run("paused stage says so", func(t *testing.T) {
		t.Parallel()
		r := Compute(p, cal, append(handled(), pause(time.Hour, "")), at(3*time.Hour))[4]
		isTrue(t, r.Paused)
		equal(t, at(hours(21.2)), r.WarnAt)
	})
	t.Run("target_if shows the target in force", func(t *testing.T) {
		t.Parallel()
		r := Compute(p, cal, append(handled(), act(20*time.Hour, "take_back", StatusMediating)), at(30*time.Hour))[4]
		equal(t, "7d", r.Target)
		equal(t, at(hours(0.8*168)), r.WarnAt)
	})
	t.Run("reopen counts restarts", func(t *testing.T) {
		t.Parallel()
		marks := append(handled(),
			act(2*time.Hour, "resolve", StatusResolved),
			act(3*time.Hour, "reopen", StatusReceived),
			act(4*time.Hour, "resolve", StatusOnSite),
			act(5*time.Hour, "resolve", StatusResolved),
			act(6*time.Hour, "reopen", StatusReceived))
		ds := Compute(p, cal, marks, at(7*time.Hour))
		equal(t, 2, ds[4].Restarts)
		equal(t, at(6*time.Hour), ds[4].StartedAt)
		equal(t, 0, ds[0].Restarts)
	})
	t.Run("output is in Beijing time", func(t *testing.T) {
		t.Parallel()
		utc := []Mark{{At: t0.UTC(), Kind: MarkCreated}}
		d := Compute(p, cal, utc, t0.UTC().Add(time.Minute))[0]
		equal(t, "2026-03-02T09:01:00+08:00", d.DueAt.Format(time.RFC3339))
	})
	t.Run("nothing to compute", func(t *testing.T) {
		t.Parallel()
		isTrue(t, Compute(nil, cal, handled(), at(time.Hour)) == nil)
		isTrue(t, Compute(p, cal, nil, at(time.Hour)) == nil)
		isTrue(t, Compute(p, cal, handled(), at(-time.Second)) == nil)
	})
	t.Run("input marks are not reordered", func(t *testing.T) {
		t.Parallel()
		marks := []Mark{act(time.Minute, "dispatch", StatusDispatched), created(0)}
		_ = Compute(p, cal, marks, at(time.Hour))
		equal(t, MarkAction, marks[0].Kind)
	})
}

func TestComputeDeadlineJSON(t *testing.T) {
	t.Parallel()
	ds := Compute(DefaultPolicies().Get("12510"), DefaultCalendar(),
		[]Mark{created(0), act(30*time.Second, "note", "")}, at(time.Minute))
	b, err := json.Marshal(ds[:2])
	noErr(t, err)
	var got []map[string]any
	noErr(t, json.Unmarshal(b, &got))
	equal(t, "respond", got[0]["stage"])
	equal(t, "2026-03-02T09:01:00+08:00", got[0]["due_at"])
	equal(t, "2026-03-02T09:00:30+08:00", got[0]["met_at"])
	equal(t, false, got[0]["breached"])
	equal(t, "met", got[0]["status"])
	v, ok := got[1]["met_at"]
	isTrue(t, ok && v == nil, "met_at is present and null while unmet")
	_, ok = got[1]["max_due_at"]
	isTrue(t, !ok, "max_due_at is left out when uncapped")
}

// seconds is a policy with second-scale targets, as a zone might use in a
// drill, and as the tests use to exercise pauses precisely.
func seconds(t *testing.T) *Policy {
	t.Helper()
	ps, err := ParsePolicies([]byte(`
policies:
  - name: drill
    stages:
      - {stage: quick, stop: dispatched, target: 3s}
      - {stage: slow, stop: resolved, target: 10s}
`))
	noErr(t, err)
	return ps[0]
}

func TestComputeSecondTargets(t *testing.T) {
	t.Parallel()
	s, ms := time.Second, time.Millisecond
	tests := []struct {
		name  string
		marks []Mark
		now   time.Duration
		want  want
	}{
		{"met early", []Mark{created(0), act(2*s, "dispatch", StatusDispatched)}, 5 * s,
			want{"quick", ClockMet, 3 * s, 2 * s, false}},
		{"met on the second", []Mark{created(0), act(3*s, "dispatch", StatusDispatched)}, 5 * s,
			want{"quick", ClockMet, 3 * s, 3 * s, false}},
		{"a millisecond late", []Mark{created(0), act(3*s+ms, "dispatch", StatusDispatched)}, 5 * s,
			want{"quick", ClockMetLate, 3 * s, 3*s + ms, true}},
		{"pending", []Mark{created(0)}, 2 * s, want{"quick", ClockPending, 3 * s, unmet, false}},
		{"warning at 2.4s", []Mark{created(0)}, 2400 * ms, want{"quick", ClockWarning, 3 * s, unmet, false}},
		{"breached at 3s", []Mark{created(0)}, 3 * s, want{"quick", ClockBreached, 3 * s, unmet, true}},
		{"pause before the due time shifts it", []Mark{created(0), pause(s, ""), resume(11*s, "")}, 12 * s,
			want{"quick", ClockPending, 13 * s, unmet, false}},
		{"pause after the breach does not undo it", []Mark{created(0), pause(5*s, ""), resume(10*s, "")}, 20 * s,
			want{"quick", ClockBreached, 3 * s, unmet, true}},
		{"pause of one stage", []Mark{created(0), pause(s, "quick")}, 5 * s,
			want{"quick", ClockPaused, 7 * s, unmet, false}},
		{"a stage resume does not lift a case pause", []Mark{created(0), pause(s, ""), resume(2*s, "quick")}, 5 * s,
			want{"quick", ClockPaused, 7 * s, unmet, false}},
		{"a case resume does not lift a stage pause", []Mark{created(0), pause(s, "quick"), pause(2*s, ""), resume(3*s, "")}, 5 * s,
			want{"quick", ClockPaused, 7 * s, unmet, false}},
		{"double pause, single resume", []Mark{created(0), pause(s, ""), pause(2*s, ""), resume(4*s, "")}, 4 * s,
			want{"quick", ClockPending, 6 * s, unmet, false}},
		{"met while paused", []Mark{created(0), pause(s, ""), act(10*s, "dispatch", StatusDispatched)}, 20 * s,
			want{"quick", ClockMet, 12 * s, 10 * s, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds := Compute(seconds(t), nil, tt.marks, at(tt.now))
			checkDeadlines(t, ds[:1], []want{tt.want})
		})
	}

	t.Run("other stages keep running during a stage pause", func(t *testing.T) {
		t.Parallel()
		ds := Compute(seconds(t), nil, []Mark{created(0), pause(s, "quick")}, at(9*s))
		equal(t, ClockWarning, ds[1].Status)
		equal(t, at(10*s), ds[1].DueAt)
		isTrue(t, !ds[1].Paused)
	})
}

// enterpriseCase is an enterprise demand received on Monday 2 March 2026 at
// 10:00 and signed for within the hour: resolve is due on Monday 9 March at
// 23:59:59 (5wd), at the latest on Monday 23 March (15wd).
func enterpriseCase(extra ...Mark) []Mark {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	return append([]Mark{
		{At: start, Kind: MarkCreated},
		{At: start.Add(10 * time.Minute), Kind: MarkAction, Action: "dispatch", Status: StatusDispatched},
		{At: start.Add(time.Hour), Kind: MarkAction, Action: "accept", Status: StatusAccepted},
	}, extra...)
}

func bj(s string) time.Time {
	t, err := time.ParseInLocation(time.DateTime, s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestComputeWorkingDays(t *testing.T) {
	t.Parallel()
	p := DefaultPolicies().Get("enterprise")
	cal := DefaultCalendar()
	type stageWant struct {
		stage, status, due, met string
		breached, extended      bool
	}
	tests := []struct {
		name  string
		marks []Mark
		now   string
		want  []stageWant
	}{
		{
			name:  "5wd across National Day 2026",
			marks: []Mark{{At: bj("2026-09-30 15:00:00"), Kind: MarkCreated}},
			now:   "2026-10-09 09:00:00",
			want: []stageWant{
				{"accept", "breached", "2026-10-08 23:59:59", "", true, false},
				{"resolve", "pending", "2026-10-13 23:59:59", "", false, false},
			},
		},
		{
			name: "met in time across the holiday, follow-up counted from resolution",
			marks: []Mark{
				{At: bj("2026-09-30 15:00:00"), Kind: MarkCreated},
				{At: bj("2026-10-08 09:00:00"), Kind: MarkAction, Status: StatusAccepted},
				{At: bj("2026-10-13 18:00:00"), Kind: MarkAction, Status: StatusResolved},
			},
			now: "2026-10-14 09:00:00",
			want: []stageWant{
				{"accept", "met", "2026-10-08 23:59:59", "2026-10-08 09:00:00", false, false},
				{"resolve", "met", "2026-10-13 23:59:59", "2026-10-13 18:00:00", false, false},
				{"follow_up", "pending", "2026-10-15 23:59:59", "", false, false},
			},
		},
		{
			name:  "a make-up Saturday is a working day",
			marks: []Mark{{At: bj("2026-02-13 16:00:00"), Kind: MarkCreated}},
			now:   "2026-02-14 09:00:00",
			want: []stageWant{
				{"accept", "pending", "2026-02-14 23:59:59", "", false, false},
				{"resolve", "pending", "2026-02-27 23:59:59", "", false, false},
			},
		},
		{
			name:  "received on a holiday: counting starts after it",
			marks: []Mark{{At: bj("2026-10-03 11:00:00"), Kind: MarkCreated}},
			now:   "2026-10-03 12:00:00",
			want: []stageWant{
				{"accept", "pending", "2026-10-08 23:59:59", "", false, false},
				{"resolve", "pending", "2026-10-13 23:59:59", "", false, false}, // 8, 9, Sat 10, 12, 13
			},
		},
		{
			name: "pause shifts a working-day due time by the paused clock time",
			marks: enterpriseCase(
				Mark{At: bj("2026-03-03 10:00:00"), Kind: MarkPause},
				Mark{At: bj("2026-03-03 12:00:00"), Kind: MarkResume}),
			now: "2026-03-04 09:00:00",
			want: []stageWant{
				{"accept", "met", "2026-03-03 23:59:59", "2026-03-02 11:00:00", false, false},
				{"resolve", "pending", "2026-03-10 01:59:59", "", false, false},
			},
		},
		{
			name: "approved extension moves the due time",
			marks: enterpriseCase(
				Mark{At: bj("2026-03-05 10:00:00"), Kind: MarkExtendRequested, Stage: "resolve", Until: bj("2026-03-16 23:59:59")},
				Mark{At: bj("2026-03-06 10:00:00"), Kind: MarkExtendApproved, Stage: "resolve"}),
			now: "2026-03-10 12:00:00",
			want: []stageWant{
				{"accept", "met", "2026-03-03 23:59:59", "2026-03-02 11:00:00", false, false},
				{"resolve", "pending", "2026-03-16 23:59:59", "", false, true},
			},
		},
		{
			name: "an extension is capped by max_target",
			marks: enterpriseCase(
				Mark{At: bj("2026-03-06 10:00:00"), Kind: MarkExtendApproved, Stage: "resolve", Until: bj("2026-04-30 23:59:59")}),
			now: "2026-03-10 12:00:00",
			want: []stageWant{
				{"accept", "met", "2026-03-03 23:59:59", "2026-03-02 11:00:00", false, false},
				{"resolve", "pending", "2026-03-23 23:59:59", "", false, true},
			},
		},
		{
			name: "refused extension changes nothing",
			marks: enterpriseCase(
				Mark{At: bj("2026-03-05 10:00:00"), Kind: MarkExtendRequested, Stage: "resolve", Until: bj("2026-03-16 23:59:59")},
				Mark{At: bj("2026-03-06 10:00:00"), Kind: MarkExtendRefused, Stage: "resolve"}),
			now: "2026-03-10 12:00:00",
			want: []stageWant{
				{"accept", "met", "2026-03-03 23:59:59", "2026-03-02 11:00:00", false, false},
				{"resolve", "breached", "2026-03-09 23:59:59", "", true, false},
			},
		},
		{
			name: "extension approved after the breach keeps the breach",
			marks: enterpriseCase(
				Mark{At: bj("2026-03-11 10:00:00"), Kind: MarkExtendApproved, Stage: "resolve", Until: bj("2026-03-18 23:59:59")},
				Mark{At: bj("2026-03-12 10:00:00"), Kind: MarkAction, Status: StatusResolved}),
			now: "2026-03-12 12:00:00",
			want: []stageWant{
				{"accept", "met", "2026-03-03 23:59:59", "2026-03-02 11:00:00", false, false},
				{"resolve", "met_late", "2026-03-18 23:59:59", "2026-03-12 10:00:00", true, true},
				{"follow_up", "pending", "2026-03-16 23:59:59", "", false, false},
			},
		},
		{
			name: "extension for a stage not running is ignored",
			marks: enterpriseCase(
				Mark{At: bj("2026-03-03 10:00:00"), Kind: MarkExtendApproved, Stage: "accept", Until: bj("2026-03-18 23:59:59")}),
			now: "2026-03-04 12:00:00",
			want: []stageWant{
				{"accept", "met", "2026-03-03 23:59:59", "2026-03-02 11:00:00", false, false},
				{"resolve", "pending", "2026-03-09 23:59:59", "", false, false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ds := Compute(p, cal, tt.marks, bj(tt.now))
			equal(t, len(tt.want), len(ds), "stages listed")
			for i, w := range tt.want {
				d := ds[i]
				equal(t, w.stage, d.Stage)
				equal(t, ClockStatus(w.status), d.Status, "%s status", w.stage)
				equal(t, bj(w.due), d.DueAt, "%s due", w.stage)
				equal(t, w.breached, d.Breached, "%s breached", w.stage)
				equal(t, w.extended, d.Extended, "%s extended", w.stage)
				if w.met == "" {
					isTrue(t, d.MetAt == nil, "%s unmet", w.stage)
				} else {
					isTrue(t, d.MetAt != nil && d.MetAt.Equal(bj(w.met)), "%s met at %v", w.stage, d.MetAt)
				}
			}
		})
	}

	t.Run("max due and pending request are reported", func(t *testing.T) {
		t.Parallel()
		ds := Compute(p, cal, enterpriseCase(
			Mark{At: bj("2026-03-05 10:00:00"), Kind: MarkExtendRequested, Stage: "resolve", Until: bj("2026-03-16 23:59:59")}),
			bj("2026-03-05 12:00:00"))
		r := ds[1]
		isTrue(t, r.ExtensionPending)
		isTrue(t, r.MaxDueAt != nil && r.MaxDueAt.Equal(bj("2026-03-23 23:59:59")), "max due %v", r.MaxDueAt)
		equal(t, "5wd", r.Target)
		isTrue(t, ds[0].MaxDueAt == nil)
	})
}

func TestComputeStartAndFirstAction(t *testing.T) {
	t.Parallel()
	ps, err := ParsePolicies([]byte(`
policies:
  - name: unit
    stages:
      - {stage: unit_action, start: dispatched, stop: first_action, target: 90s}
`))
	noErr(t, err)
	p := ps[0]
	m := time.Minute

	ds := Compute(p, nil, []Mark{created(0), act(m, "note", "")}, at(2*m))
	equal(t, 0, len(ds), "not started before dispatch")

	ds = Compute(p, nil, []Mark{created(0), act(m, "dispatch", StatusDispatched)}, at(2*m))
	equal(t, 1, len(ds))
	equal(t, ClockPending, ds[0].Status, "the dispatch that starts the clock does not stop it")
	equal(t, at(m), ds[0].StartedAt)

	ds = Compute(p, nil, []Mark{created(0), act(m, "dispatch", StatusDispatched), act(2*m, "accept", StatusAccepted)}, at(3*m))
	equal(t, ClockMet, ds[0].Status)

	// Jumping past the start status starts the clock too.
	ds = Compute(p, nil, []Mark{created(0), sys(m, StatusOnSite)}, at(2*m))
	equal(t, 1, len(ds))
	equal(t, at(m), ds[0].StartedAt)
}
