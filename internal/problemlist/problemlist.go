// Package problemlist turns enterprise demands (企业诉求) into the zone's
// problem list (问题清单): one row per demand with its owner, deadline,
// progress and whether its loop is closed (闭环). An item is struck off
// (销号) only when it is settled and the enterprise's own word on the
// result (satisfaction at close) is recorded; an item closed without it is
// flagged for a follow-up call (待回访). The package is pure: the API reads
// the cases and their timelines, this package decides what each row says.
package problemlist

import (
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/officeday"
	"github.com/yizhan/yizhan/internal/sla"
)

// State is where an item stands on the list (办理状态), the three buckets
// the list's footer counts.
type State string

// The states of an item.
const (
	StateInProgress State = "in_progress" // 办理中
	StateOverdue    State = "overdue"     // 逾期: not settled and past its deadline
	StateDone       State = "done"        // 已办结: resolved or closed
)

// Loop is how far the item's closed loop (闭环) has come.
type Loop string

// The stages of the loop.
const (
	LoopOpen             Loop = "open"               // 未办结
	LoopAwaitingFollowUp Loop = "awaiting_follow_up" // 待回访: settled, the enterprise's word not recorded
	LoopClosed           Loop = "closed"             // 已销号
)

var stateLabels = map[State]string{StateInProgress: "办理中", StateOverdue: "逾期", StateDone: "已办结"}
var loopLabels = map[Loop]string{LoopOpen: "未办结", LoopAwaitingFollowUp: "待回访", LoopClosed: "已销号"}

// Label is the Chinese name of the state.
func (s State) Label() string { return stateLabels[s] }

// Label is the Chinese name of the loop stage.
func (l Loop) Label() string { return loopLabels[l] }

// ValidFilter reports whether v names a state or a loop stage, the values
// the list's status filter takes.
func ValidFilter(v string) bool {
	_, st := stateLabels[State(v)]
	_, lp := loopLabels[Loop(v)]
	return st || lp
}

// Excluded reports whether a case stays off the list: duplicates merged
// into another demand, and matters handed to the police, as the
// statistics leave them out.
func Excluded(s casework.Status) bool {
	return s == casework.StatusMerged || s == casework.StatusReferredPolice
}

// Ref is a named unit or enterprise.
type Ref struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Progress is the latest step taken on the item (办理进展).
type Progress struct {
	At          time.Time       `json:"at"`
	Action      casework.Action `json:"action"`
	ActionLabel string          `json:"action_label"`
	Actor       string          `json:"actor"`
	Text        string          `json:"text"`
}

// Item is one row of the problem list.
type Item struct {
	CaseID       int64           `json:"case_id"`
	Number       string          `json:"number"`
	Enterprise   *Ref            `json:"enterprise"`
	Problem      string          `json:"problem"`
	Reporter     string          `json:"reporter"`
	Channel      string          `json:"channel"`
	ChannelLabel string          `json:"channel_label"`
	OfficeDay    *sla.Date       `json:"office_day"`
	LeadUnit     *Ref            `json:"lead_unit"`
	CoUnits      []Ref           `json:"co_units"`
	Deadline     *time.Time      `json:"deadline"`
	Status       casework.Status `json:"status"`
	StatusLabel  string          `json:"status_label"`
	State        State           `json:"state"`
	StateLabel   string          `json:"state_label"`
	Overdue      bool            `json:"overdue"`
	Progress     *Progress       `json:"progress"`
	ResolvedAt   *time.Time      `json:"resolved_at"`
	ClosedAt     *time.Time      `json:"closed_at"`
	// Satisfaction is the enterprise's rating recorded at close (1-5).
	Satisfaction *int   `json:"satisfaction"`
	Loop         Loop   `json:"loop"`
	LoopLabel    string `json:"loop_label"`
	// ClosedWithoutFollowUp flags an item closed (办结) with no rating:
	// the loop is not closed, somebody must call the enterprise back.
	ClosedWithoutFollowUp bool      `json:"closed_without_follow_up"`
	CreatedAt             time.Time `json:"created_at"`
}

// Names resolves the names of units and enterprises; a missing one is "".
type Names interface {
	UnitName(id int64) string
	EnterpriseName(id int64) string
}

// Matches reports whether the item passes a status filter: any of the
// states or loop stages listed (none: every item).
func (it Item) Matches(filter []string) bool {
	if len(filter) == 0 {
		return true
	}
	for _, f := range filter {
		if State(f) == it.State || Loop(f) == it.Loop {
			return true
		}
	}
	return false
}

