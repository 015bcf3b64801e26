package casework

import (
	"slices"
	"strings"
	"time"
)

// DuplicateMatch is what the duplicate check found: a case, how sure it
// is and why, in words for the dispatcher.
type DuplicateMatch struct {
	ID      int64
	Number  string
	Score   float64
	Reasons []string
}

// Reason joins the reasons as the dispatcher reads them.
func (m DuplicateMatch) Reason() string { return strings.Join(m.Reasons, "；") }

// RaiseRisk is one level up: a dispute that keeps coming back can escalate.
func RaiseRisk(r string) string {
	switch r {
	case RiskLow:
		return RiskMedium
	default:
		return RiskHigh
	}
}

// MergeOnReceipt makes a report received a moment ago a duplicate of the
// open case it repeats (重复报警): merged, pointing at the master, with the
// system's merge event after its receipt.
func MergeOnReceipt(c Case, evs []Event, master Case, m DuplicateMatch, now time.Time) (Case, []Event) {
	before := c.Clone()
	c.Status = StatusMerged
	c.DuplicateOf = &master.ID
	c.MergedFrom = before.Status
	c.Version++
	c.UpdatedAt = now
	ev := Event{Seq: c.Version, Action: ActionMerge, At: now, Actor: SystemActor.Username, ActorName: SystemActor.Name,
		Reason:  "自动合并重复报警：" + m.Reason(),
		Details: map[string]any{"into": master.ID, "into_number": master.Number, "score": m.Score, "reasons": m.Reasons, "automatic": true}}
	ev.Changes = changes(&before, &c)
	return c, append(evs, ev)
}

// AddDuplicate records on the master case a duplicate report merged into
// it: the extra reporter and text, one more repeat, the caller among its
// callers, and a higher risk when the calls keep coming (the contract's
// "repeated calls about one dispute").
func AddDuplicate(master, dup Case, actor Actor, note string, now time.Time) (Case, Event) {
	m := master.Clone()
	m.Repeats++
	if p := dup.Reporter.Phone; p != "" && p != master.Reporter.Phone && !slices.Contains(m.Callers, p) {
		m.Callers = append(m.Callers, p)
	}
	// A suspected duplicate merged in is no longer a suspicion.
	m.DuplicateCandidates = slices.DeleteFunc(m.DuplicateCandidates, func(cand Candidate) bool { return cand.ID == dup.ID })
	at := dup.CreatedAt
	m.LastReportAt = &at
	switch {
	case m.Repeats >= 2:
		m.Risk = RiskHigh
	case m.Risk == RiskLow:
		m.Risk = RiskMedium
	}
	m.Priority = PriorityFor(m.Police, m.Risk)
	m.Version = master.Version + 1
	m.UpdatedAt = now
	ev := Event{
		CaseID: master.ID, Seq: m.Version, Action: ActionDuplicateAdded, At: now,
		ActorID: actor.UserID, Actor: actor.Username, ActorName: actor.Name, UnitID: cloneID(actor.UnitID), Note: note,
		Details: map[string]any{"case_id": dup.ID, "number": dup.Number, "reporter": dup.Reporter, "text": dup.Text, "repeats": m.Repeats},
	}
	ev.Changes = changes(&master, &m)
	return m, ev
}

// LinkRepeat marks a new report as a repeat dispute (重复纠纷): the same
// parties back after earlier cases were settled. It points at the latest
// earlier case, records the history as an event, and raises the risk at
// least one level (to risk, triage's reading with the repeats, if higher).
func LinkRepeat(c Case, evs []Event, earlier []DuplicateMatch, risk string, now time.Time) (Case, []Event) {
	if len(earlier) == 0 {
		return c, evs
	}
	before := c.Clone()
	c.RepeatOf = &earlier[0].ID
	c.Risk = higherRisk(RaiseRisk(c.Risk), risk)
	c.Priority = PriorityFor(c.Police, c.Risk)
	c.Version++
	c.UpdatedAt = now
	history := make([]map[string]any, 0, len(earlier))
	for _, e := range earlier {
		history = append(history, map[string]any{"id": e.ID, "number": e.Number, "score": e.Score, "reason": e.Reason()})
	}
	ev := Event{Seq: c.Version, Action: ActionRepeatLinked, At: now, Actor: SystemActor.Username, ActorName: SystemActor.Name,
		Reason: "30天内同一当事人的纠纷再次发生：" + earlier[0].Reason(), Details: map[string]any{"history": history}}
	ev.Changes = changes(&before, &c)
	return c, append(evs, ev)
}

// Candidates lists possible duplicates for the dispatcher to merge or
// dismiss.
func Candidates(ms []DuplicateMatch) []Candidate {
	out := make([]Candidate, 0, len(ms))
	for _, m := range ms {
		out = append(out, Candidate{ID: m.ID, Number: m.Number, Score: m.Score, Reason: m.Reason()})
	}
	return out
}

var riskRank = map[string]int{RiskLow: 1, RiskMedium: 2, RiskHigh: 3}

func higherRisk(a, b string) string {
	if riskRank[b] > riskRank[a] {
		return b
	}
	return a
}
