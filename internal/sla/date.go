package sla

import (
	"cmp"
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // a static binary may run where no zoneinfo is installed
)

// shanghai is loaded once and never changed: every day boundary in the zone
// is a Beijing-time boundary, whatever the server's own TZ says.
var shanghai = loadShanghai()

func loadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// Cannot happen with time/tzdata linked in; China has kept UTC+8
		// without daylight saving since 1991, so the fixed zone is exact for
		// every date this package deals with.
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// Location returns Asia/Shanghai, the zone in which the calendar's days start
// and end and in which computed deadlines are expressed.
func Location() *time.Location { return shanghai }

// Date is a civil date (year, month, day) with no time of day and no zone.
// Working days are properties of dates, not of instants, so the calendar
// speaks in Dates and converts at the Asia/Shanghai day boundary.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalising out-of-range values the way
// time.Date does (2026-02-30 becomes 2026-03-02).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, shanghai))
}

// DateOf returns the Asia/Shanghai calendar date of the instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(shanghai).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ErrDateFormat is a date that is not written YYYY-MM-DD or does not
// exist.
var ErrDateFormat = errors.New("sla: date: want YYYY-MM-DD")

// ParseDate parses a date written YYYY-MM-DD and rejects dates that do not
// exist (2026-02-30) rather than rolling them over.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, shanghai)
	if err != nil {
		return Date{}, fmt.Errorf("%w: %q", ErrDateFormat, s)
	}
	return DateOf(t), nil
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date, which stands for "no date".
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d names a real day (not 2026-02-30, not month 13).
func (d Date) Valid() bool {
	return d.Year >= 1 && d.Year <= 9999 && NewDate(d.Year, d.Month, d.Day) == d
}

// Start returns 00:00:00 Asia/Shanghai on d.
func (d Date) Start() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, shanghai)
}

// End returns 23:59:59 Asia/Shanghai on d: the last second of the day, which
// is how the zone writes "by the end of the Nth working day" on a form.
func (d Date) End() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, 0, shanghai)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Start().Weekday() }

// AddDays returns the date n calendar days after d (before it if n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmp.Compare(d.Year, e.Year)
	case d.Month != e.Month:
		return cmp.Compare(int(d.Month), int(e.Month))
	default:
		return cmp.Compare(d.Day, e.Day)
	}
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText writes YYYY-MM-DD so a Date travels as a plain JSON string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// daysSinceEpoch counts days from 1970-01-01, so that weekday arithmetic over
// long ranges needs no loop.
func (d Date) daysSinceEpoch() int {
	u := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return int(u.Unix() / 86400)
}
