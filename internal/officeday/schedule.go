// Package officeday holds the schedule of the zone's on-site office days
// (现场办公日): on the 15th of each month the zone's department heads sit
// together at one place and take enterprises' demands (企业诉求) on the
// spot. The package is pure: it reads the working-day calendar and the
// administrator's overrides, and decides which date and place each month
// has and whether a demand may be linked to a date.
package officeday

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// DayOfMonth is the day the zone holds its office day when it is a
// working day.
const DayOfMonth = 15

// DefaultPlace is where the office day is held unless an administrator
// names another place for a month.
const DefaultPlace = "开发区社会治理中心一楼企业服务大厅"

// OpensAt is the hour office hours start: a demand registered later for a
// past office day without a time is dated then.
const OpensAt = 9

// How a month's date was decided.
const (
	RuleFifteenth   = "fifteenth"    // the 15th is a working day
	RuleNextWorkday = "next_workday" // the 15th is not: the next working day
	RuleOverride    = "override"     // an administrator set the date
)

// Override is an administrator's change to one month's office day: another
// date within the month, another place, or both.
type Override struct {
	Month string    `json:"month"` // YYYY-MM
	Date  *sla.Date `json:"date,omitempty"`
	Place string    `json:"place,omitempty"`
	Note  string    `json:"note,omitempty"`
}

// Day is one month's office day.
type Day struct {
	Date    sla.Date `json:"date"`
	Month   string   `json:"month"`
	Weekday string   `json:"weekday"`
	Place   string   `json:"place"`
	Rule    string   `json:"rule"`
	// Reason says in words why the date is what it is
	// (“15日为春节假期，顺延至下一个工作日”).
	Reason string `json:"reason"`
	Note   string `json:"note,omitempty"`
}

// Schedule answers the office day of any month.
type Schedule struct {
	cal       *sla.Calendar
	overrides map[string]Override
}

var monthRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// ValidateOverrides checks an administrator's overrides: one per month,
// a date inside its month, short texts. It is the single place that says
// what an override must hold.
func ValidateOverrides(ovs []Override) error {
	seen := map[string]bool{}
	for i, o := range ovs {
		if !monthRE.MatchString(o.Month) {
			return casework.Invalid("invalid_month", "第 %d 项：month 须为 YYYY-MM，收到“%s”", i+1, o.Month)
		}
		if seen[o.Month] {
			return casework.Invalid("duplicate_month", "%s 的现场办公日调整重复", o.Month)
		}
		seen[o.Month] = true
		if o.Date != nil {
			if !o.Date.Valid() {
				return casework.Invalid("invalid_date", "%s：日期无效", o.Month)
			}
			if monthOf(*o.Date) != o.Month {
				return casework.Invalid("date_outside_month", "%s 的现场办公日须在当月，收到 %s", o.Month, o.Date)
			}
		}
		if o.Date == nil && strings.TrimSpace(o.Place) == "" {
			return casework.Invalid("empty_override", "%s：须给出 date 或 place", o.Month)
		}
		for field, v := range map[string]string{"place": o.Place, "note": o.Note} {
			if !utf8.ValidString(v) || utf8.RuneCountInString(v) > 200 {
				return casework.Invalid("invalid_"+field, "%s：%s 须为 200 字以内的文字", o.Month, field)
			}
		}
	}
	return nil
}

// New builds the schedule over a calendar (nil counts plain weekends) and
// validated overrides.
func New(cal *sla.Calendar, ovs []Override) (*Schedule, error) {
	if err := ValidateOverrides(ovs); err != nil {
		return nil, err
	}
	s := &Schedule{cal: cal, overrides: map[string]Override{}}
	for _, o := range ovs {
		o.Place = strings.TrimSpace(o.Place)
		s.overrides[o.Month] = o
	}
	return s, nil
}

// Overrides answers the overrides in force, by month.
func (s *Schedule) Overrides() []Override {
	out := make([]Override, 0, len(s.overrides))
	for _, o := range s.overrides {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Override) int { return strings.Compare(a.Month, b.Month) })
	return out
}

// Month answers the office day of a month. The rule: the 15th when it is
// a working day; otherwise the first working day after it (a Sunday 15th
// moves to Monday the 16th, the 15th in the Spring Festival holiday to the
// first day back). An administrator's override of the month wins.
func (s *Schedule) Month(year int, month time.Month) Day {
	fifteenth := sla.NewDate(year, month, DayOfMonth)
	d := Day{Date: fifteenth, Month: monthOf(fifteenth), Place: DefaultPlace, Rule: RuleFifteenth, Reason: "每月15日"}
	if !s.cal.IsWorkday(fifteenth) {
		next := fifteenth
		for !s.cal.IsWorkday(next) {
			next = next.AddDays(1)
		}
		d.Date, d.Rule = next, RuleNextWorkday
		d.Reason = fmt.Sprintf("15日为%s，顺延至下一个工作日", offName(s.cal.Lookup(fifteenth)))
	}
	if o, ok := s.overrides[d.Month]; ok {
		if o.Date != nil && *o.Date != d.Date {
			d.Date, d.Rule, d.Reason = *o.Date, RuleOverride, "管理员调整日期"
		}
		if o.Place != "" {
			d.Place = o.Place
		}
		d.Note = o.Note
	}
	d.Weekday = weekdays[d.Date.Weekday()]
	return d
}

