package dedup

import (
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Report is what the check needs to know of a case or of a new report.
type Report struct {
	ID int64
	// At is when the incident was reported to have happened.
	At time.Time
	// LastAt is the time of the latest report merged into the case, zero if
	// none: a caller who rings every hour keeps the window open.
	LastAt   time.Time
	Text     string
	Phone    string
	Address  string
	Location *casework.Location
	Line     string
	// Channel is how the report came in (110, 12345, grid…). A grid worker
	// or an enterprise liaison reports many unrelated things from one
	// phone, so their number says nothing about the parties.
	Channel        string
	Category, Type string
	Status         string
	// ClosedAt is when the case was resolved or closed, nil while open.
	ClosedAt *time.Time
	// Parties are names known apart from the text: an enterprise's name, a
	// party's full name entered by the dispatcher.
	Parties []string
	// Phones are more caller numbers of the case: those of duplicates
	// merged into it.
	Phones []string
}

// FromCase summarises a stored case. A case has no resolution time of its
// own, so a resolved or closed case counts as finished at its last update.
// The reporter's name is left out of Parties on purpose: the reporter is
// often a passer-by or a grid worker, not a party to the dispute.
func FromCase(c casework.Case) Report {
	r := Report{
		ID:       c.ID,
		At:       c.OccurredAt,
		Text:     c.Text,
		Phone:    c.Reporter.Phone,
		Address:  c.Address,
		Line:     string(c.Line),
		Channel:  c.Channel,
		Category: c.Category,
		Type:     c.Type,
		Status:   string(c.Status),
	}
	if r.At.IsZero() {
		r.At = c.CreatedAt
	}
	if c.Location != nil {
		l := *c.Location
		r.Location = &l
	}
	if c.Status == casework.StatusResolved || c.Status == casework.StatusClosed {
		t := c.UpdatedAt
		r.ClosedAt = &t
	}
	return r
}

// intermediaryChannels are channels whose caller is not a party: the
// number and name belong to the grid worker, the enterprise liaison or the
// station.
var intermediaryChannels = map[string]bool{"grid": true, "enterprise": true, "station": true}

// targetState says what an old case may still become.
type targetState int

const (
	stateOpen     targetState = iota // may take a merge
	stateFinished                    // resolved or closed: may come back as a repeat
	stateGone                        // merged or referred to the police: never a target
)

// state classifies the old report's status. Resolved counts as open for a
// merge, since the engine accepts merges into any open status, but as
// finished for a repeat, since its handling is over.
func (r Report) state() (targetState, bool) {
	switch casework.Status(r.Status) {
	case casework.StatusMerged, casework.StatusReferredPolice:
		return stateGone, false
	case casework.StatusClosed:
		return stateFinished, false
	case casework.StatusResolved:
		return stateFinished, true
	}
	if r.ClosedAt != nil {
		return stateFinished, false
	}
	return stateOpen, true
}

// lastSeen is the latest moment the case was reported.
func (r Report) lastSeen() time.Time {
	if r.LastAt.After(r.At) {
		return r.LastAt
	}
	return r.At
}
