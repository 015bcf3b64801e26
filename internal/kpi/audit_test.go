package kpi_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yizhan/yizhan/internal/kpi"
)

// A ceiling total of 10 of 12 by October is 83.33%, over the time schedule
// of 83.29% (304 of 365 days): behind, though both round to 83.3.
func TestBehindScheduleIsDecidedUnrounded(t *testing.T) {
	t.Parallel()
	ind := kpi.Indicator{ID: 5, Code: "S05", Name: "安全生产事故起数", Group: "社会治理", Measure: "起", Direction: kpi.LowerBetter,
		Aggregation: kpi.Sum, Cadence: kpi.Monthly, Target: f(12), Active: true}
	vs := []kpi.Value{{IndicatorID: 5, ZoneID: 1, Period: "2026-10", Value: 1, Cumulative: f(10)}}
	p, _ := kpi.ParsePeriod("2026-10")
	row := rowOf(t, kpi.Rank(kpi.RankInput{Period: p, Zone: zones[0], Zones: zones[:1], Indicators: []kpi.Indicator{ind}, Values: vs}), "S05")
	if !row.BehindSchedule || *row.Progress != 83.3 || *row.Schedule != 83.3 {
		t.Fatalf("S05: behind %v, progress %v, schedule %v", row.BehindSchedule, *row.Progress, *row.Schedule)
	}
	// Higher is better, just under the schedule: behind as well.
	ind.Direction, ind.Target = kpi.HigherBetter, f(12.005)
	row = rowOf(t, kpi.Rank(kpi.RankInput{Period: p, Zone: zones[0], Zones: zones[:1], Indicators: []kpi.Indicator{ind}, Values: vs}), "S05")
	if row.BehindSchedule {
		t.Fatalf("10 of 12.005 is 83.30%%, over 83.29%%: not behind")
	}
}

// In a week's review, a monthly total is judged against its month's
// schedule: the text and the one-table's subtitle quote that one, not the
// week's.
func TestWeeklyReviewQuotesTheItemsSchedule(t *testing.T) {
	t.Parallel()
	ind := kpi.Indicator{ID: 3, Code: "C", Name: "实际使用外资", Group: "开放合作", Measure: "亿元", Direction: kpi.HigherBetter,
		Aggregation: kpi.Sum, Cadence: kpi.Monthly, Target: f(12), Active: true}
	vs := []kpi.Value{{IndicatorID: 3, ZoneID: 1, Period: "2026-10", Value: 1, Cumulative: f(9)}}
	w, _ := kpi.ParsePeriod("2026-W47")
	r := kpi.Rank(kpi.RankInput{Period: w, Zone: zones[0], Zones: zones[:1], Indicators: []kpi.Indicator{ind}, Values: vs})
	text := kpi.NewReview(r, kpi.Weekly, nil).Text
	if strings.Contains(text, "89.3") || !strings.Contains(text, "实际使用外资（完成75%，时序进度83.3%）") {
		t.Errorf("review: %s", text)
	}
	sub := kpi.OneTable{Ranking: r}.Subtitle()
	if strings.Contains(sub, "89.3") || !strings.Contains(sub, "83.3%") {
		t.Errorf("subtitle: %s", sub)
	}
}

// 3.17 against a target of 3.2 is short of it: the report must not show 3.2.
func TestOneTableShowsEnoughDecimals(t *testing.T) {
	t.Parallel()
	ind := kpi.Indicator{ID: 9, Code: "I01", Name: "研发投入强度", Group: "创新驱动", Measure: "%", Direction: kpi.HigherBetter,
		Aggregation: kpi.Level, Cadence: kpi.Monthly, Target: f(3.2), Active: true}
	vs := []kpi.Value{{IndicatorID: 9, ZoneID: 1, Period: "2026-10", Value: 3.17}, {IndicatorID: 9, ZoneID: 2, Period: "2026-10", Value: 3.2}}
	p, _ := kpi.ParsePeriod("2026-10")
	tb := kpi.OneTable{Ranking: kpi.Rank(kpi.RankInput{Period: p, Zone: zones[0], Zones: zones[:2], Indicators: []kpi.Indicator{ind}, Values: vs})}
	var html bytes.Buffer
	if err := tb.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), ">3.17<") || !strings.Contains(html.String(), ">3.2<") {
		t.Errorf("print view: %s", html.String())
	}
	var buf bytes.Buffer
	if err := tb.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	value, _ := x.GetCellValue("一表清", "I4")
	target, _ := x.GetCellValue("一表清", "G4")
	other, _ := x.GetCellValue("一表清", "P4")
	status, _ := x.GetCellValue("一表清", "R4")
	if value != "3.17" || target != "3.2" || other != "3.2" || !strings.Contains(status, "未达目标") {
		t.Errorf("workbook: value %q target %q other %q status %q", value, target, other, status)
	}
}

// TestScheduleOfTheYearsLastWeek: a week that ends in the next January
// (2026-W53 ends 2027-01-03) is the whole of its ISO year, not 0.8% of the
// next one.
func TestScheduleOfTheYearsLastWeek(t *testing.T) {
	for period, want := range map[string]float64{"2026-W53": 100, "2026-W01": 1.1, "2026-12": 100, "2026-Q4": 100} {
		p, err := kpi.ParsePeriod(period)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Schedule(); got != want {
			t.Errorf("%s: schedule %v, want %v", period, got, want)
		}
	}
}
