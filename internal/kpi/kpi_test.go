package kpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/kpi"
)

func TestPeriods(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, canon, start, end, prev string
		schedule                    float64
	}{
		{"2026-10", "2026-10", "2026-10-01", "2026-10-31", "2026-09", 83.3},
		{"2026-1", "2026-01", "2026-01-01", "2026-01-31", "2025-12", 8.5},
		{"2026-w47", "2026-W47", "2026-11-16", "2026-11-22", "2026-W46", 89.3},
		{"2026-W01", "2026-W01", "2025-12-29", "2026-01-04", "2025-W52", 1.1},
		{"2026-Q3", "2026-Q3", "2026-07-01", "2026-09-30", "2026-Q2", 74.8},
		{"2026-12", "2026-12", "2026-12-01", "2026-12-31", "2026-11", 100},
	} {
		p, err := kpi.ParsePeriod(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		got := []string{p.String(), p.Start().Format(time.DateOnly), p.End().Format(time.DateOnly), p.Prev().String()}
		want := []string{tc.canon, tc.start, tc.end, tc.prev}
		if strings.Join(got, " ") != strings.Join(want, " ") || p.Schedule() != tc.schedule {
			t.Errorf("%s: got %v %v, want %v %v", tc.in, got, p.Schedule(), want, tc.schedule)
		}
	}
	for _, bad := range []string{"", "2026", "2026-13", "2026-00", "2026-W54", "2026-Q5", "26-10", "2026/10", "abc", "2026-W", "2026-1x"} {
		if _, err := kpi.ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	for kind, want := range map[kpi.Cadence]string{kpi.Monthly: "2026-10", kpi.Weekly: "2026-W47", kpi.Quarterly: "2026-Q3"} {
		if got := kpi.LastEndedBy(kind, day).String(); got != want {
			t.Errorf("last %s ended by %s: %s, want %s", kind, day.Format(time.DateOnly), got, want)
		}
	}
	if got := kpi.LastEndedBy(kpi.Monthly, time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)).String(); got != "2026-10" {
		t.Errorf("a month ends on its last day: %s", got)
	}
}

func TestTiers(t *testing.T) {
	t.Parallel()
	want := map[int]string{1: "advantage", 3: "advantage", 4: "general", 5: "general", 6: "weak", 8: "weak"}
	for rank, tier := range want {
		if got := kpi.TierOf(rank, 8); got != tier {
			t.Errorf("rank %d of 8: %s, want %s", rank, got, tier)
		}
	}
	if kpi.TierOf(1, 1) != "advantage" || kpi.TierOf(2, 2) != "weak" || kpi.TierOf(2, 3) != "general" {
		t.Error("small rankings")
	}
}

func f(v float64) *float64 { return &v }

// three zones: home 1, others 2 and 3.
var zones = []kpi.Zone{{ID: 1, Name: "本区", Home: true}, {ID: 2, Name: "甲区"}, {ID: 3, Name: "乙区"}, {ID: 4, Name: "丙区"}}

func vals(ind int64, period string, byZone map[int64]float64) []kpi.Value {
	var out []kpi.Value
	for z, v := range byZone {
		out = append(out, kpi.Value{IndicatorID: ind, ZoneID: z, Period: period, Value: v})
	}
	return out
}

func rowOf(t *testing.T, r kpi.Ranking, code string) kpi.Row {
	t.Helper()
	for _, row := range r.Items {
		if row.Indicator.Code == code {
			return row
		}
	}
	t.Fatalf("no row %s", code)
	return kpi.Row{}
}

func rankOf(row kpi.Row, zone int64) int {
	for _, z := range row.Zones {
		if z.ZoneID == zone && z.Rank != nil {
			return *z.Rank
		}
	}
	return 0
}

