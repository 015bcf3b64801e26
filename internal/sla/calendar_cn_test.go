package sla

import (
	"strings"
	"testing"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	noErr(t, err)
	return d
}

func TestIsWorkdayFollowsStateCouncilNotices(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	tests := []struct {
		date    string
		workday bool
		why     string
	}{
		// 2023 (国办发明电〔2022〕16号)
		{"2023-01-02", false, "元旦 Monday off"},
		{"2023-01-23", false, "春节 Monday"},
		{"2023-01-27", false, "春节 last day"},
		{"2023-01-28", true, "调休 Saturday"},
		{"2023-01-29", true, "调休 Sunday"},
		{"2023-04-05", false, "清明"},
		{"2023-04-23", true, "劳动节 调休 Sunday"},
		{"2023-05-06", true, "劳动节 调休 Saturday"},
		{"2023-06-23", false, "端午 Friday"},
		{"2023-06-25", true, "端午 调休 Sunday"},
		{"2023-09-29", false, "中秋 Friday"},
		{"2023-10-06", false, "国庆 Friday"},
		{"2023-10-07", true, "国庆 调休 Saturday"},
		{"2023-10-08", true, "国庆 调休 Sunday"},
		{"2023-03-04", false, "plain Saturday"},
		{"2023-03-06", true, "plain Monday"},
		// 2024 (国办发明电〔2023〕7号)
		{"2024-01-01", false, "元旦"},
		{"2024-02-04", true, "春节 调休 Sunday"},
		{"2024-02-09", true, "除夕 is a working day in 2024"},
		{"2024-02-12", false, "春节 Monday"},
		{"2024-02-16", false, "春节 Friday"},
		{"2024-02-18", true, "春节 调休 Sunday"},
		{"2024-04-05", false, "清明 Friday"},
		{"2024-04-07", true, "清明 调休 Sunday"},
		{"2024-05-11", true, "劳动节 调休 Saturday"},
		{"2024-06-10", false, "端午 Monday"},
		{"2024-09-14", true, "中秋 调休 Saturday"},
		{"2024-09-16", false, "中秋 Monday"},
		{"2024-09-29", true, "国庆 调休 Sunday"},
		{"2024-10-07", false, "国庆 Monday"},
		{"2024-10-12", true, "国庆 调休 Saturday"},
		// 2025 (国办发明电〔2024〕12号)
		{"2025-01-01", false, "元旦 Wednesday, no 调休"},
		{"2025-01-26", true, "春节 调休 Sunday"},
		{"2025-01-28", false, "除夕"},
		{"2025-02-04", false, "春节 last day, Tuesday"},
		{"2025-02-08", true, "春节 调休 Saturday"},
		{"2025-04-04", false, "清明 Friday"},
		{"2025-04-27", true, "劳动节 调休 Sunday"},
		{"2025-05-05", false, "劳动节 Monday"},
		{"2025-06-02", false, "端午 Monday"},
		{"2025-09-28", true, "国庆 调休 Sunday"},
		{"2025-10-08", false, "国庆中秋 eighth day"},
		{"2025-10-09", true, "back to work"},
		{"2025-10-11", true, "国庆 调休 Saturday"},
		// 2026 (国办发明电〔2025〕7号)
		{"2026-01-02", false, "元旦 Friday"},
		{"2026-01-04", true, "元旦 调休 Sunday"},
		{"2026-02-14", true, "春节 调休 Saturday"},
		{"2026-02-16", false, "春节 Monday"},
		{"2026-02-23", false, "春节 last day, Monday"},
		{"2026-02-24", true, "back to work"},
		{"2026-02-28", true, "春节 调休 Saturday"},
		{"2026-04-06", false, "清明 Monday"},
		{"2026-05-05", false, "劳动节 Tuesday"},
		{"2026-05-09", true, "劳动节 调休 Saturday"},
		{"2026-06-19", false, "端午 Friday"},
		{"2026-09-20", true, "国庆 调休 Sunday"},
		{"2026-09-25", false, "中秋 Friday"},
		{"2026-10-01", false, "国庆 Thursday"},
		{"2026-10-07", false, "国庆 Wednesday"},
		{"2026-10-08", true, "back to work"},
		{"2026-10-10", true, "国庆 调休 Saturday"},
		{"2026-10-11", false, "plain Sunday"},
		// 2027: provisional, only the statutory days on weekdays.
		{"2027-01-01", false, "元旦 Friday"},
		{"2027-02-05", false, "除夕 Friday"},
		{"2027-02-08", false, "正月初三 Monday"},
		{"2027-04-05", false, "清明 Monday"},
		{"2027-06-09", false, "端午 Wednesday"},
		{"2027-09-15", false, "中秋 Wednesday"},
		{"2027-10-01", false, "国庆 Friday"},
		{"2027-02-06", false, "春节 Saturday"},
		// Outside the data: plain weekends.
		{"2022-10-03", true, "2022 is not in the data: a plain Monday"},
		{"2028-01-03", true, "2028 plain Monday"},
		{"2028-01-01", false, "2028 plain Saturday"},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			t.Parallel()
			equal(t, tt.workday, cal.IsWorkday(mustDate(t, tt.date)), tt.why)
		})
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	tests := []struct {
		date        string
		kind        DayKind
		name        string
		provisional bool
	}{
		{"2026-10-01", KindHoliday, "国庆节", false},
		{"2026-10-10", KindMakeupWorkday, "国庆节", false},
		{"2026-10-12", KindWorkday, "", false},
		{"2026-10-11", KindWeekend, "", false},
		{"2027-02-05", KindHoliday, "春节（除夕）", true},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			t.Parallel()
			day := cal.Lookup(mustDate(t, tt.date))
			equal(t, tt.kind, day.Kind)
			equal(t, tt.name, day.Name)
			equal(t, tt.provisional, day.Provisional)
			equal(t, cal.IsWorkday(day.Date), day.Workday)
		})
	}
}