// Build makes the row of a case from its projection, with its deadlines
// filled, and its timeline.
func Build(c casework.Case, evs []casework.Event, names Names) Item {
	it := Item{
		CaseID: c.ID, Number: c.Number, Problem: c.Text, Reporter: c.Reporter.Name,
		Channel: c.Channel, ChannelLabel: casework.Channels[c.Channel],
		Status: c.Status, StatusLabel: c.Status.Label(), Satisfaction: c.Satisfaction,
		CoUnits: []Ref{}, CreatedAt: c.CreatedAt,
	}
	if c.EnterpriseID != nil {
		it.Enterprise = &Ref{ID: *c.EnterpriseID, Name: names.EnterpriseName(*c.EnterpriseID)}
	}
	it.OfficeDay = officeday.DayOf(&c)
	if c.UnitID != nil {
		it.LeadUnit = &Ref{ID: *c.UnitID, Name: names.UnitName(*c.UnitID)}
	}
	if c.Routing != nil {
		for _, id := range c.Routing.CoUnitIDs {
			if c.UnitID == nil || id != *c.UnitID {
				it.CoUnits = append(it.CoUnits, Ref{ID: id, Name: names.UnitName(id)})
			}
		}
	}
	for _, d := range c.Deadlines {
		if d.Stage == "resolve" {
			due := d.DueAt
			it.Deadline = &due
			it.Overdue = d.Breached
		}
	}
	for i := len(evs) - 1; i >= 0; i-- {
		ev := evs[i]
		switch ev.Action {
		case casework.ActionDeadlineWarning, casework.ActionDeadlineBreach:
			continue // the clock's own marks are not progress
		}
		it.Progress = &Progress{At: ev.At, Action: ev.Action, ActionLabel: ev.Action.Label(),
			Actor: actorName(ev), Text: progressText(ev)}
		break
	}
	// The latest resolve and close count: a reopened item settled again
	// is dated by its second settlement.
	for _, ev := range evs {
		at := ev.At
		switch ev.Action {
		case casework.ActionResolve:
			it.ResolvedAt, it.ClosedAt = &at, nil
		case casework.ActionClose:
			it.ClosedAt = &at
		case casework.ActionReopen:
			it.ResolvedAt, it.ClosedAt = nil, nil
		}
	}
	switch c.Status {
	case casework.StatusResolved, casework.StatusClosed:
		it.State = StateDone
	default:
		it.State = StateInProgress
		if it.Overdue {
			it.State = StateOverdue
		}
	}
	switch {
	case c.Status == casework.StatusClosed && c.Satisfaction != nil:
		it.Loop = LoopClosed
	case c.Status == casework.StatusClosed:
		it.Loop, it.ClosedWithoutFollowUp = LoopAwaitingFollowUp, true
	case c.Status == casework.StatusResolved:
		it.Loop = LoopAwaitingFollowUp
	default:
		it.Loop = LoopOpen
	}
	it.StateLabel, it.LoopLabel = it.State.Label(), it.Loop.Label()
	return it
}

func actorName(ev casework.Event) string {
	if ev.ActorName != "" {
		return ev.ActorName
	}
	return ev.Actor
}

// progressText is the step in words: its label, then its note or reason.
func progressText(ev casework.Event) string {
	text := ev.Action.Label()
	for _, s := range []string{ev.Note, ev.Reason} {
		if s != "" {
			return text + "：" + s
		}
	}
	return text
}

// Counts are the footer of the list: items per state, and of the settled
// ones how many are struck off and how many wait for the follow-up call.
type Counts struct {
	Total            int `json:"total"`
	Done             int `json:"done"`
	InProgress       int `json:"in_progress"`
	Overdue          int `json:"overdue"`
	Closed           int `json:"closed"`
	AwaitingFollowUp int `json:"awaiting_follow_up"`
}

// Count adds up items.
func Count(items []Item) Counts {
	var n Counts
	for _, it := range items {
		n.Total++
		switch it.State {
		case StateDone:
			n.Done++
		case StateOverdue:
			n.Overdue++
		default:
			n.InProgress++
		}
		switch it.Loop {
		case LoopClosed:
			n.Closed++
		case LoopAwaitingFollowUp:
			n.AwaitingFollowUp++
		}
	}
	return n
}