// Between answers the office days that fall in [from, to], oldest first.
func (s *Schedule) Between(from, to sla.Date) []Day {
	out := []Day{}
	// A month's day may move a few days past the 15th, never out of the
	// month, so every month that overlaps the period is looked at.
	for m := sla.NewDate(from.Year, from.Month, 1); !m.After(to); m = sla.NewDate(m.Year, m.Month+1, 1) {
		d := s.Month(m.Year, m.Month)
		if !d.Date.Before(from) && !d.Date.After(to) {
			out = append(out, d)
		}
	}
	return out
}

// On answers the office day held on a date, if there is one.
func (s *Schedule) On(date sla.Date) (Day, bool) {
	d := s.Month(date.Year, date.Month)
	return d, d.Date == date
}

// Link decides which office day a demand belongs to and when it was
// raised. requested is the office_day the clerk gave (nil: today's, or
// that of occurred); occurred the occurred_at given (nil: none). A date
// that is not an office day (not_office_day), an office day still to come,
// or an occurred_at on no office day or on another day than requested
// (occurred_at_not_on_office_day) is refused.
func (s *Schedule) Link(requested *sla.Date, occurred *time.Time, now time.Time) (Day, time.Time, error) {
	today := sla.DateOf(now)
	date := today
	switch {
	case requested != nil:
		date = *requested
	case occurred != nil:
		date = sla.DateOf(*occurred)
	}
	day, ok := s.On(date)
	if !ok {
		if requested == nil && occurred != nil {
			// The occurred_at named the day: it is that field that is wrong.
			return Day{}, time.Time{}, casework.Invalid("occurred_at_not_on_office_day",
				"occurred_at（%s）不在现场办公日当天（%d年%d月的现场办公日为 %s）",
				occurred.In(sla.Location()).Format("2006-01-02 15:04"), date.Year, int(date.Month), day.Date)
		}
		if requested == nil {
			return Day{}, time.Time{}, casework.Invalid("not_office_day",
				"今天（%s）不是现场办公日（本月为 %s）；补录往期现场办公日的诉求请填写 office_day", date, day.Date)
		}
		return Day{}, time.Time{}, casework.Invalid("not_office_day", "%s 不是现场办公日（%d年%d月的现场办公日为 %s）",
			date, date.Year, int(date.Month), day.Date)
	}
	if date.After(today) {
		return Day{}, time.Time{}, casework.Invalid("office_day_in_future", "现场办公日 %s 尚未到来，不能登记诉求", date)
	}
	switch {
	case occurred != nil:
		if sla.DateOf(*occurred) != date {
			return Day{}, time.Time{}, casework.Invalid("occurred_at_not_on_office_day",
				"occurred_at（%s）不在现场办公日 %s 当天", occurred.In(sla.Location()).Format("2006-01-02 15:04"), date)
		}
		return day, *occurred, nil
	case date == today:
		return day, now, nil
	}
	opens := date.Start().Add(OpensAt * time.Hour)
	return day, opens, nil
}

func monthOf(d sla.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// offName says why a day is off: the holiday's name or the weekday.
func offName(day sla.Day) string {
	switch {
	case day.Name != "":
		return day.Name + "假期"
	case day.Kind == sla.KindHoliday:
		return "休息日"
	}
	return weekdays[day.Date.Weekday()]
}

var weekdays = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Move is a month whose office day has another date under a new schedule.
type Move struct {
	Month    string
	From, To sla.Date
}

// Moves answers the months, oldest first, whose office day falls on
// another date in will than in was. Only a month that an override of
// either schedule touches can differ: an office-day override names its
// month, and a calendar override shifts at most the office day of the
// month its date is in, since a month's day never leaves the month.
func Moves(was, will *Schedule) []Move {
	months := map[string]sla.Date{}
	touch := func(d sla.Date) { months[monthOf(d)] = sla.NewDate(d.Year, d.Month, 1) }
	for _, s := range []*Schedule{was, will} {
		for month := range s.overrides {
			if first, err := sla.ParseDate(month + "-01"); err == nil {
				touch(first)
			}
		}
		for _, o := range s.cal.Overrides() {
			touch(o.Date)
		}
	}
	out := []Move{}
	for month, first := range months {
		from, to := was.Month(first.Year, first.Month).Date, will.Month(first.Year, first.Month).Date
		if from != to {
			out = append(out, Move{Month: month, From: from, To: to})
		}
	}
	slices.SortFunc(out, func(a, b Move) int { return strings.Compare(a.Month, b.Month) })
	return out
}

// DayOf answers the office day a demand was raised at: the date of its
// occurred_at for a case of channel office_day, nil for any other case.
func DayOf(c *casework.Case) *sla.Date {
	if c.Channel != casework.ChannelOfficeDay {
		return nil
	}
	d := sla.DateOf(c.OccurredAt)
	return &d
}
