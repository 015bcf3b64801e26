package casework

import (
	"errors"
	"time"

	"github.com/yizhan/yizhan/internal/sla"
)

// Clocks turns a case's event log into its SLA deadlines: the policy the
// case matches, the working-day calendar, and the replay of its events.
// Deadlines are a projection of the log like every other field, so they
// can always be computed again.
type Clocks struct {
	Policies sla.Policies
	Calendar *sla.Calendar
}

// Policy answers the policy a case falls under, or nil.
func (k *Clocks) Policy(c *Case) *sla.Policy {
	if k == nil {
		return nil
	}
	return k.Policies.Match(sla.Attrs{Line: string(c.Line), Category: c.Category, Type: c.Type, Priority: c.Priority, Risk: c.Risk})
}

// Deadlines answers the case's deadlines as they stand at now, and when
// the next warning or breach will fire (nil when none is ahead).
func (k *Clocks) Deadlines(c *Case, evs []Event, now time.Time) ([]Deadline, *time.Time) {
	return k.DeadlinesOf(c, Marks(evs), now)
}

// DeadlinesOf is Deadlines from the marks of the case's timeline (Marks),
// which a store may keep rather than read the timeline again.
func (k *Clocks) DeadlinesOf(c *Case, marks []sla.Mark, now time.Time) ([]Deadline, *time.Time) {
	p := k.Policy(c)
	if p == nil {
		return []Deadline{}, nil
	}
	ds := sla.Compute(p, k.Calendar, marks, now)
	if ds == nil {
		ds = []Deadline{}
	}
	fs := sla.NextFirings(ds)
	if len(fs) == 0 {
		return ds, nil
	}
	next := fs[0].At
	return ds, &next
}

// extensionMarks are the marks of the steps of an extension.
var extensionMarks = map[Action]sla.MarkKind{
	ActionExtend:     sla.MarkExtendRequested,
	ActionApproveExt: sla.MarkExtendApproved,
	ActionRefuseExt:  sla.MarkExtendRefused,
}

// Marks reduces a timeline to what the clocks need. Actions by people
// count as responses; what the system writes (warnings, automatic
// supervision) does not, except a status it changes (a rule's dispatch).
func Marks(evs []Event) []sla.Mark {
	out := make([]sla.Mark, 0, len(evs))
	for _, ev := range evs {
		m := sla.Mark{At: ev.At, Action: string(ev.Action)}
		if ch, ok := ev.Changes["status"]; ok {
			m.Status, _ = ch.To.(string)
		}
		switch ev.Action {
		case ActionReceive:
			m.Kind = sla.MarkCreated
		case ActionPause:
			m.Kind = sla.MarkPause
		case ActionResume:
			m.Kind = sla.MarkResume
		case ActionExtend, ActionApproveExt, ActionRefuseExt:
			m.Kind = extensionMarks[ev.Action]
			m.Stage, _ = ev.Details["stage"].(string)
			if u, ok := ev.Details["until"].(string); ok {
				m.Until, _ = time.Parse(time.RFC3339, u)
			}
		default:
			m.Kind = sla.MarkAction
			if ev.Actor == SystemActor.Username {
				if m.Status == "" {
					continue
				}
				m.Kind = sla.MarkStatus
			}
		}
		out = append(out, m)
	}
	return out
}

// CheckExtension says whether an extension of a stage may be asked for,
// given the case's deadlines.
func (k *Clocks) CheckExtension(c Case, stage string, until time.Time, reason string, now time.Time) error {
	err := sla.ValidateExtension(k.Policy(&c), c.Deadlines, stage, until, reason, now)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sla.ErrNoPolicyForExtend):
		return Invalid("no_sla", "该工单不适用任何时限规则，无需延期")
	case errors.Is(err, sla.ErrUnknownStage):
		return Invalid("unknown_stage", "环节“%s”不在该工单的时限规则中", stage)
	case errors.Is(err, sla.ErrStageNotRunning):
		return Invalid("stage_not_running", "环节“%s”的时限没有在计时", stage)
	case errors.Is(err, sla.ErrStageMet):
		return Invalid("stage_met", "环节“%s”已经完成，无需延期", stage)
	case errors.Is(err, sla.ErrUntilInPast):
		return Invalid("until_in_past", "延期期限不能早于当前时间")
	case errors.Is(err, sla.ErrUntilNotAfterDue):
		return Invalid("until_not_after_due", "延期期限须晚于当前期限")
	case errors.Is(err, sla.ErrExtensionTooLong):
		return Invalid("extension_too_long", "延期超过该环节允许的最长期限")
	case errors.Is(err, sla.ErrReasonRequired):
		return Invalid("reason_required", "延期须填写理由")
	}
	return Invalid("invalid_extension", "延期申请无效：%v", err)
}

// ClockNeutral reports whether an event leaves a case's clocks as they
// were: written by the system (so not a response), changing no status and
// nothing a policy is chosen by. Such an event (another duplicate call
// merged into a busy case) needs no replay of the timeline.
func ClockNeutral(ev Event, before, after *Case) bool {
	if ev.Actor != SystemActor.Username {
		return false
	}
	switch ev.Action {
	case ActionPause, ActionResume, ActionExtend, ActionApproveExt, ActionRefuseExt:
		return false
	}
	return before.Status == after.Status && before.Line == after.Line && before.Category == after.Category &&
		before.Type == after.Type && before.Priority == after.Priority && before.Risk == after.Risk
}
