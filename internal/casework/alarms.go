package casework

import (
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/sla"
)

// StageLabels are the Chinese names of the built-in SLA stages; a stage
// from a policy file without one shows its own name.
var StageLabels = map[string]string{
	"respond":   "响应",
	"dispatch":  "派单",
	"accept":    "签收",
	"arrive":    "到场",
	"resolve":   "处置",
	"follow_up": "回访",
}

// StageLabel names a stage for people.
func StageLabel(stage string) string {
	if l, ok := StageLabels[stage]; ok {
		return l
	}
	return stage
}

// DutyLeader is the leader on duty (带班领导) who receives automatic
// supervision orders when a clock breaks.
type DutyLeader struct {
	PersonID int64
	Name     string
	Phone    string
}

// Alarms answers the events the system owes a case whose clocks moved:
// a warning when a stage turned yellow, a breach when it turned red, and
// with a breach of a clock still running an automatic supervision (督办)
// addressed to the leader on duty. What the timeline already records since
// the stage last started is not written again, so firing twice writes
// nothing the second time.
func Alarms(c Case, evs []Event, now time.Time, leader *DutyLeader) []Event {
	var out []Event
	seq := c.Version
	add := func(a Action, stage string, d sla.Deadline, reason string, details map[string]any) {
		seq++
		if details == nil {
			details = map[string]any{}
		}
		details["stage"] = stage
		details["stage_label"] = StageLabel(stage)
		details["due_at"] = d.DueAt.Format(time.RFC3339Nano)
		if a == ActionDeadlineWarning {
			details["warn_at"] = d.WarnAt.Format(time.RFC3339Nano)
		}
		out = append(out, Event{CaseID: c.ID, Seq: seq, Action: a, At: now, Actor: SystemActor.Username,
			ActorName: SystemActor.Name, Reason: reason, Details: details})
	}
	var late []sla.Deadline // breached clocks still running: one supervision for all of them
	for _, d := range c.Deadlines {
		switch {
		case d.Breached && !recorded(evs, ActionDeadlineBreach, d):
			add(ActionDeadlineBreach, d.Stage, d, "“"+StageLabel(d.Stage)+"”环节已超时", nil)
			if d.Status == sla.ClockBreached {
				late = append(late, d)
			}
		case !d.Breached && d.Status == sla.ClockWarning && !recorded(evs, ActionDeadlineWarning, d):
			add(ActionDeadlineWarning, d.Stage, d, "“"+StageLabel(d.Stage)+"”环节已用去八成时限", nil)
		}
	}
	if len(late) > 0 {
		labels := make([]string, len(late))
		stages := make([]string, len(late))
		for i, d := range late {
			labels[i], stages[i] = "“"+StageLabel(d.Stage)+"”", d.Stage
		}
		details := map[string]any{"automatic": true, "stages": stages}
		reason := strings.Join(labels, "、") + "环节超时，系统自动督办"
		if leader != nil {
			details["leader_person_id"] = leader.PersonID
			details["leader_name"] = leader.Name
			reason += "，请带班领导" + leader.Name + "督促落实"
		}
		add(ActionSupervise, late[0].Stage, late[0], reason, details)
	}
	return out
}

// recorded reports whether the timeline has the alarm for this run of the
// stage's clock (a reopen restarts a clock, and it may alarm again).
func recorded(evs []Event, a Action, d sla.Deadline) bool {
	for _, ev := range evs {
		if ev.Action == a && ev.Details["stage"] == d.Stage && !ev.At.Before(d.StartedAt) {
			return true
		}
	}
	return false
}
