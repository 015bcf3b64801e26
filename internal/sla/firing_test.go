package sla

import (
	"testing"
	"time"
)

func TestNextFirings(t *testing.T) {
	t.Parallel()
	p := DefaultPolicies().Get("12510")
	cal := DefaultCalendar()
	s, m, h := time.Second, time.Minute, time.Hour
	type fire struct {
		stage string
		kind  FiringKind
		at    time.Duration
	}
	tests := []struct {
		name  string
		marks []Mark
		now   time.Duration
		want  []fire
	}{
		{
			name:  "fresh case",
			marks: []Mark{created(0)},
			now:   30 * s,
			want: []fire{
				{"respond", FiringWarn, 48 * s},
				{"respond", FiringBreach, m},
				{"dispatch", FiringWarn, 96 * s},
				{"dispatch", FiringBreach, 2 * m},
				{"accept", FiringWarn, 4 * m},
				{"accept", FiringBreach, 5 * m},
				{"arrive", FiringWarn, 8 * m},
				{"arrive", FiringBreach, 10 * m},
				{"resolve", FiringWarn, hours(19.2)},
				{"resolve", FiringBreach, 24 * h},
			},
		},
		{
			name:  "warning stage only breaches; breached and met ones are done",
			marks: []Mark{created(0), act(30*s, "note", "")},
			now:   100 * s,
			want: []fire{
				{"dispatch", FiringBreach, 2 * m},
				{"accept", FiringWarn, 4 * m},
				{"accept", FiringBreach, 5 * m},
				{"arrive", FiringWarn, 8 * m},
				{"arrive", FiringBreach, 10 * m},
				{"resolve", FiringWarn, hours(19.2)},
				{"resolve", FiringBreach, 24 * h},
			},
		},
		{
			name:  "paused stages fire nothing",
			marks: append(handled(), pause(h, "")),
			now:   2 * h,
			want:  nil,
		},
		{
			name:  "cancelled stages fire nothing",
			marks: []Mark{created(0), act(30*s, "merge", StatusMerged)},
			now:   m,
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []fire
			for _, f := range NextFirings(Compute(p, cal, tt.marks, at(tt.now))) {
				got = append(got, fire{f.Stage, f.Kind, f.At.Sub(t0)})
			}
			equal(t, tt.want, got)
		})
	}
}

func TestFiringsDriveTheClock(t *testing.T) {
	t.Parallel()
	// What the scheduler does: compute, sleep until the first firing,
	// compute again at that instant and find the state changed.
	p := DefaultPolicies().Get("12510")
	cal := DefaultCalendar()
	marks := []Mark{created(0)}
	now := at(0)
	var seen []string
	for range 6 {
		fs := NextFirings(Compute(p, cal, marks, now))
		if len(fs) == 0 {
			break
		}
		now = fs[0].At
		for _, d := range Compute(p, cal, marks, now) {
			if d.Stage == fs[0].Stage {
				seen = append(seen, d.Stage+":"+string(d.Status))
			}
		}
	}
	equal(t, []string{
		"respond:warning", "respond:breached",
		"dispatch:warning", "dispatch:breached",
		"accept:warning", "accept:breached",
	}, seen)
}
