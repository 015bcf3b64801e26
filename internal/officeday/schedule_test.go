package officeday_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/officeday"
	"github.com/yizhan/yizhan/internal/sla"
)

func date(s string) sla.Date {
	d, err := sla.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func schedule(t *testing.T, ovs ...officeday.Override) *officeday.Schedule {
	t.Helper()
	s, err := officeday.New(sla.DefaultCalendar(), ovs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchedule2026: the 15th when it is a working day, else the next
// working day, by the 2026 State Council calendar.
func TestSchedule2026(t *testing.T) {
	t.Parallel()
	days := schedule(t).Between(date("2026-01-01"), date("2026-12-31"))
	want := []struct{ date, rule, reason string }{
		{"2026-01-15", officeday.RuleFifteenth, "每月15日"},
		{"2026-02-24", officeday.RuleNextWorkday, "15日为春节假期"}, // Sunday in the Spring Festival holiday, 15 to 23 Feb
		{"2026-03-16", officeday.RuleNextWorkday, "15日为星期日"},
		{"2026-04-15", officeday.RuleFifteenth, ""},
		{"2026-05-15", officeday.RuleFifteenth, ""},
		{"2026-06-15", officeday.RuleFifteenth, ""},
		{"2026-07-15", officeday.RuleFifteenth, ""},
		{"2026-08-17", officeday.RuleNextWorkday, "15日为星期六"},
		{"2026-09-15", officeday.RuleFifteenth, ""},
		{"2026-10-15", officeday.RuleFifteenth, ""},
		{"2026-11-16", officeday.RuleNextWorkday, "15日为星期日"},
		{"2026-12-15", officeday.RuleFifteenth, ""},
	}
	if len(days) != len(want) {
		t.Fatalf("%d office days in 2026, want 12: %+v", len(days), days)
	}
	for i, w := range want {
		d := days[i]
		if d.Date.String() != w.date || d.Rule != w.rule || !strings.Contains(d.Reason, w.reason) || d.Place != officeday.DefaultPlace {
			t.Errorf("month %d: got %s %s %q %q, want %s %s %q", i+1, d.Date, d.Rule, d.Reason, d.Place, w.date, w.rule, w.reason)
		}
	}
	if days[1].Weekday != "星期二" {
		t.Errorf("2026-02-24 is a Tuesday, got %s", days[1].Weekday)
	}
	// A calendar override (a typhoon closing the zone on the 15th) moves
	// the office day too.
	cal, err := sla.DefaultCalendar().WithOverrides([]sla.Override{{Date: date("2026-10-15"), Name: "台风停工"}})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := officeday.New(cal, nil)
	if d := s.Month(2026, time.October); d.Date != date("2026-10-16") || !strings.Contains(d.Reason, "台风停工") {
		t.Errorf("typhoon October: %+v", d)
	}
}

func TestOverrides(t *testing.T) {
	t.Parallel()
	moved := date("2026-12-18")
	s := schedule(t,
		officeday.Override{Month: "2026-12", Date: &moved, Place: "五金城企业服务驿站", Note: "与年终走访合并"},
		officeday.Override{Month: "2026-09", Place: "工业园区管委会三楼会议室"})
	dec := s.Month(2026, time.December)
	if dec.Date != moved || dec.Rule != officeday.RuleOverride || dec.Place != "五金城企业服务驿站" || dec.Note == "" {
		t.Fatalf("December: %+v", dec)
	}
	if _, ok := s.On(date("2026-12-15")); ok {
		t.Fatal("the 15th is no office day once December moved")
	}
	sep := s.Month(2026, time.September)
	if sep.Date != date("2026-09-15") || sep.Rule != officeday.RuleFifteenth || sep.Place != "工业园区管委会三楼会议室" {
		t.Fatalf("September: %+v", sep)
	}
	outside := date("2027-01-04")
	for _, tc := range []struct {
		code string
		ovs  []officeday.Override
	}{
		{"invalid_month", []officeday.Override{{Month: "2026-13", Place: "某处"}}},
		{"invalid_month", []officeday.Override{{Month: "26-01", Place: "某处"}}},
		{"date_outside_month", []officeday.Override{{Month: "2026-12", Date: &outside}}},
		{"duplicate_month", []officeday.Override{{Month: "2026-12", Place: "甲"}, {Month: "2026-12", Place: "乙"}}},
		{"empty_override", []officeday.Override{{Month: "2026-12"}}},
		{"invalid_place", []officeday.Override{{Month: "2026-12", Place: strings.Repeat("长", 201)}}},
	} {
		_, err := officeday.New(nil, tc.ovs)
		if e, ok := casework.AsError(err); !ok || e.Code != tc.code || e.Kind != casework.KindInvalid {
			t.Errorf("%+v: got %v, want %s", tc.ovs, err, tc.code)
		}
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	s := schedule(t)
	zone := sla.Location()
	at := func(v string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", v, zone)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	ptr := func(d sla.Date) *sla.Date { return &d }
	tm := func(v string) *time.Time { x := at(v); return &x }
	for _, tc := range []struct {
		name      string
		requested *sla.Date
		occurred  *time.Time
		now       string
		code      string
		wantAt    string
	}{
		{"today is an office day", nil, nil, "2026-11-16 10:30", "", "2026-11-16 10:30"},
		{"today is not", nil, nil, "2026-11-27 10:30", "not_office_day", ""},
		{"a past office day, dated at opening", ptr(date("2026-11-16")), nil, "2026-11-27 10:30", "", "2026-11-16 09:00"},
		{"a past office day with its time", ptr(date("2026-02-24")), tm("2026-02-24 14:20"), "2026-11-27 10:30", "", "2026-02-24 14:20"},
		{"the 15th that moved", ptr(date("2026-11-15")), nil, "2026-11-27 10:30", "not_office_day", ""},
		{"an office day to come", ptr(date("2026-12-15")), nil, "2026-11-27 10:30", "office_day_in_future", ""},
		{"occurred on another day", ptr(date("2026-11-16")), tm("2026-11-17 09:00"), "2026-11-27 10:30", "occurred_at_not_on_office_day", ""},
		{"occurred alone names the day", nil, tm("2026-10-15 15:00"), "2026-11-27 10:30", "", "2026-10-15 15:00"},
		{"occurred alone on no office day", nil, tm("2026-10-14 15:00"), "2026-11-27 10:30", "occurred_at_not_on_office_day", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, got, err := s.Link(tc.requested, tc.occurred, at(tc.now))
			if tc.code != "" {
				if e, ok := casework.AsError(err); !ok || e.Code != tc.code {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil || got.In(zone).Format("2006-01-02 15:04") != tc.wantAt {
				t.Fatalf("got %v %v, want %s", got, err, tc.wantAt)
			}
		})
	}
}

// TestMoves: the months whose office day a change of overrides, of the
// office days or of the calendar, would move.
func TestMoves(t *testing.T) {
	t.Parallel()
	was := schedule(t)
	typhoon, err := sla.DefaultCalendar().WithOverrides([]sla.Override{
		{Date: date("2026-11-16"), Name: "台风停工"},  // moves November to the 17th
		{Date: date("2026-09-14"), Name: "台风停工"},  // touches September, not its day
		{Date: date("2026-08-15"), Workday: true}, // Saturday made a working day: August back to the 15th
	})
	if err != nil {
		t.Fatal(err)
	}
	will, _ := officeday.New(typhoon, nil)
	moved := date("2026-12-18")
	for _, tc := range []struct {
		name      string
		was, will *officeday.Schedule
		want      []officeday.Move
	}{
		{"no change", was, schedule(t), []officeday.Move{}},
		{"calendar", was, will, []officeday.Move{
			{Month: "2026-08", From: date("2026-08-17"), To: date("2026-08-15")},
			{Month: "2026-11", From: date("2026-11-16"), To: date("2026-11-17")}}},
		{"calendar undone", will, was, []officeday.Move{
			{Month: "2026-08", From: date("2026-08-15"), To: date("2026-08-17")},
			{Month: "2026-11", From: date("2026-11-17"), To: date("2026-11-16")}}},
		{"office-day override", was, schedule(t, officeday.Override{Month: "2026-12", Date: &moved}),
			[]officeday.Move{{Month: "2026-12", From: date("2026-12-15"), To: moved}}},
		{"a place only", was, schedule(t, officeday.Override{Month: "2026-12", Place: "五金城企业服务驿站"}), []officeday.Move{}},
	} {
		if got := officeday.Moves(tc.was, tc.will); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
