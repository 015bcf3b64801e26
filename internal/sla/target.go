package sla

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxTargetDays bounds day and working-day targets: anything longer than ten
// years is a typo, and the bound keeps duration arithmetic far from overflow.
const maxTargetDays = 3660

// Target is how long a stage may take: either a clock duration ("90s",
// "10m", "24h", "7d") or a number of working days ("5wd").
type Target struct {
	// Duration is the clock target; zero for a working-day target.
	Duration time.Duration
	// Workdays is the working-day target; zero for a clock target.
	Workdays int
	text     string
}

// ParseTarget reads a target. Accepted forms:
//
//   - a Go duration: "90s", "10m", "1h30m", "24h";
//   - whole days: "7d", read as 7×24h of clock time (Go durations have no
//     day unit; a "d" target ignores the calendar, nights and weekends
//     included);
//   - working days: "5wd", counted on the Chinese working-day calendar and due
//     at 23:59:59 Asia/Shanghai of the 5th working day after the start.
//
// Zero, negative and absurdly long targets are errors.
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	t := Target{text: s}
	switch {
	case s == "":
		return Target{}, fmt.Errorf("empty target")
	case strings.HasSuffix(s, "wd"):
		n, err := parseCount(strings.TrimSuffix(s, "wd"))
		if err != nil {
			return Target{}, fmt.Errorf("bad target %q: working days must be a whole number from 1 to %d, as in 5wd", s, maxTargetDays)
		}
		t.Workdays = n
	case strings.HasSuffix(s, "d"):
		n, err := parseCount(strings.TrimSuffix(s, "d"))
		if err != nil {
			return Target{}, fmt.Errorf("bad target %q: days must be a whole number from 1 to %d, as in 7d", s, maxTargetDays)
		}
		t.Duration = time.Duration(n) * 24 * time.Hour
	default:
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 || d > maxTargetDays*24*time.Hour {
			return Target{}, fmt.Errorf("bad target %q: want a positive duration (90s, 10m, 24h), days (7d) or working days (5wd)", s)
		}
		t.Duration = d
	}
	return t, nil
}

func parseCount(s string) (int, error) {
	// Only plain digits: "+5wd", "5.5wd" and "0x5wd" are typos, not targets.
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("not a count")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxTargetDays {
		return 0, fmt.Errorf("out of range")
	}
	return n, nil
}

// MustParseTarget is ParseTarget for constants in code and tests; it panics
// on a bad target.
func MustParseTarget(s string) Target {
	t, err := ParseTarget(s)
	if err != nil {
		panic("sla: " + err.Error())
	}
	return t
}

// String returns the target as written in the policy ("24h", "7d", "5wd").
func (t Target) String() string {
	switch {
	case t.text != "":
		return t.text
	case t.Workdays > 0:
		return strconv.Itoa(t.Workdays) + "wd"
	case t.Duration > 0:
		return t.Duration.String()
	}
	return ""
}

// IsZero reports whether t is the zero Target ("no target").
func (t Target) IsZero() bool { return t.Duration == 0 && t.Workdays == 0 }

// IsWorkdays reports whether t counts working days.
func (t Target) IsWorkdays() bool { return t.Workdays > 0 }

// DueFrom returns when a clock started at start falls due under t, before
// any pause or extension: start + the duration for a clock target, 23:59:59
// Asia/Shanghai of the Nth working day after start's date for a working-day
// target. The result is in Asia/Shanghai.
func (t Target) DueFrom(cal *Calendar, start time.Time) time.Time {
	if t.Workdays > 0 {
		// The bound on Workdays keeps AddWorkdays from failing.
		d, _ := cal.AddWorkdays(DateOf(start), t.Workdays)
		return d.End()
	}
	return start.Add(t.Duration).In(shanghai)
}

// compare orders two targets of the same kind; ok is false when one counts
// working days and the other clock time, which no policy can compare.
func (t Target) compare(u Target) (c int, ok bool) {
	if t.IsWorkdays() != u.IsWorkdays() {
		return 0, false
	}
	if t.IsWorkdays() {
		return cmp.Compare(t.Workdays, u.Workdays), true
	}
	return cmp.Compare(t.Duration, u.Duration), true
}
