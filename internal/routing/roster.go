package routing

import (
	"sort"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/casework"
)

// Shift is one person on duty for one unit over [Start, End) (值班).
type Shift struct {
	ID       int64     `json:"id"`
	UnitID   int64     `json:"unit_id"`
	PersonID int64     `json:"person_id"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Leader   bool      `json:"leader"` // 带班领导
	Note     string    `json:"note"`
}

// NewShift is a shift to add to the roster.
type NewShift struct {
	UnitID   int64     `json:"unit_id"`
	PersonID int64     `json:"person_id"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Leader   bool      `json:"leader"`
	Note     string    `json:"note"`
}

// MaxShift bounds one shift: a 24-hour duty is the longest the zone runs.
const MaxShift = 24 * time.Hour

// Validate checks a shift: the unit exists, the person belongs to it (or
// to a unit below it), and the times make sense.
func (n NewShift) Validate(dir *Directory, person Person) error {
	if _, ok := dir.Unit(n.UnitID); !ok {
		return casework.Invalid("unknown_unit", "单位 %d 不存在", n.UnitID)
	}
	if !dir.IsAncestor(n.UnitID, person.UnitID) {
		return casework.Invalid("person_not_in_unit", "%s 不属于该单位，不能排在这个班上", person.Name)
	}
	if n.Start.IsZero() || n.End.IsZero() || !n.End.After(n.Start) {
		return casework.Invalid("invalid_shift", "班次的结束时间须晚于开始时间")
	}
	if n.End.Sub(n.Start) > MaxShift {
		return casework.Invalid("invalid_shift", "一个班次最长 24 小时")
	}
	if utf8.RuneCountInString(n.Note) > 200 {
		return casework.Invalid("note_too_long", "班次备注最长 200 字")
	}
	return nil
}

// OnDuty answers the shifts covering instant t.
func OnDuty(shifts []Shift, t time.Time) []Shift {
	var out []Shift
	for _, s := range shifts {
		if !t.Before(s.Start) && t.Before(s.End) {
			out = append(out, s)
		}
	}
	return out
}

// Gap is a stretch of time when a unit has nobody on duty.
type Gap struct {
	UnitID   int64     `json:"unit_id"`
	UnitName string    `json:"unit_name"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Hours    int       `json:"hours"` // clock hours touched by the gap
}

// Gaps answers, for each unit that must be staffed around the clock (the
// centers and the response teams), the stretches of [from, to) that no
// shift covers. A stretch is reported whole; Hours counts the clock hours
// it touches, since the roster is read by the hour.
func Gaps(dir *Directory, shifts []Shift, from, to time.Time) []Gap {
	var out []Gap
	for _, u := range dir.Units() {
		if u.Kind != KindCenter && u.Kind != KindResponseTeam {
			continue
		}
		var own []Shift
		for _, s := range shifts {
			if s.UnitID == u.ID && s.End.After(from) && s.Start.Before(to) {
				own = append(own, s)
			}
		}
		sort.Slice(own, func(i, j int) bool { return own[i].Start.Before(own[j].Start) })
		cursor := from
		for _, s := range own {
			if s.Start.After(cursor) {
				out = append(out, newGap(u, cursor, s.Start))
			}
			if s.End.After(cursor) {
				cursor = s.End
			}
		}
		if cursor.Before(to) {
			out = append(out, newGap(u, cursor, to))
		}
	}
	return out
}

func newGap(u Unit, start, end time.Time) Gap {
	first := start.Truncate(time.Hour)
	hours := int(end.Sub(first) / time.Hour)
	if end.Sub(first)%time.Hour != 0 {
		hours++
	}
	return Gap{UnitID: u.ID, UnitName: u.Name, Start: start, End: end, Hours: hours}
}