func TestRankingDirectionTiesAndProgress(t *testing.T) {
	t.Parallel()
	inds := []kpi.Indicator{
		{ID: 1, Code: "A", Name: "A", Group: "经济发展", Measure: "%", Direction: kpi.HigherBetter, Aggregation: kpi.Level, Cadence: kpi.Monthly, Target: f(8), Active: true},
		{ID: 2, Code: "B", Name: "B", Group: "绿色发展", Measure: "%", Direction: kpi.LowerBetter, Aggregation: kpi.Level, Cadence: kpi.Monthly, Target: f(5), Active: true},
		{ID: 3, Code: "C", Name: "C", Group: "开放合作", Measure: "亿元", Direction: kpi.HigherBetter, Aggregation: kpi.Sum, Cadence: kpi.Monthly, Target: f(12), Active: true},
		{ID: 4, Code: "D", Name: "D", Group: "社会治理", Measure: "%", Direction: kpi.HigherBetter, Aggregation: kpi.Level, Cadence: kpi.Weekly, Active: true},
	}
	var vs []kpi.Value
	// A, higher is better: 本区 ties for second with 甲区; 乙区 first.
	vs = append(vs, vals(1, "2026-10", map[int64]float64{1: 7.5, 2: 7.5, 3: 9.1, 4: 6.0})...)
	vs = append(vs, vals(1, "2026-09", map[int64]float64{1: 6.0, 2: 7.0, 3: 9.0, 4: 8.0})...)
	// B, lower is better: 本区 lowest is first.
	vs = append(vs, vals(2, "2026-10", map[int64]float64{1: 4.0, 2: 4.5, 3: 6.0, 4: 5.0})...)
	// C, a total: 本区 adds 1 a month (10 by October), 甲区 reports its
	// cumulative, 乙区 has no October figure.
	for m := 1; m <= 10; m++ {
		p := (kpi.Period{Kind: kpi.Monthly, Year: 2026, N: m}).String()
		vs = append(vs, vals(3, p, map[int64]float64{1: 1})...)
		if m < 10 {
			vs = append(vs, vals(3, p, map[int64]float64{3: 5})...)
		}
	}
	vs = append(vs, kpi.Value{IndicatorID: 3, ZoneID: 2, Period: "2026-10", Value: 2, Cumulative: f(11)})
	// D, weekly: the October ranking reads week 43, the last ended by Oct 31.
	vs = append(vs, vals(4, "2026-W43", map[int64]float64{1: 90, 2: 95})...)
	vs = append(vs, vals(4, "2026-W44", map[int64]float64{1: 99, 2: 80})...)

	p, _ := kpi.ParsePeriod("2026-10")
	r := kpi.Rank(kpi.RankInput{Period: p, Zone: zones[0], Zones: zones, Indicators: inds, Values: vs})
	if codes := []string{r.Items[0].Indicator.Code, r.Items[1].Indicator.Code, r.Items[2].Indicator.Code, r.Items[3].Indicator.Code}; strings.Join(codes, "") != "ACBD" {
		t.Fatalf("rows in group order: %v", codes)
	}
	a := rowOf(t, r, "A")
	if rankOf(a, 3) != 1 || rankOf(a, 1) != 2 || rankOf(a, 2) != 2 || rankOf(a, 4) != 4 {
		t.Errorf("ties share a rank and skip the next: %+v", a.Zones)
	}
	if *a.Rank != 2 || *a.PreviousRank != 4 || *a.RankChange != 2 || *a.Change != 1.5 {
		t.Errorf("A: rank %v prev %v change %v", *a.Rank, *a.PreviousRank, *a.Change)
	}
	if !a.BehindSchedule || *a.Progress != 93.8 || a.Tier != kpi.TierAdvantage {
		t.Errorf("A 7.5 of 8: behind %v progress %v tier %s", a.BehindSchedule, *a.Progress, a.Tier)
	}
	b := rowOf(t, r, "B")
	if *b.Rank != 1 || rankOf(b, 3) != 4 || b.BehindSchedule || *b.Progress != 125 {
		t.Errorf("B lower is better: %v, progress %v", b.Zones, *b.Progress)
	}
	if b.PreviousRank != nil || b.Change != nil {
		t.Errorf("B has no September figure")
	}
	c := rowOf(t, r, "C")
	if *c.Value != 10 || *c.Cumulative != 10 || *c.PeriodValue != 1 || *c.Rank != 2 || rankOf(c, 2) != 1 || c.Ranked != 2 {
		t.Errorf("C totals: %+v", c)
	}
	// 10 of 12 is 83.3%, the schedule at Oct 31 is 83.3%: not behind.
	if *c.Progress != 83.3 || *c.Schedule != 83.3 || c.BehindSchedule {
		t.Errorf("C progress %v schedule %v behind %v", *c.Progress, *c.Schedule, c.BehindSchedule)
	}
	if *c.Change != 1 {
		t.Errorf("C change %v", *c.Change)
	}
	d := rowOf(t, r, "D")
	if d.DataPeriod != "2026-W43" || *d.Rank != 2 || d.Tier != kpi.TierWeak || !d.Lagging() {
		t.Errorf("D: %s rank %v tier %s flags %v", d.DataPeriod, *d.Rank, d.Tier, d.Flags)
	}
	if r.Summary.Indicators != 4 || r.Summary.Reported != 4 || r.Summary.First != 1 || r.Summary.Weak != 2 || r.Summary.Improved != 1 {
		t.Errorf("summary %+v", r.Summary)
	}
	// A week's ranking reads the week itself for D and, from week 44 (which
	// holds Oct 31) on, October for A.
	w, _ := kpi.ParsePeriod("2026-W44")
	rw := kpi.Rank(kpi.RankInput{Period: w, Zone: zones[0], Zones: zones, Indicators: inds, Values: vs})
	if d := rowOf(t, rw, "D"); *d.Rank != 1 || *d.PreviousRank != 2 {
		t.Errorf("week 44: D %v from %v", *d.Rank, *d.PreviousRank)
	}
	if a := rowOf(t, rw, "A"); a.DataPeriod != "2026-10" || *a.RankChange != 2 {
		t.Errorf("week 44: A from %s moved %v", a.DataPeriod, *a.RankChange)
	}
	w45 := kpi.Rank(kpi.RankInput{Period: w.Next(), Zone: zones[0], Zones: zones, Indicators: inds, Values: vs})
	if a := rowOf(t, w45, "A"); *a.RankChange != 0 || *a.Change != 0 {
		t.Errorf("week 45 reads October as week 44 did: %v", *a.RankChange)
	}
	// Behind schedule on a total: 5 by October of 12 is 41.7%.
	r2 := kpi.Rank(kpi.RankInput{Period: p, Zone: zones[2], Zones: zones, Indicators: inds, Values: vs})
	if c := rowOf(t, r2, "C"); c.Reported || c.Flags[0] != kpi.FlagNotReported {
		t.Errorf("乙区 has no October figure for C: %+v", c)
	}
	rv := kpi.NewReview(r, kpi.Monthly, func(int64) string { return "" })
	if len(rv.Improved) != 1 || len(rv.Fell) != 0 || !strings.Contains(rv.Text, "较上月排名上升的1项") ||
		!strings.Contains(rv.Text, "薄弱指标2项：C（第2位/2）、D（第2位/2）") || !strings.Contains(rv.Text, "A（完成93.8%）") {
		t.Errorf("review: %s", rv.Text)
	}
}