func TestYearsCoverage(t *testing.T) {
	t.Parallel()
	years := DefaultCalendar().Years()
	equal(t, 5, len(years))
	for i, y := range years {
		equal(t, 2023+i, y.Year)
		equal(t, y.Year == 2027, y.Provisional, "only 2027 is provisional")
		isTrue(t, y.Notice != "")
		if !y.Provisional {
			isTrue(t, strings.Contains(y.Notice, "国办发明电"))
			isTrue(t, !y.Issued.IsZero())
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-30", 5, "2026-10-13"}, // the contract's example
		{"2026-09-30", 0, "2026-09-30"},
		{"2026-10-03", 0, "2026-10-03"}, // n=0 returns from even on a holiday
		{"2026-09-30", 1, "2026-10-08"},
		{"2026-09-30", 2, "2026-10-09"},
		{"2026-09-30", 3, "2026-10-10"}, // 调休 Saturday counts
		{"2026-09-19", 1, "2026-09-20"}, // 调休 Sunday counts
		{"2026-02-13", 1, "2026-02-14"},
		{"2026-02-13", 2, "2026-02-24"}, // across the 9-day Spring Festival
		{"2026-02-13", 5, "2026-02-27"},
		{"2026-02-13", 6, "2026-02-28"},
		{"2023-12-29", 1, "2024-01-02"}, // across a year end and 元旦
		{"2023-01-20", 1, "2023-01-28"},
		{"2024-09-13", 2, "2024-09-18"},
		{"2025-01-24", 1, "2025-01-26"},
		{"2025-01-24", 3, "2025-02-05"},
		{"2025-09-30", 1, "2025-10-09"},
		{"2027-02-04", 1, "2027-02-09"}, // provisional 2027 data
		{"2028-01-03", 5, "2028-01-10"}, // plain weekends after the data
		{"2026-10-10", 1, "2026-10-12"},
	}
	for _, tt := range tests {
		t.Run(tt.from+"+"+strings.Repeat("I", tt.n), func(t *testing.T) {
			t.Parallel()
			got, err := cal.AddWorkdays(mustDate(t, tt.from), tt.n)
			noErr(t, err)
			equal(t, tt.want, got.String())
		})
	}
}

func TestAddWorkdaysRejects(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	tests := []struct {
		name string
		from Date
		n    int
		want error
	}{
		{"negative", Date{2026, 9, 30}, -1, ErrNegativeWorkdays},
		{"too many", Date{2026, 9, 30}, MaxAddWorkdays + 1, ErrTooManyWorkdays},
		{"invalid date", Date{2026, 2, 30}, 1, ErrInvalidDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := cal.AddWorkdays(tt.from, tt.n)
			errIs(t, err, tt.want)
		})
	}
	_, err := cal.AddWorkdays(Date{2026, 9, 30}, MaxAddWorkdays)
	noErr(t, err)
}

func TestWorkdaysBetween(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	tests := []struct {
		from, to string
		want     int
	}{
		{"2026-09-30", "2026-10-13", 5},
		{"2026-10-13", "2026-09-30", -5},
		{"2026-09-30", "2026-09-30", 0},
		{"2026-09-30", "2026-10-07", 0},
		{"2026-10-02", "2026-10-10", 3}, // 8th, 9th and the 调休 Saturday
		// 2026: 261 weekdays, 19 of them off, 6 make-up weekend days.
		{"2025-12-31", "2026-12-31", 261 - 19 + 6},
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			t.Parallel()
			equal(t, tt.want, cal.WorkdaysBetween(mustDate(t, tt.from), mustDate(t, tt.to)))
		})
	}
}

// walkCount is the obvious day-by-day count WorkdaysBetween must agree with.
func walkCount(cal *Calendar, from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if cal.IsWorkday(d) {
			n++
		}
	}
	return n
}

func TestWorkdaysBetweenInvertsAddWorkdays(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	for from := (Date{2022, 12, 1}); from.Before(Date{2028, 2, 1}); from = from.AddDays(3) {
		for _, n := range []int{0, 1, 2, 5, 7, 15, 40} {
			to, err := cal.AddWorkdays(from, n)
			noErr(t, err)
			equal(t, n, cal.WorkdaysBetween(from, to), "%s + %d = %s", from, n, to)
			if n > 0 {
				isTrue(t, cal.IsWorkday(to), "%s + %d lands on a non-working day %s", from, n, to)
			}
		}
		to := from.AddDays(from.Day * 7)
		equal(t, walkCount(cal, from, to), cal.WorkdaysBetween(from, to), "%s..%s", from, to)
	}
}

