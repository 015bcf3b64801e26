package dedup

import "strings"

// Level is what a match means for the new report.
type Level int

// The levels, from nothing to a dispute coming back.
const (
	// None: unrelated, or not a target at all.
	None Level = iota
	// Candidate (疑似重复): shown to the dispatcher, who decides.
	Candidate
	// Merge (重复报警): the same incident; merge the new report into the
	// old case without asking.
	Merge
	// Repeat (重复纠纷): the same parties back after the old case was
	// resolved or closed; raise the new case's risk.
	Repeat
)

var levelNames = [...]string{"none", "candidate", "merge", "repeat"}
var levelLabels = [...]string{"无关", "疑似重复", "重复报警", "重复纠纷"}

// String answers the level's name in the API: none, candidate, merge, repeat.
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "none"
	}
	return levelNames[l]
}

// Label answers the level as the dispatcher reads it.
func (l Level) Label() string {
	if l < 0 || int(l) >= len(levelLabels) {
		return levelLabels[0]
	}
	return levelLabels[l]
}

// MarshalText writes the level by name, so that JSON carries "merge", not 2.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Match is the verdict on one old report.
type Match struct {
	// ID is the old report's ID.
	ID int64
	// Score is the strength of the evidence, from 0 to 1.
	Score float64
	Level Level
	// Reasons say why, in Chinese, for the dispatcher: "同一来电号码，40分钟前已报".
	Reasons []string
}

// Reason answers the reasons as one line, as casework.Candidate holds them.
func (m Match) Reason() string { return strings.Join(m.Reasons, "；") }