func TestYearOverYear(t *testing.T) {
	t.Parallel()
	ind := kpi.Indicator{ID: 1, Code: "X", Group: "经济发展", Measure: "亿元", Direction: kpi.HigherBetter, Aggregation: kpi.Sum, Cadence: kpi.Monthly, Active: true}
	vs := []kpi.Value{
		{IndicatorID: 1, ZoneID: 1, Period: "2025-01", Value: 4},
		{IndicatorID: 1, ZoneID: 1, Period: "2025-02", Value: 4},
		{IndicatorID: 1, ZoneID: 1, Period: "2026-01", Value: 5},
		{IndicatorID: 1, ZoneID: 1, Period: "2026-02", Value: 5},
		{IndicatorID: 1, ZoneID: 2, Period: "2026-02", Value: 3, Cumulative: f(7), YoY: f(-2.5)},
	}
	p, _ := kpi.ParsePeriod("2026-02")
	r := kpi.Rank(kpi.RankInput{Period: p, Zone: zones[0], Zones: zones[:2], Indicators: []kpi.Indicator{ind}, Values: vs})
	row := r.Items[0]
	if *row.YoY != 25 || *row.Zones[1].YoY != -2.5 || *row.Rank != 1 {
		t.Errorf("同比: %v, reported %v, rank %v", *row.YoY, *row.Zones[1].YoY, *row.Rank)
	}
	if kpi.ValuesFrom(p) != 2025 {
		t.Errorf("values from %d", kpi.ValuesFrom(p))
	}
}