func TestWithOverrides(t *testing.T) {
	t.Parallel()
	base := DefaultCalendar()
	cal, err := base.WithOverrides([]Override{
		{Date: Date{2026, 7, 15}, Workday: false, Name: "台风停工"},
		{Date: Date{2027, 2, 20}, Workday: true, Name: "春节调休上班"},
		{Date: Date{2026, 10, 7}, Workday: true, Name: "test: worked"},
		{Date: Date{2026, 10, 7}, Workday: false, Name: "国庆节"}, // later wins
	})
	noErr(t, err)

	isTrue(t, base.IsWorkday(Date{2026, 7, 15}), "the base calendar is left unchanged")
	isTrue(t, !cal.IsWorkday(Date{2026, 7, 15}))
	isTrue(t, cal.IsWorkday(Date{2027, 2, 20}))
	isTrue(t, !cal.IsWorkday(Date{2026, 10, 7}))

	day := cal.Lookup(Date{2027, 2, 20})
	equal(t, KindMakeupWorkday, day.Kind)
	isTrue(t, day.Override)
	isTrue(t, !day.Provisional)
	equal(t, KindHoliday, cal.Lookup(Date{2026, 7, 15}).Kind)

	got, err := cal.AddWorkdays(Date{2026, 7, 14}, 1)
	noErr(t, err)
	equal(t, Date{2026, 7, 16}, got)

	// Overrides stack: a second edit keeps the first.
	cal2, err := cal.WithOverrides([]Override{{Date: Date{2026, 10, 8}, Workday: false, Name: "extra"}})
	noErr(t, err)
	equal(t, 5, len(cal2.Overrides()))
	isTrue(t, !cal2.IsWorkday(Date{2026, 7, 15}))
	got, err = cal2.AddWorkdays(Date{2026, 9, 30}, 1)
	noErr(t, err)
	equal(t, Date{2026, 10, 9}, got)

	_, err = base.WithOverrides([]Override{{Date: Date{2026, 2, 30}}})
	errIs(t, err, ErrInvalidDate)

	var zero Calendar
	plain, err := zero.WithOverrides([]Override{{Date: Date{2026, 10, 1}, Name: "国庆节"}})
	noErr(t, err)
	isTrue(t, !plain.IsWorkday(Date{2026, 10, 1}))
}

func TestDays(t *testing.T) {
	t.Parallel()
	days := DefaultCalendar().Days(Date{2026, 9, 1}, Date{2026, 10, 31})
	var got []string
	for _, d := range days {
		got = append(got, d.Date.String())
	}
	equal(t, []string{
		"2026-09-20", "2026-09-25", "2026-09-26", "2026-09-27",
		"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07",
		"2026-10-10",
	}, got)
}

func TestParseCalendarErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "years:\n  - year: 2026\n    bogus: 1\n", "bogus"},
		{"bad date", "years:\n  - year: 2026\n    holidays:\n      - {name: x, from: 2026-02-30}\n", "2026-02-30"},
		{"to before from", "years:\n  - year: 2026\n    holidays:\n      - {name: x, from: 2026-10-07, to: 2026-10-01}\n", "not a holiday period"},
		{"weekday make-up", "years:\n  - year: 2026\n    holidays:\n      - {name: x, from: 2026-10-01, work: [2026-10-09]}\n", "not a weekend day"},
		{"twice", "years:\n  - year: 2026\n    holidays:\n      - {name: x, from: 2026-10-01}\n      - {name: y, from: 2026-10-01}\n", "listed twice"},
		{"no name", "years:\n  - year: 2026\n    holidays:\n      - {from: 2026-10-01}\n", "without a name"},
		{"year twice", "years:\n  - year: 2026\n  - year: 2026\n", "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseCalendar([]byte(tt.yaml))
			errContains(t, err, tt.want)
		})
	}
}

func TestNilCalendarCountsPlainWeekends(t *testing.T) {
	t.Parallel()
	var cal *Calendar
	isTrue(t, !cal.IsWorkday(Date{2026, 10, 10}), "no make-up days without data")
	isTrue(t, cal.IsWorkday(Date{2026, 10, 1}), "no holidays without data")
	got, err := cal.AddWorkdays(Date{2026, 9, 30}, 5)
	noErr(t, err)
	equal(t, Date{2026, 10, 7}, got)
	equal(t, 5, cal.WorkdaysBetween(Date{2026, 9, 30}, got))
	equal(t, 0, len(cal.Years()))
	withOne, err := cal.WithOverrides([]Override{{Date: Date{2026, 10, 1}, Name: "国庆节"}})
	noErr(t, err)
	isTrue(t, !withOne.IsWorkday(Date{2026, 10, 1}))
}
