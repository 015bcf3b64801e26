package sla

import (
	"testing"
	"time"
)

func TestValidateExtension(t *testing.T) {
	t.Parallel()
	ps := DefaultPolicies()
	ent := ps.Get("enterprise")
	cal := DefaultCalendar()
	now := bj("2026-03-05 12:00:00")
	deadlines := Compute(ent, cal, enterpriseCase(), now)
	// resolve: due 2026-03-09 23:59:59, at most 2026-03-23 23:59:59.

	merged := enterpriseCase(Mark{At: bj("2026-03-04 10:00:00"), Kind: MarkAction, Status: StatusMerged})
	incident := ps.Get("12510")
	incidentDeadlines := Compute(incident, cal, []Mark{created(0)}, at(time.Minute))

	tests := []struct {
		name      string
		policy    *Policy
		deadlines []Deadline
		stage     string
		until     time.Time
		reason    string
		now       time.Time
		want      error
	}{
		{"within the cap", ent, deadlines, "resolve", bj("2026-03-16 23:59:59"), "等待企业补充材料", now, nil},
		{"up to the cap", ent, deadlines, "resolve", bj("2026-03-23 23:59:59"), "涉及多部门", now, nil},
		{"past the cap", ent, deadlines, "resolve", bj("2026-03-24 00:00:00"), "涉及多部门", now, ErrExtensionTooLong},
		{"unknown stage", ent, deadlines, "review", bj("2026-03-16 23:59:59"), "x", now, ErrUnknownStage},
		{"empty stage", ent, deadlines, "", bj("2026-03-16 23:59:59"), "x", now, ErrUnknownStage},
		{"missing reason", ent, deadlines, "resolve", bj("2026-03-16 23:59:59"), " \t", now, ErrReasonRequired},
		{"stage already met", ent, deadlines, "accept", bj("2026-03-16 23:59:59"), "x", now, ErrStageMet},
		{"stage not started", ent, deadlines, "follow_up", bj("2026-03-16 23:59:59"), "x", now, ErrStageNotRunning},
		{"until in the past", ent, deadlines, "resolve", bj("2026-03-05 11:00:00"), "x", now, ErrUntilInPast},
		{"until now", ent, deadlines, "resolve", now, "x", now, ErrUntilInPast},
		{"until before the due time", ent, deadlines, "resolve", bj("2026-03-08 12:00:00"), "x", now, ErrUntilNotAfterDue},
		{"until at the due time", ent, deadlines, "resolve", bj("2026-03-09 23:59:59"), "x", now, ErrUntilNotAfterDue},
		{"cancelled stage", ent, Compute(ent, cal, merged, now), "resolve", bj("2026-03-16 23:59:59"), "x", now, ErrStageNotRunning},
		{"no policy", nil, nil, "resolve", bj("2026-03-16 23:59:59"), "x", now, ErrNoPolicyForExtend},
		{"uncapped stage", incident, incidentDeadlines, "resolve", at(30 * 24 * time.Hour), "等待当事人", at(time.Minute), nil},
		{"breached stage may be extended", incident, incidentDeadlines, "dispatch", at(time.Hour), "x", at(time.Minute), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := ValidateExtension(tt.policy, tt.deadlines, tt.stage, tt.until, tt.reason, tt.now)
			if tt.want == nil {
				noErr(t, err)
				return
			}
			errIs(t, err, tt.want)
		})
	}
}

func TestValidatedExtensionIsApplied(t *testing.T) {
	t.Parallel()
	// The round trip the HTTP layer makes: validate, store the marks,
	// recompute; the new due time is exactly what was asked for.
	ent := DefaultPolicies().Get("enterprise")
	cal := DefaultCalendar()
	now := bj("2026-03-05 12:00:00")
	until := bj("2026-03-20 18:00:00")
	noErr(t, ValidateExtension(ent, Compute(ent, cal, enterpriseCase(), now), "resolve", until, "涉及多部门", now))
	marks := enterpriseCase(
		Mark{At: now, Kind: MarkExtendRequested, Stage: "resolve", Until: until},
		Mark{At: now.Add(time.Hour), Kind: MarkExtendApproved, Stage: "resolve"})
	r := Compute(ent, cal, marks, now.Add(2*time.Hour))[1]
	equal(t, until, r.DueAt)
	isTrue(t, r.Extended)
	isTrue(t, !r.ExtensionPending)
}
