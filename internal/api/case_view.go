package api

import (
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/officeday"
	"github.com/yizhan/yizhan/internal/sla"
)

// caseView is a case as a client sees it: the contract's fields, labels a
// console can show, and the actions the state machine allows now.
type caseView struct {
	casework.Case
	StatusLabel    string            `json:"status_label"`
	AllowedActions []casework.Action `json:"allowed_actions"`
	// CanRate (extension) says whether the account may give the rating
	// (满意度) when it closes the case: the center and the reporting unit
	// may, the unit that handled it may not.
	CanRate bool             `json:"can_rate"`
	Events  []casework.Event `json:"events,omitempty"`

	// OfficeDay (extension) is the office day a demand of channel
	// office_day was raised at: the date of its occurred_at.
	OfficeDay *sla.Date `json:"office_day,omitempty"`
}

// viewCase shapes a case for the account asking: reporters' phone numbers
// are masked for roles that do not need them, and the actions listed are
// those the account, whose part of the zone is scope, may take now.
func viewCase(c casework.Case, actor casework.Actor, scope casework.Scope) caseView {
	v := shapeCase(c, !actor.Role.SeesPhones())
	v.AllowedActions = []casework.Action{}
	// An action can leave the case out of the account's sight (a return,
	// a transfer elsewhere): it may then do nothing more to it.
	if scope.Sees(&c) {
		v.AllowedActions = casework.Available(&c, actor, scope)
		rating := 5
		v.CanRate = casework.Permit(actor, scope, &c, casework.Command{Action: casework.ActionClose, Satisfaction: &rating}) == nil
	}
	return v
}

// shapeCase is the case as every client sees it, phones masked or not.
func shapeCase(c casework.Case, masked bool) caseView {
	if masked && len(c.Callers) > 0 {
		callers := make([]string, len(c.Callers))
		for i, p := range c.Callers {
			callers[i] = casework.MaskPhone(p)
		}
		c.Callers = callers
	}
	if masked {
		c.Reporter.Phone = casework.MaskPhone(c.Reporter.Phone)
	}
	if c.DuplicateCandidates == nil {
		c.DuplicateCandidates = []casework.Candidate{}
	}
	if c.Deadlines == nil {
		c.Deadlines = []casework.Deadline{}
	}
	if c.Routing != nil {
		rt := *c.Routing
		if rt.CoUnitIDs == nil {
			rt.CoUnitIDs = []int64{}
		}
		if rt.NotifyUnitIDs == nil {
			rt.NotifyUnitIDs = []int64{}
		}
		c.Routing = &rt
	}
	return caseView{Case: c, StatusLabel: c.Status.Label(), OfficeDay: officeday.DayOf(&c)}
}

// viewEvents masks what a timeline repeats of other reporters.
func viewEvents(evs []casework.Event, role casework.Role) []casework.Event {
	if role.SeesPhones() {
		return evs
	}
	out := make([]casework.Event, len(evs))
	for i, ev := range evs {
		out[i] = casework.MaskEvent(ev)
	}
	return out
}
