package sla

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// holidaysYAML is the State Council holiday data shipped with the binary; it
// lives in a readable file so that a reviewer can check it against the
// notices line by line.
//
//go:embed holidays.yaml
var holidaysYAML []byte

// MaxAddWorkdays bounds AddWorkdays: no SLA counts anywhere near 10,000
// working days (about forty years), and the bound keeps a hostile
// ?add=999999999 from spinning a request handler.
const MaxAddWorkdays = 10000

// Errors returned by the working-day arithmetic; the HTTP layer maps them to
// 400 answers.
var (
	ErrNegativeWorkdays = errors.New("sla: number of working days must not be negative")
	ErrTooManyWorkdays  = fmt.Errorf("sla: number of working days must not exceed %d", MaxAddWorkdays)
	ErrInvalidDate      = errors.New("sla: invalid date")
)

// DayKind says why a date is or is not a working day.
type DayKind string

// The kinds of day the calendar knows.
const (
	// KindWorkday is an ordinary Monday to Friday.
	KindWorkday DayKind = "workday"
	// KindWeekend is an ordinary Saturday or Sunday.
	KindWeekend DayKind = "weekend"
	// KindHoliday is a day off by the State Council notice or an override.
	KindHoliday DayKind = "holiday"
	// KindMakeupWorkday is a weekend day worked in exchange for a holiday (调休上班).
	KindMakeupWorkday DayKind = "makeup_workday"
)

// Day describes one date as the calendar sees it.
type Day struct {
	Date    Date    `json:"date"`
	Workday bool    `json:"workday"`
	Kind    DayKind `json:"kind"`
	// Name is the holiday the day belongs to (春节, 国庆节…), empty on plain days.
	Name string `json:"name,omitempty"`
	// Provisional marks dates taken from a year with no published notice yet.
	Provisional bool `json:"provisional,omitempty"`
	// Override marks dates set by an administrator rather than by the data file.
	Override bool `json:"override,omitempty"`
}

// Override is an administrator's correction of one date: a holiday the data
// file lacks (a 2027 bridge day once the notice is out, a local typhoon day)
// or a working day it lacks (a 调休 Saturday).
type Override struct {
	Date    Date   `json:"date"`
	Workday bool   `json:"workday"`
	Name    string `json:"name,omitempty"`
}

// YearSource tells where a year's dates come from.
type YearSource struct {
	Year        int    `json:"year"`
	Notice      string `json:"notice"`
	Issued      Date   `json:"issued,omitzero"`
	Provisional bool   `json:"provisional,omitempty"`
}

// Calendar answers whether a date is a working day in mainland China:
// Monday to Friday, minus the public holidays, plus the make-up working days
// (调休) of the State Council notices, plus administrator overrides.
//
// Years outside the data file (the built-in one covers 2023 to 2027, 2027
// provisionally) fall back to plain weekends: Saturday and Sunday off, every
// other day worked. A Calendar is immutable and safe for concurrent use;
// WithOverrides returns a new one. A nil *Calendar is usable and counts plain
// weekends only.
type Calendar struct {
	special   map[Date]Day // dates that differ from the weekend rule, or carry a name
	years     []YearSource
	overrides []Override
}

// DefaultCalendar returns the calendar built from the embedded holidays.yaml
// (2023 to 2027, 2027 provisional). It panics only if the embedded file is
// broken, which the package tests rule out.
func DefaultCalendar() *Calendar {
	c, err := ParseCalendar(holidaysYAML)
	if err != nil {
		panic("sla: embedded holidays.yaml: " + err.Error())
	}
	return c
}

// calendarFile is the shape of holidays.yaml.
type calendarFile struct {
	Years []struct {
		Year        int    `yaml:"year"`
		Notice      string `yaml:"notice"`
		Issued      string `yaml:"issued"`
		Provisional bool   `yaml:"provisional"`
		Holidays    []struct {
			Name string   `yaml:"name"`
			From string   `yaml:"from"`
			To   string   `yaml:"to"`
			Work []string `yaml:"work"`
		} `yaml:"holidays"`
	} `yaml:"years"`
}

// ParseCalendar reads a calendar in the format of the embedded holidays.yaml,
// for a deployment that ships its own file. Unknown keys, bad dates, a "to"
// before its "from", a make-up working day that is not a weekend day and a
// date listed twice are errors.
func ParseCalendar(data []byte) (*Calendar, error) {
	var f calendarFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("sla calendar: %w", err)
	}
	c := &Calendar{special: make(map[Date]Day)}
	seenYear := make(map[int]bool)
	for _, y := range f.Years {
		if y.Year < 1 || y.Year > 9999 || seenYear[y.Year] {
			return nil, fmt.Errorf("sla calendar: year %d missing, out of range or listed twice", y.Year)
		}
		seenYear[y.Year] = true
		src := YearSource{Year: y.Year, Notice: y.Notice, Provisional: y.Provisional}
		if y.Issued != "" {
			d, err := ParseDate(y.Issued)
			if err != nil {
				return nil, fmt.Errorf("sla calendar: year %d issued: %w", y.Year, err)
			}
			src.Issued = d
		}
		c.years = append(c.years, src)
		add := func(day Day) error {
			if _, dup := c.special[day.Date]; dup {
				return fmt.Errorf("sla calendar: %s listed twice", day.Date)
			}
			c.special[day.Date] = day
			return nil
		}
		for _, h := range y.Holidays {
			if strings.TrimSpace(h.Name) == "" {
				return nil, fmt.Errorf("sla calendar: year %d: holiday without a name", y.Year)
			}
			from, err := ParseDate(h.From)
			if err != nil {
				return nil, fmt.Errorf("sla calendar: %s from: %w", h.Name, err)
			}
			to := from
			if h.To != "" {
				if to, err = ParseDate(h.To); err != nil {
					return nil, fmt.Errorf("sla calendar: %s to: %w", h.Name, err)
				}
			}
			if to.Before(from) || to.After(from.AddDays(31)) {
				return nil, fmt.Errorf("sla calendar: %s: %s..%s is not a holiday period", h.Name, from, to)
			}
			for d := from; !d.After(to); d = d.AddDays(1) {
				if err := add(Day{Date: d, Kind: KindHoliday, Name: h.Name, Provisional: y.Provisional}); err != nil {
					return nil, err
				}
			}
			for _, w := range h.Work {
				d, err := ParseDate(w)
				if err != nil {
					return nil, fmt.Errorf("sla calendar: %s work: %w", h.Name, err)
				}
				if !isWeekend(d) {
					return nil, fmt.Errorf("sla calendar: %s: make-up working day %s is not a weekend day", h.Name, d)
				}
				if err := add(Day{Date: d, Workday: true, Kind: KindMakeupWorkday, Name: h.Name, Provisional: y.Provisional}); err != nil {
					return nil, err
				}
			}
		}
	}
	slices.SortFunc(c.years, func(a, b YearSource) int { return cmp.Compare(a.Year, b.Year) })
	return c, nil
}

