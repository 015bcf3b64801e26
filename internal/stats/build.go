package stats

import (
	"context"
	"strconv"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Kinds of report.
const (
	KindSummary = "summary" // any period
	KindDaily   = "daily"   // 值班日报
	KindWeekly  = "weekly"  // 周报
	KindMonthly = "monthly" // 月报
)

var kindTitles = map[string]string{
	KindSummary: "纠纷调处情况统计",
	KindDaily:   "值班日报",
	KindWeekly:  "工作周报",
	KindMonthly: "工作月报",
}

// Request asks for a report.
type Request struct {
	Kind     string
	From, To time.Time
	Line     string
	// Org names the platform in the report's sentences (开发区综合指挥平台).
	Org string
}

// DutyLine is who stood duty for a unit.
type DutyLine struct {
	Unit   string   `json:"unit"`
	People []string `json:"people"`
	Leader bool     `json:"leader"`
}

// Report is everything a report shows, whatever its format.
type Report struct {
	Title       string          `json:"title"`
	Kind        string          `json:"kind"`
	Org         string          `json:"org"`
	From        time.Time       `json:"from"`
	To          time.Time       `json:"to"`
	Line        string          `json:"line"`
	GeneratedAt time.Time       `json:"generated_at"`
	Summary     Summary         `json:"summary"`
	Trend       Trend           `json:"trend"`
	ByType      []Row           `json:"by_type"`
	ByChannel   []Row           `json:"by_channel"`
	ByUnit      []Row           `json:"by_unit"`
	Totals      Row             `json:"totals"`
	Stages      []StageStat     `json:"stages"`
	Duty        []DutyLine      `json:"duty,omitempty"`
	Notable     []casework.Case `json:"notable,omitempty"`
	Text        string          `json:"text"`
}

// StageOrder is the order stages are reported in: the 12510 path.
var StageOrder = []string{"respond", "dispatch", "accept", "arrive", "resolve", "follow_up"}

// Build gathers a report's figures. The daily duty report (值班日报) also
// names who was on duty and the cases a leader should look at.
func Build(ctx context.Context, src Source, req Request, now time.Time) (*Report, error) {
	if req.Org == "" {
		req.Org = "开发区综合指挥平台"
	}
	r := &Report{Title: kindTitles[req.Kind], Kind: req.Kind, Org: req.Org, From: req.From, To: req.To, Line: req.Line, GeneratedAt: now}
	if r.Title == "" {
		r.Title = kindTitles[KindSummary]
	}
	names, err := src.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	unitName := func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		return strconv.FormatInt(id, 10)
	}
	if req.Kind == KindDaily {
		if r.Duty, err = src.DutyLines(ctx, req.From, req.To); err != nil {
			return nil, err
		}
		if r.Notable, err = src.Notable(ctx, req.From, req.To); err != nil {
			return nil, err
		}
	}
	if r.Summary, err = SummaryOf(ctx, src, req.Line, req.From, req.To); err != nil {
		return nil, err
	}
	if r.Trend, err = TrendOf(ctx, src, r.Summary); err != nil {
		return nil, err
	}
	f := Filter{From: req.From, To: req.To, Line: req.Line}
	for by, dst := range map[string]*[]Row{"type": &r.ByType, "channel": &r.ByChannel, "unit": &r.ByUnit} {
		groups, err := src.Breakdown(ctx, f, by)
		if err != nil {
			return nil, err
		}
		rows, total := Rows(groups, func(k string) string { return Label(by, k, unitName) })
		*dst = rows
		if by == "type" {
			r.Totals = total
		}
	}
	returns, err := src.ActionsByUnit(ctx, casework.ActionReturn, req.Line, req.From, req.To)
	if err != nil {
		return nil, err
	}
	r.ByUnit = withReturns(r.ByUnit, returns, unitName)
	times, err := src.StageTimes(ctx, f)
	if err != nil {
		return nil, err
	}
	r.Stages = Stages(times, StageOrder)
	r.Text = Text(r)
	return r, nil
}

// SummaryOf computes the contract's summary for a period.
func SummaryOf(ctx context.Context, src Source, line string, from, to time.Time) (Summary, error) {
	cells, err := src.SummaryCells(ctx, line, from, to)
	if err != nil {
		return Summary{}, err
	}
	return Summarize(cells, line, from, to), nil
}

// TrendOf compares a summary with the period before and a year before.
func TrendOf(ctx context.Context, src Source, cur Summary) (Trend, error) {
	pf, pt := PeriodBefore(cur.From, cur.To)
	prev, err := SummaryOf(ctx, src, cur.Line, pf, pt)
	if err != nil {
		return Trend{}, err
	}
	yf, yt := cur.From.AddDate(-1, 0, 0), cur.To.AddDate(-1, 0, 0)
	last, err := SummaryOf(ctx, src, cur.Line, yf, yt)
	if err != nil {
		return Trend{}, err
	}
	return Trend{
		Previous: prev, LastYear: last,
		TotalMoM: Change(cur.Total, prev.Total), TotalYoY: Change(cur.Total, last.Total),
		SuccessRateMoM: points(cur, prev), SuccessRateYoY: points(cur, last),
		PreviousFrom: pf.Format(time.RFC3339), LastYearFrom: yf.Format(time.RFC3339),
		ComparedPeriods: "环比：与紧邻的前一个同长度时段（整月与上月）比较；同比：与上年同期比较",
	}, nil
}

// withReturns adds each unit's returns (退单) to the breakdown by unit,
// including units that returned cases they no longer hold.
func withReturns(rows []Row, returns []UnitCount, unitName func(int64) string) []Row {
	index := map[string]int{}
	for i, r := range rows {
		index[r.Key] = i
	}
	for _, u := range returns {
		key := strconv.FormatInt(u.UnitID, 10)
		i, ok := index[key]
		if !ok {
			rows = append(rows, Row{Key: key, Label: Label("unit", key, unitName)})
			i = len(rows) - 1
			index[key] = i
		}
		rows[i].Returns = u.N
	}
	return rows
}
