package casework

import (
	"time"

	"github.com/yizhan/yizhan/internal/sla"
)

// Reporter is the person who reported the case.
type Reporter struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// Location is a WGS-84 point.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Valid reports whether the point lies inside WGS-84 ranges.
func (l Location) Valid() bool {
	return l.Lat >= -90 && l.Lat <= 90 && l.Lon >= -180 && l.Lon <= 180
}

// Candidate is a possible duplicate the dispatcher may merge or dismiss.
type Candidate struct {
	ID     int64   `json:"id"`
	Number string  `json:"number,omitempty"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

// Deadline is one clock of a case: the contract's stage, due_at, met_at
// and breached, and the clock's state (pending, warning, paused…).
type Deadline = sla.Deadline

// Routing is where routing rules say a case goes: the lead unit (主办),
// co-units (协办), the rule that decided, whether it dispatched at once,
// and the enterprise micro-centers told because the case lies in their grid.
type Routing struct {
	UnitID        *int64  `json:"unit_id"`
	CoUnitIDs     []int64 `json:"co_unit_ids"`
	Rule          string  `json:"rule"`
	Dispatch      bool    `json:"dispatch"`
	NotifyUnitIDs []int64 `json:"notify_unit_ids"`
}

// Involves reports whether a unit helps on the case or was told of it.
func (r *Routing) Involves(units map[int64]bool) bool {
	if r == nil {
		return false
	}
	for _, id := range r.CoUnitIDs {
		if units[id] {
			return true
		}
	}
	for _, id := range r.NotifyUnitIDs {
		if units[id] {
			return true
		}
	}
	return false
}

// Case is the current state of a case: the projection of its event log.
type Case struct {
	ID                  int64       `json:"id"`
	Number              string      `json:"number"`
	Line                Line        `json:"line"`
	Channel             string      `json:"channel"`
	Status              Status      `json:"status"`
	Category            string      `json:"category"`
	Type                string      `json:"type"`
	Police              bool        `json:"police"`
	Risk                string      `json:"risk"`
	Priority            string      `json:"priority"`
	UnitID              *int64      `json:"unit_id"`
	OriginUnitID        *int64      `json:"origin_unit_id"`
	DuplicateOf         *int64      `json:"duplicate_of"`
	DuplicateCandidates []Candidate `json:"duplicate_candidates"`
	Outcome             *Outcome    `json:"outcome"`
	Satisfaction        *int        `json:"satisfaction"`
	Text                string      `json:"text"`
	Reporter            Reporter    `json:"reporter"`
	Address             string      `json:"address"`
	Location            *Location   `json:"location"`
	OccurredAt          time.Time   `json:"occurred_at"`
	ExternalID          string      `json:"external_id"`
	Returns             int         `json:"returns"`
	Repeats             int         `json:"repeats"`
	Deadlines           []Deadline  `json:"deadlines"`
	Routing             *Routing    `json:"routing"`
	// GridID is the grid the case lies in, EnterpriseID the enterprise its
	// report names; both fixed at receipt, for breakdowns.
	GridID       *int64 `json:"grid_id"`
	EnterpriseID *int64 `json:"enterprise_id"`
	// RepeatOf links a repeat dispute (重复纠纷) to the earlier case of the
	// same parties.
	RepeatOf *int64 `json:"repeat_of"`
	// Callers are the phones of duplicate reports merged into the case, and
	// LastReportAt the time of the latest: a caller who rings every hour
	// keeps landing on this case.
	Callers      []string   `json:"callers,omitempty"`
	LastReportAt *time.Time `json:"last_report_at,omitempty"`
	// MergedFrom is the status a merged case had before: unmerge restores it.
	MergedFrom Status `json:"-"`
	// FirstReceiver is true once the center named the lead unit under the
	// first-receiver rule (首接负责) after too many returns: it may not
	// hand the case back again.
	FirstReceiver bool `json:"first_receiver"`
	// Paused is true while the case's clocks are stopped (挂起), for
	// instance while waiting for the reporter.
	Paused    bool  `json:"paused"`
	CreatedBy int64 `json:"created_by"`
	// Version is the seq of the last event applied: the projection is
	// written only if it still holds the version it was read at.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Change is one field an event changed.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Event is one entry of a case's append-only timeline.
type Event struct {
	CaseID    int64             `json:"-"`
	Seq       int               `json:"seq"`
	Action    Action            `json:"action"`
	At        time.Time         `json:"at"`
	ActorID   int64             `json:"actor_id"`
	Actor     string            `json:"actor"`
	ActorName string            `json:"actor_name"`
	UnitID    *int64            `json:"unit_id"`
	Note      string            `json:"note"`
	Reason    string            `json:"reason,omitempty"`
	Changes   map[string]Change `json:"changes,omitempty"`
	Details   map[string]any    `json:"details,omitempty"`
}

// changes records the difference between two projections, field by field,
// so that every event says exactly what it changed.
func changes(before, after *Case) map[string]Change {
	ch := map[string]Change{}
	add := func(name string, from, to any) { ch[name] = Change{From: from, To: to} }
	if before.Status != after.Status {
		add("status", string(before.Status), string(after.Status))
	}
	if !sameID(before.UnitID, after.UnitID) {
		add("unit_id", idOrNil(before.UnitID), idOrNil(after.UnitID))
	}
	if before.Category != after.Category {
		add("category", before.Category, after.Category)
	}
	if before.Type != after.Type {
		add("type", before.Type, after.Type)
	}
	if before.Police != after.Police {
		add("police", before.Police, after.Police)
	}
	if before.Risk != after.Risk {
		add("risk", before.Risk, after.Risk)
	}
	if before.Priority != after.Priority {
		add("priority", before.Priority, after.Priority)
	}
	if !sameID(before.DuplicateOf, after.DuplicateOf) {
		add("duplicate_of", idOrNil(before.DuplicateOf), idOrNil(after.DuplicateOf))
	}
	if outcomeOrNil(before.Outcome) != outcomeOrNil(after.Outcome) {
		add("outcome", outcomeOrNil(before.Outcome), outcomeOrNil(after.Outcome))
	}
	if intOrNil(before.Satisfaction) != intOrNil(after.Satisfaction) {
		add("satisfaction", intOrNil(before.Satisfaction), intOrNil(after.Satisfaction))
	}
	if before.Returns != after.Returns {
		add("returns", before.Returns, after.Returns)
	}
	if len(before.DuplicateCandidates) != len(after.DuplicateCandidates) {
		add("duplicate_candidates", len(before.DuplicateCandidates), len(after.DuplicateCandidates))
	}
	if before.FirstReceiver != after.FirstReceiver {
		add("first_receiver", before.FirstReceiver, after.FirstReceiver)
	}
	if before.Paused != after.Paused {
		add("paused", before.Paused, after.Paused)
	}
	if !sameID(before.RepeatOf, after.RepeatOf) {
		add("repeat_of", idOrNil(before.RepeatOf), idOrNil(after.RepeatOf))
	}
	if before.Repeats != after.Repeats {
		add("repeats", before.Repeats, after.Repeats)
	}
	if len(ch) == 0 {
		return nil
	}
	return ch
}

func sameID(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func idOrNil(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func outcomeOrNil(p *Outcome) any {
	if p == nil {
		return nil
	}
	return string(*p)
}

// Clone returns a copy that shares no mutable state with c.
func (c Case) Clone() Case {
	out := c
	out.UnitID = cloneID(c.UnitID)
	out.OriginUnitID = cloneID(c.OriginUnitID)
	out.DuplicateOf = cloneID(c.DuplicateOf)
	out.GridID, out.EnterpriseID, out.RepeatOf = cloneID(c.GridID), cloneID(c.EnterpriseID), cloneID(c.RepeatOf)
	out.Callers = append([]string(nil), c.Callers...)
	if c.LastReportAt != nil {
		t := *c.LastReportAt
		out.LastReportAt = &t
	}
	if c.Outcome != nil {
		o := *c.Outcome
		out.Outcome = &o
	}
	if c.Satisfaction != nil {
		s := *c.Satisfaction
		out.Satisfaction = &s
	}
	if c.Location != nil {
		l := *c.Location
		out.Location = &l
	}
	out.DuplicateCandidates = append([]Candidate(nil), c.DuplicateCandidates...)
	out.Deadlines = append([]Deadline(nil), c.Deadlines...)
	if c.Routing != nil {
		r := *c.Routing
		r.UnitID = cloneID(r.UnitID)
		r.CoUnitIDs = append([]int64(nil), r.CoUnitIDs...)
		r.NotifyUnitIDs = append([]int64(nil), r.NotifyUnitIDs...)
		out.Routing = &r
	}
	return out
}

func cloneID(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
