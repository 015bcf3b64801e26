package stats

import "time"

// Group is one row of a breakdown: the counts the report needs.
type Group struct {
	Key            string
	Reports        int64 // every report received, merged ones included
	Total          int64 // disputes: without merged duplicates and police matters
	Success        int64
	Resolved       int64 // resolved or closed
	Closed         int64 // closed: the follow-up call was made (回访)
	Rated          int64 // closed with a satisfaction rating
	Satisfied      int64 // rated 4 or 5
	Merged         int64
	ReferredPolice int64
	Repeats        int64 // linked as repeat disputes (重复纠纷)
	Open           int64
	HighRisk       int64
}

// StageTime is one stage of one case that stopped, breached or was
// cancelled.
type StageTime struct {
	Stage     string
	StartedAt time.Time
	DueAt     time.Time
	MetAt     *time.Time
	Breached  bool
	Status    string
}

// UnitCount is a count of events by the unit that did them.
type UnitCount struct {
	UnitID int64
	N      int64
}

// Filter selects cases for breakdowns. Zero fields do not filter.
type Filter struct {
	From, To   time.Time
	Line       string
	Channel    string
	Category   string
	Type       string
	UnitID     *int64
	GridID     *int64
	Enterprise *int64
	Risk       string
}
