package kpi

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Period is one reporting period: a month ("2026-10"), an ISO week
// ("2026-W47") or a quarter ("2026-Q3"). Dates are civil dates in the
// zone; a Period carries no time zone.
type Period struct {
	Kind Cadence
	Year int // for weeks, the ISO year
	N    int // month 1–12, week 1–53, quarter 1–4
}

// ParsePeriod reads a period in one of its three spellings.
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := casework.Invalid("invalid_period", "期别 %q 无效：月份写作 2026-10，周写作 2026-W47，季度写作 2026-Q3", s)
	y, rest, ok := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if !ok || err != nil || len(y) != 4 || year < 2000 || year > 2100 {
		return Period{}, bad
	}
	p := Period{Year: year}
	switch {
	case strings.HasPrefix(rest, "W"):
		p.Kind, rest = Weekly, rest[1:]
	case strings.HasPrefix(rest, "Q"):
		p.Kind, rest = Quarterly, rest[1:]
	default:
		p.Kind = Monthly
	}
	if p.N, err = strconv.Atoi(rest); err != nil || rest == "" || len(rest) > 2 || p.N < 1 || p.N > p.count() {
		return Period{}, bad
	}
	return p, nil
}

// count is how many periods of the kind the year has.
func (p Period) count() int {
	switch p.Kind {
	case Weekly:
		// Dec 28 is always in the year's last ISO week.
		_, w := time.Date(p.Year, 12, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
		return w
	case Quarterly:
		return 4
	}
	return 12
}

// String is the period's canonical spelling.
func (p Period) String() string {
	switch p.Kind {
	case Weekly:
		return fmt.Sprintf("%04d-W%02d", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d-%02d", p.Year, p.N)
}

// Label is the period in Chinese: 2026年10月, 2026年第47周, 2026年第三季度.
func (p Period) Label() string {
	switch p.Kind {
	case Weekly:
		return fmt.Sprintf("%d年第%d周", p.Year, p.N)
	case Quarterly:
		return fmt.Sprintf("%d年第%s季度", p.Year, []string{"一", "二", "三", "四"}[p.N-1])
	}
	return fmt.Sprintf("%d年%d月", p.Year, p.N)
}

// Start is the period's first day (midnight UTC, standing for the civil date).
func (p Period) Start() time.Time {
	switch p.Kind {
	case Weekly:
		// ISO week 1 holds Jan 4; weeks start on Monday.
		jan4 := time.Date(p.Year, 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
		return monday.AddDate(0, 0, 7*(p.N-1))
	case Quarterly:
		return time.Date(p.Year, time.Month(3*p.N-2), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(p.Year, time.Month(p.N), 1, 0, 0, 0, 0, time.UTC)
}

// End is the period's last day.
func (p Period) End() time.Time { return p.Next().Start().AddDate(0, 0, -1) }

// Next is the following period of the same kind.
func (p Period) Next() Period {
	if p.N < p.count() {
		return Period{p.Kind, p.Year, p.N + 1}
	}
	return Period{p.Kind, p.Year + 1, 1}
}

// Prev is the preceding period of the same kind.
func (p Period) Prev() Period {
	if p.N > 1 {
		return Period{p.Kind, p.Year, p.N - 1}
	}
	last := Period{p.Kind, p.Year - 1, 1}
	last.N = last.count()
	return last
}

// SameLastYear is the period a year earlier (同期), for 同比.
func (p Period) SameLastYear() Period {
	q := Period{p.Kind, p.Year - 1, p.N}
	if q.N > q.count() {
		q.N = q.count()
	}
	return q
}

// EndKey is the period's last day as YYYYMMDD, the stored sort key.
func (p Period) EndKey() int {
	e := p.End()
	return e.Year()*10000 + int(e.Month())*100 + e.Day()
}

// PeriodAt is the period of the kind that holds the civil date day.
func PeriodAt(kind Cadence, day time.Time) Period {
	switch kind {
	case Weekly:
		y, w := day.ISOWeek()
		return Period{Weekly, y, w}
	case Quarterly:
		return Period{Quarterly, day.Year(), (int(day.Month())-1)/3 + 1}
	}
	return Period{Monthly, day.Year(), int(day.Month())}
}

// LastEndedBy is the last period of the kind that ends on or before day:
// the period whose figures stand on that day.
func LastEndedBy(kind Cadence, day time.Time) Period {
	p := PeriodAt(kind, day)
	if !p.End().After(day) {
		return p
	}
	return p.Prev()
}

// Schedule is the time schedule (时序进度) at the end of the period: the
// share of the calendar year elapsed by its last day, in percent with one
// decimal, as it is published. Cumulative targets are held against the
// unrounded share (ExactSchedule).
func (p Period) Schedule() float64 { return Round1(p.ExactSchedule()) }

// ExactSchedule is the time schedule unrounded: 304/365 = 83.29… at Oct 31.
// A week's period belongs to its ISO year: a week that ends in the next
// January (2026-W53 ends 2027-01-03) or starts in the last December
// counts within p.Year, whole at its end.
func (p Period) ExactSchedule() float64 {
	end := p.End()
	yearEnd := time.Date(p.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	switch {
	case end.After(yearEnd):
		end = yearEnd
	case end.Year() < p.Year:
		end = time.Date(p.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return 100 * float64(end.YearDay()) / float64(yearEnd.YearDay())
}

// Round1 rounds to one decimal, halves away from zero, as the zone
// publishes percentages.
func Round1(v float64) float64 { return math.Round(v*10) / 10 }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
