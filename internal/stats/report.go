package stats

import (
	"context"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Source is where the figures come from: the store.
type Source interface {
	SummaryCells(ctx context.Context, line string, from, to time.Time) ([]Cell, error)
	Breakdown(ctx context.Context, f Filter, by string) ([]Group, error)
	StageTimes(ctx context.Context, f Filter) ([]StageTime, error)
	ActionsByUnit(ctx context.Context, action casework.Action, line string, from, to time.Time) ([]UnitCount, error)
	UnitNames(ctx context.Context) (map[int64]string, error)
	DutyLines(ctx context.Context, from, to time.Time) ([]DutyLine, error)
	Notable(ctx context.Context, from, to time.Time) ([]casework.Case, error)
}

// Row is one line of a breakdown as a report shows it.
type Row struct {
	Key               string  `json:"key"`
	Label             string  `json:"label"`
	Reports           int64   `json:"reports"` // every report, duplicates included
	Total             int64   `json:"total"`   // disputes: without duplicates and police matters
	Success           int64   `json:"success"` // settled on site or after mediation
	SuccessRate       float64 `json:"success_rate"`
	Resolved          int64   `json:"resolved"` // resolved or closed, whatever the outcome
	Open              int64   `json:"open"`     // still being handled
	Merged            int64   `json:"merged"`   // duplicate reports merged
	RepeatReportRate  float64 `json:"repeat_report_rate"`
	Repeats           int64   `json:"repeat_disputes"` // linked to an earlier dispute of the same parties
	RepeatDisputeRate float64 `json:"repeat_dispute_rate"`
	ReferredPolice    int64   `json:"referred_police"`
	HighRisk          int64   `json:"high_risk"`
	FollowUps         int64   `json:"follow_ups"`     // closed after the follow-up call (回访)
	FollowUpRate      float64 `json:"follow_up_rate"` // of resolved
	Rated             int64   `json:"rated"`
	SatisfactionRate  float64 `json:"satisfaction_rate"` // rated 4 or 5, of rated
	Returns           int64   `json:"returns,omitempty"` // for units: cases handed back (退单)
}

func rowOf(g Group, label string) Row {
	return Row{
		Key: g.Key, Label: label, Reports: g.Reports, Total: g.Total, Success: g.Success, SuccessRate: Percent(g.Success, g.Total),
		Resolved: g.Resolved, Open: g.Open, Merged: g.Merged, RepeatReportRate: Percent(g.Merged, g.Reports),
		Repeats: g.Repeats, RepeatDisputeRate: Percent(g.Repeats, g.Total), ReferredPolice: g.ReferredPolice, HighRisk: g.HighRisk,
		FollowUps: g.Closed, FollowUpRate: Percent(g.Closed, g.Resolved), Rated: g.Rated, SatisfactionRate: Percent(g.Satisfied, g.Rated),
	}
}

// Rows labels a breakdown's groups and adds them up.
func Rows(groups []Group, label func(string) string) (rows []Row, total Row) {
	var sum Group
	for _, g := range groups {
		rows = append(rows, rowOf(g, label(g.Key)))
		sum.Reports += g.Reports
		sum.Total += g.Total
		sum.Success += g.Success
		sum.Resolved += g.Resolved
		sum.Closed += g.Closed
		sum.Rated += g.Rated
		sum.Satisfied += g.Satisfied
		sum.Merged += g.Merged
		sum.ReferredPolice += g.ReferredPolice
		sum.Repeats += g.Repeats
		sum.Open += g.Open
		sum.HighRisk += g.HighRisk
	}
	if rows == nil {
		rows = []Row{}
	}
	return rows, rowOf(sum, "合计")
}

// StageStat is how one SLA stage was kept over a period.
type StageStat struct {
	Stage         string   `json:"stage"`
	Label         string   `json:"label"`
	Count         int64    `json:"count"` // stages that stopped or breached
	OnTime        int64    `json:"on_time"`
	Breached      int64    `json:"breached"`
	OnTimeRate    float64  `json:"on_time_rate"`
	MedianSeconds *float64 `json:"median_seconds"` // from the clock's start to its stop
	P90Seconds    *float64 `json:"p90_seconds"`
	Cancelled     int64    `json:"cancelled"` // the case ended (merged, referred) before the stop
}

// Stages computes on-time rates and times per stage, in the given order
// (then any other stage by name).
func Stages(times []StageTime, order []string) []StageStat {
	by := map[string]*StageStat{}
	durations := map[string][]float64{}
	for _, t := range times {
		st := by[t.Stage]
		if st == nil {
			st = &StageStat{Stage: t.Stage, Label: casework.StageLabel(t.Stage)}
			by[t.Stage] = st
		}
		if t.Status == "cancelled" && !t.Breached {
			st.Cancelled++
			continue
		}
		st.Count++
		if t.Breached {
			st.Breached++
		} else {
			st.OnTime++
		}
		if t.MetAt != nil {
			durations[t.Stage] = append(durations[t.Stage], t.MetAt.Sub(t.StartedAt).Seconds())
		}
	}
	rank := map[string]int{}
	for i, s := range order {
		rank[s] = i + 1
	}
	var out []StageStat
	for stage, st := range by {
		st.OnTimeRate = Percent(st.OnTime, st.Count)
		st.MedianSeconds, st.P90Seconds = quantile(durations[stage], 0.5), quantile(durations[stage], 0.9)
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank[out[i].Stage], rank[out[j].Stage]
		if ri == 0 {
			ri = len(order) + 1
		}
		if rj == 0 {
			rj = len(order) + 1
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Stage < out[j].Stage
	})
	if out == nil {
		out = []StageStat{}
	}
	return out
}

// quantile is the q-quantile by the nearest-rank method: the smallest
// value with at least q of the values at or below it.
func quantile(vs []float64, q float64) *float64 {
	if len(vs) == 0 {
		return nil
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	k := int(q*float64(len(s)) + 0.999999999)
	k = min(max(k, 1), len(s))
	v := s[k-1]
	return &v
}

// Trend compares a period with the one before it (环比) and the same
// period a year earlier (同比).
type Trend struct {
	Previous        Summary  `json:"previous"`
	LastYear        Summary  `json:"last_year"`
	TotalMoM        *float64 `json:"total_mom"` // change of the total in percent, nil without a base
	TotalYoY        *float64 `json:"total_yoy"`
	SuccessRateMoM  *float64 `json:"success_rate_mom"` // change in percentage points
	SuccessRateYoY  *float64 `json:"success_rate_yoy"`
	PreviousFrom    string   `json:"previous_from"`
	LastYearFrom    string   `json:"last_year_from"`
	ComparedPeriods string   `json:"compared_periods"`
}

// points is the change of the success rate in percentage points.
func points(cur, prev Summary) *float64 {
	if prev.Total == 0 {
		return nil
	}
	v := math.Round((cur.SuccessRate-prev.SuccessRate)*10) / 10
	return &v
}

// InYears reports whether a time falls in 1970 to 2199 as written (in
// its own offset: the zone's midnight of 1970-01-01 is 1969 in UTC), the
// years a report or a query may name: anything else is a typo.
func InYears(t time.Time) bool {
	y := t.Year()
	return y >= 1970 && y < 2200
}

// CheckPeriod refuses the period of a report that would print nothing
// true: an empty one (its end before its start in the text), one of a
// day, week or month that has not begun (zeros and falls of 100%), or
// one outside 1970 to 2199 (a typo). The API and the command line ask the
// same.
func CheckPeriod(kind string, from, to, now time.Time) error {
	switch {
	case !InYears(from) || !InYears(to):
		return casework.Invalid("invalid_period", "报告期间须在 1970 年到 2199 年之间")
	case !from.Before(to):
		return casework.Invalid("invalid_period", "报告期间为空：from 须早于 to")
	case kind != KindSummary && from.After(now):
		return casework.Invalid("period_in_future", "报告期间（%s 起）尚未开始", from.Format("2006-01-02"))
	}
	return nil
}

// PeriodOf is the period [from, to) in loc of a daily, weekly or monthly
// report that holds the calendar date of t (its year, month and day as t
// reads them): the day, the week starting on Monday, or the month. For any
// other kind it returns zero times.
func PeriodOf(kind string, t time.Time, loc *time.Location) (from, to time.Time) {
	switch kind {
	case KindDaily:
		from = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 0, 1)
	case KindWeekly:
		from = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
		from = from.AddDate(0, 0, -((int(from.Weekday()) + 6) % 7))
		return from, from.AddDate(0, 0, 7)
	case KindMonthly:
		from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
		return from, from.AddDate(0, 1, 0)
	}
	return from, to
}

// PeriodBefore is the period of the same length just before [from, to);
// a whole calendar month compares with the previous whole month.
func PeriodBefore(from, to time.Time) (time.Time, time.Time) {
	if from.Day() == 1 && to.Day() == 1 && from.AddDate(0, 1, 0).Equal(to) && isMidnight(from) && isMidnight(to) {
		return from.AddDate(0, -1, 0), from
	}
	return from.Add(-to.Sub(from)), from
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// Label names a key of a breakdown for people.
func Label(by, key string, unitName func(int64) string) string {
	switch by {
	case "category":
		return casework.CategoryLabel(key)
	case "type":
		return casework.TypeLabel(key)
	case "line":
		return casework.Line(key).Label()
	case "channel":
		if l, ok := casework.Channels[key]; ok {
			return l
		}
	case "status":
		return casework.Status(key).Label()
	case "risk":
		return map[string]string{"high": "高风险", "medium": "中风险", "low": "低风险"}[key]
	case "unit", "grid", "enterprise":
		id, _ := strconv.ParseInt(key, 10, 64)
		if id == 0 {
			return map[string]string{"unit": "未派单（中心）", "grid": "无定位/网格外", "enterprise": "未涉及企业"}[by]
		}
		if unitName != nil {
			return unitName(id)
		}
	}
	return key
}