func TestParseValueRows(t *testing.T) {
	t.Parallel()
	inds := []kpi.Indicator{
		{ID: 1, Code: "E01", Cadence: kpi.Monthly, Aggregation: kpi.Level},
		{ID: 2, Code: "S01", Cadence: kpi.Weekly, Aggregation: kpi.Sum},
	}
	cat := kpi.NewCatalog(inds, zones)
	today := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	good := [][]string{
		{"指标代码", "指标名称", "区域", "期别", "本期值", "年累计", "同比(%)"},
		{"E01", "增速", "", "2026-10", "6.8%", "", ""},
		{"e01", "增速", "甲区", "2026-10", "7.1", "", "1.2"},
		{"S01", "", "本区", "2026-W47", "1,234", "12,000", ""},
		{"", "", "", "", "", "", ""},
		{"E01", "增速", "", "2026-09", "", "", ""}, // a template row left blank
	}
	vs, errs := cat.ParseValueRows(good, today)
	if len(errs) > 0 || len(vs) != 3 || vs[0].ZoneID != 1 || vs[1].ZoneID != 2 || vs[2].Value != 1234 || *vs[2].Cumulative != 12000 {
		t.Fatalf("good sheet: %v %+v", errs, vs)
	}
	bad := [][]string{
		{"指标代码", "区域", "期别", "本期值", "年累计"},
		{"E01", "", "2026-10", "abc", ""},
		{"E99", "", "2026-10", "1", ""},
		{"E01", "", "2026-13", "1", ""},
		{"E01", "", "2026-W40", "1", ""},
		{"E01", "无此区", "2026-10", "1", ""},
		{"E01", "", "2026-12", "1", ""},
		{"E01", "", "2026-09", "1", "5"},
		{"E01", "甲区", "2026-09", "1", ""},
		{"E01", "甲区", "2026-09", "2", ""},
		{"E01", "", "2026-08", "", "3"}, // a 年累计 without its 本期值
	}
	_, errs = cat.ParseValueRows(bad, today)
	want := map[int]string{2: "不是数值", 3: "E99 不存在", 4: "无效", 5: "不符", 6: "不存在", 7: "尚未开始", 8: "没有年累计", 10: "与第 9 行", 11: "不能为空"}
	if len(errs) != len(want) {
		t.Fatalf("errors %+v", errs)
	}
	for _, e := range errs {
		if !strings.Contains(e.Message, want[e.Row]) {
			t.Errorf("row %d: %q, want %q", e.Row, e.Message, want[e.Row])
		}
	}
	if _, errs := cat.ParseValueRows([][]string{{"代码x", "期别"}}, today); len(errs) != 2 {
		t.Errorf("missing columns: %+v", errs)
	}
}

func TestIndicatorInput(t *testing.T) {
	t.Parallel()
	code, name, group := "E01", "规上工业增加值增速", "经济发展"
	in := kpi.IndicatorInput{Code: &code, Name: &name, Group: &group}
	ind, err := in.Apply(kpi.Indicator{Active: true}, nil)
	if err != nil || ind.Direction != kpi.HigherBetter || ind.Cadence != kpi.Monthly || ind.Aggregation != kpi.Level {
		t.Fatalf("defaults: %+v %v", ind, err)
	}
	bad := "经济"
	if _, err := (kpi.IndicatorInput{Group: &bad}).Apply(ind, nil); err == nil {
		t.Error("unknown group accepted")
	}
	unit := int64(9)
	if _, err := (kpi.IndicatorInput{UnitID: &unit}).Apply(ind, func(int64) bool { return false }); err == nil {
		t.Error("unknown unit accepted")
	}
	sum, zero := kpi.Sum, 0.0
	if _, err := (kpi.IndicatorInput{Aggregation: &sum, Target: &zero}).Apply(ind, nil); err == nil {
		t.Error("a total with a zero target accepted")
	}
}