// WithOverrides returns a new calendar with the overrides applied on top of
// c's dates, later overrides winning over earlier ones for the same date. c
// itself is left unchanged, so a server can swap calendars atomically when an
// administrator edits one.
func (c *Calendar) WithOverrides(overrides []Override) (*Calendar, error) {
	n := &Calendar{
		special:   maps.Clone(c.days()),
		years:     c.Years(),
		overrides: slices.Concat(c.Overrides(), overrides),
	}
	if n.special == nil {
		n.special = make(map[Date]Day)
	}
	for _, o := range overrides {
		if !o.Date.Valid() {
			return nil, fmt.Errorf("%w: override %s", ErrInvalidDate, o.Date)
		}
		day := Day{Date: o.Date, Workday: o.Workday, Name: o.Name, Override: true}
		switch {
		case !o.Workday:
			day.Kind = KindHoliday
		case isWeekend(o.Date):
			day.Kind = KindMakeupWorkday
		default:
			day.Kind = KindWorkday
		}
		n.special[o.Date] = day
	}
	return n, nil
}

// Overrides returns the overrides applied to c, in the order given.
func (c *Calendar) Overrides() []Override {
	if c == nil {
		return nil
	}
	return slices.Clone(c.overrides)
}

// Years returns the years the calendar has State Council data for, oldest
// first, with the notice each comes from.
func (c *Calendar) Years() []YearSource {
	if c == nil {
		return nil
	}
	return slices.Clone(c.years)
}

// days returns the listed dates; nil for a nil calendar.
func (c *Calendar) days() map[Date]Day {
	if c == nil {
		return nil
	}
	return c.special
}

// Lookup returns what the calendar knows of d.
func (c *Calendar) Lookup(d Date) Day {
	if day, ok := c.days()[d]; ok {
		return day
	}
	if isWeekend(d) {
		return Day{Date: d, Kind: KindWeekend}
	}
	return Day{Date: d, Workday: true, Kind: KindWorkday}
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool {
	if day, ok := c.days()[d]; ok {
		return day.Workday
	}
	return !isWeekend(d)
}

// Days lists the holidays, make-up working days and overridden dates between
// from and to inclusive, in date order; plain weekdays and weekends are left
// out. It is what a calendar page shows.
func (c *Calendar) Days(from, to Date) []Day {
	var out []Day
	for d, day := range c.days() {
		if !d.Before(from) && !d.After(to) {
			out = append(out, day)
		}
	}
	slices.SortFunc(out, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return out
}

// AddWorkdays returns the nth working day after from. Counting starts on the
// first working day after from, whatever from itself is: 5 working days from
// Wednesday 2026-09-30 is Tuesday 2026-10-13, because 1 to 7 October are off
// and Saturday 10 October is worked. n = 0 returns from unchanged; a negative
// n or one above MaxAddWorkdays is an error.
func (c *Calendar) AddWorkdays(from Date, n int) (Date, error) {
	switch {
	case !from.Valid():
		return Date{}, fmt.Errorf("%w: %s", ErrInvalidDate, from)
	case n < 0:
		return Date{}, ErrNegativeWorkdays
	case n > MaxAddWorkdays:
		return Date{}, ErrTooManyWorkdays
	}
	d := from
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d, nil
}

// WorkdaysBetween counts the working days d with from < d <= to, the inverse
// of AddWorkdays: WorkdaysBetween(from, AddWorkdays(from, n)) == n. When to is
// before from the count is negated, so the result is "how many working days
// from moves to reach to".
func (c *Calendar) WorkdaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkdaysBetween(to, from)
	}
	count := plainWeekdaysBetween(from, to)
	// Only the listed dates differ from the weekend rule; there are a few
	// dozen a year, so adjusting for them beats walking every day.
	for d, day := range c.days() {
		if !d.After(from) || d.After(to) {
			continue
		}
		switch weekend := isWeekend(d); {
		case day.Workday && weekend:
			count++
		case !day.Workday && !weekend:
			count--
		}
	}
	return count
}

// plainWeekdaysBetween counts Mondays to Fridays in (from, to], from <= to.
func plainWeekdaysBetween(from, to Date) int {
	days := to.daysSinceEpoch() - from.daysSinceEpoch()
	count := days / 7 * 5
	for d := from.AddDays(days / 7 * 7); d.Before(to); {
		d = d.AddDays(1)
		if !isWeekend(d) {
			count++
		}
	}
	return count
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
