package kpi

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Value is one reported figure: one indicator, one zone, one period.
type Value struct {
	IndicatorID int64   `json:"indicator_id"`
	ZoneID      int64   `json:"zone_id"`
	Period      string  `json:"period"`
	Value       float64 `json:"value"` // 本期值
	// Cumulative is the year-to-date total (年累计) as reported; nil for a
	// Sum indicator means the periods' values are added up.
	Cumulative *float64 `json:"cumulative"`
	// YoY is the growth on the same period a year earlier (同比, %) as
	// reported; nil means it is worked out when last year's figure is known.
	YoY        *float64  `json:"yoy"`
	RecordedBy *int64    `json:"recorded_by"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Tiers of the public ranking (优势 / 一般 / 薄弱指标).
const (
	TierAdvantage = "advantage"
	TierGeneral   = "general"
	TierWeak      = "weak"
)

// Flags that put a row on the list of lagging indicators.
const (
	FlagWeak           = "weak"            // the zone ranks in the bottom third
	FlagBehindSchedule = "behind_schedule" // behind the time schedule or short of the target
	FlagNotReported    = "not_reported"    // the zone has no figure for a period that has ended
)

// TierOf places a rank among n ranked zones: the top third is advantage,
// the bottom third weak, the rest general; the thirds are rounded up, so
// that with 8 zones ranks 1–3 are advantage and 6–8 weak.
func TierOf(rank, n int) string {
	k := (n + 2) / 3
	switch {
	case rank <= k:
		return TierAdvantage
	case rank > n-k:
		return TierWeak
	}
	return TierGeneral
}

// TierLabel is the tier in Chinese.
func TierLabel(t string) string {
	switch t {
	case TierAdvantage:
		return "优势"
	case TierWeak:
		return "薄弱"
	case TierGeneral:
		return "一般"
	}
	return ""
}

// Figures are a zone's figures on an indicator in a ranking, nil when it
// did not report.
type Figures struct {
	// Value is the figure ranked: the year-to-date total for a Sum
	// indicator, else the period's value.
	Value       *float64 `json:"value"`
	PeriodValue *float64 `json:"period_value"`
	Cumulative  *float64 `json:"cumulative"`
	YoY         *float64 `json:"yoy"`
	Rank        *int     `json:"rank"`
}

// ZoneFigure is one zone's figures on an indicator in a ranking.
type ZoneFigure struct {
	ZoneID int64  `json:"zone_id"`
	Zone   string `json:"zone"`
	Home   bool   `json:"home"`
	Figures
}

// Row is one indicator in a ranking, from the ranked zone's side.
type Row struct {
	Indicator Indicator `json:"indicator"`
	// DataPeriod is the period whose figures stand at the ranking period's
	// end: the indicator's own cadence, e.g. the month 2026-10 in the
	// ranking of week 2026-W45.
	DataPeriod string `json:"data_period"`
	Reported   bool   `json:"reported"`
	// Pending is true when the data period has not ended yet (it is still
	// running on RankInput.Today): a missing figure is not yet due and
	// is not flagged.
	Pending bool `json:"pending"`
	Figures
	Ranked int    `json:"ranked"` // zones with a figure
	Tier   string `json:"tier"`
	// PreviousRank and PreviousValue are as of the previous ranking
	// period; RankChange is positive when the zone moved up.
	PreviousRank  *int     `json:"previous_rank"`
	RankChange    *int     `json:"rank_change"`
	PreviousValue *float64 `json:"previous_value"`
	Change        *float64 `json:"change"`
	// Progress is the completion of the year's target in percent (进度):
	// the year-to-date total over the target for Sum, the value over the
	// target for Level (the target over the value when lower is better).
	Progress *float64 `json:"progress"`
	// Schedule is the time schedule at the data period's end (Sum with a
	// target only): the one the row is judged against, which in a week's
	// ranking is its month's, not the week's.
	Schedule       *float64     `json:"schedule"`
	BehindSchedule bool         `json:"behind_schedule"`
	Flags          []string     `json:"flags"`
	Zones          []ZoneFigure `json:"zones"`
}

// Lagging reports whether the row belongs on the list of lagging
// indicators.
func (r Row) Lagging() bool { return len(r.Flags) > 0 }

// Summary counts a ranking's rows.
type Summary struct {
	Indicators int `json:"indicators"`
	Reported   int `json:"reported"`
	// Pending counts the rows not reported whose data period has not
	// ended: not yet due, not lagging.
	Pending int `json:"pending"`
	// Comparable counts the rows ranked both now and in the previous
	// period, whose rank change is known.
	Comparable     int `json:"comparable"`
	First          int `json:"first"`
	Advantage      int `json:"advantage"`
	General        int `json:"general"`
	Weak           int `json:"weak"`
	BehindSchedule int `json:"behind_schedule"`
	Lagging        int `json:"lagging"`
	Improved       int `json:"improved"`
	Fell           int `json:"fell"`
}

// Ranking is every indicator's figures for every zone in one period.
type Ranking struct {
	Period   string `json:"period"`
	Label    string `json:"label"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Previous string `json:"previous_period"`
	// Schedule is the time schedule at the ranking period's own end, %.
	// Rows are judged against their data period's schedule (Row.Schedule),
	// which may be earlier: the reports quote those.
	Schedule float64 `json:"schedule"`
	Zone     Zone    `json:"zone"`
	Zones    []Zone  `json:"zones"`
	Summary  Summary `json:"summary"`
	Items    []Row   `json:"items"`
}

// RankInput is what a ranking is worked out from.
type RankInput struct {
	Period     Period
	Zone       Zone // the zone whose side the rows take (本区)
	Zones      []Zone
	Indicators []Indicator
	// Values must hold every value of the indicators that ends by the
	// period's end, from the start of the year before the previous
	// period's (for 同比 and the previous period).
	Values []Value
	// Today is the zone's current date (a civil date, midnight UTC): a
	// data period that ends on or after it is still running, and a figure
	// missing for it is not yet due. The zero time treats every period as
	// ended.
	Today time.Time
}

// ValuesFrom is the first year RankInput.Values must reach back to.
func ValuesFrom(p Period) int { return p.Prev().Year - 1 }

type figure struct {
	period, cumulative, yoy *float64
	score                   float64
}

// shown is the figure as a ranking shows it, with its rank.
func (f figure) shown(rank int) Figures {
	return Figures{Value: ptr(f.score), PeriodValue: f.period, Cumulative: f.cumulative, YoY: f.yoy, Rank: ptr(rank)}
}

type valueKey struct {
	ind, zone int64
	period    string
}

type ranker struct {
	vals map[valueKey]Value
}

// figure answers a zone's figure on an indicator for period d.
func (rk ranker) figure(ind Indicator, zone int64, d Period) (figure, bool) {
	v, ok := rk.vals[valueKey{ind.ID, zone, d.String()}]
	if !ok {
		return figure{}, false
	}
	f := figure{period: ptr(v.Value), score: v.Value}
	if ind.Aggregation == Sum {
		c, ok := rk.cumulative(ind, zone, d, v)
		if ok {
			f.cumulative = ptr(c)
			f.score = c
		}
	}
	switch {
	case v.YoY != nil:
		f.yoy = ptr(*v.YoY)
	case ind.Aggregation == Sum || ind.Measure != "%":
		if last, ok := rk.plainFigure(ind, zone, d.SameLastYear()); ok && last > 0 {
			f.yoy = ptr(Round1(100 * (f.score/last - 1)))
		}
	}
	return f, true
}

// plainFigure is the ranked figure without 同比 (which would recurse).
func (rk ranker) plainFigure(ind Indicator, zone int64, d Period) (float64, bool) {
	v, ok := rk.vals[valueKey{ind.ID, zone, d.String()}]
	if !ok {
		return 0, false
	}
	if ind.Aggregation == Sum {
		return rk.cumulative(ind, zone, d, v)
	}
	return v.Value, true
}

// cumulative is the year-to-date total: as reported, else the year's
// values of the same kind added up (a missing period counts as nothing).
func (rk ranker) cumulative(ind Indicator, zone int64, d Period, v Value) (float64, bool) {
	if v.Cumulative != nil {
		return *v.Cumulative, true
	}
	sum := 0.0
	for p := (Period{d.Kind, d.Year, 1}); p.N <= d.N && p.Year == d.Year; p = p.Next() {
		if pv, ok := rk.vals[valueKey{ind.ID, zone, p.String()}]; ok {
			sum += pv.Value
		}
	}
	return sum, true
}

// ranks ranks every zone with a figure for d: 1 is best, respecting the
// direction; equal figures (to four decimals) share a rank and the next
// rank is skipped (1, 2, 2, 4).
func (rk ranker) ranks(ind Indicator, zones []Zone, d Period) (map[int64]figure, map[int64]int) {
	figs := map[int64]figure{}
	type entry struct {
		zone  int64
		score float64
	}
	var es []entry
	for _, z := range zones {
		if f, ok := rk.figure(ind, z.ID, d); ok {
			figs[z.ID] = f
			es = append(es, entry{z.ID, math.Round(f.score*1e4) / 1e4})
		}
	}
	slices.SortStableFunc(es, func(a, b entry) int {
		if ind.Direction == LowerBetter {
			return cmp.Compare(a.score, b.score)
		}
		return cmp.Compare(b.score, a.score)
	})
	ranks := make(map[int64]int, len(es))
	for i, e := range es {
		if i > 0 && e.score == es[i-1].score {
			ranks[e.zone] = ranks[es[i-1].zone]
			continue
		}
		ranks[e.zone] = i + 1
	}
	return figs, ranks
}

// Rank works the ranking out.
func Rank(in RankInput) Ranking {
	rk := ranker{vals: make(map[valueKey]Value, len(in.Values))}
	for _, v := range in.Values {
		rk.vals[valueKey{v.IndicatorID, v.ZoneID, v.Period}] = v
	}
	p, prev := in.Period, in.Period.Prev()
	out := Ranking{
		Period: p.String(), Label: p.Label(), Previous: prev.String(),
		Start: p.Start().Format(time.DateOnly), End: p.End().Format(time.DateOnly),
		Schedule: p.Schedule(), Zone: in.Zone, Zones: in.Zones, Items: []Row{},
	}
	inds := slices.Clone(in.Indicators)
	SortIndicators(inds)
	for _, ind := range inds {
		row := rank(rk, ind, in, LastEndedBy(ind.Cadence, p.End()), LastEndedBy(ind.Cadence, prev.End()))
		out.Items = append(out.Items, row)
		out.Summary.add(row)
	}
	return out
}

func rank(rk ranker, ind Indicator, in RankInput, d, dPrev Period) Row {
	row := Row{Indicator: ind, DataPeriod: d.String(), Flags: []string{}}
	figs, ranks := rk.ranks(ind, in.Zones, d)
	row.Ranked = len(ranks)
	for _, z := range in.Zones {
		zf := ZoneFigure{ZoneID: z.ID, Zone: z.Name, Home: z.Home}
		if f, ok := figs[z.ID]; ok {
			zf.Figures = f.shown(ranks[z.ID])
		}
		row.Zones = append(row.Zones, zf)
	}
	f, ok := figs[in.Zone.ID]
	if !ok {
		if !in.Today.IsZero() && !d.End().Before(Civil(in.Today)) {
			row.Pending = true
			return row
		}
		row.Flags = append(row.Flags, FlagNotReported)
		return row
	}
	row.Reported = true
	r := ranks[in.Zone.ID]
	row.Figures = f.shown(r)
	row.Tier = TierOf(r, row.Ranked)
	if row.Tier == TierWeak {
		row.Flags = append(row.Flags, FlagWeak)
	}
	pfigs, pranks := rk.ranks(ind, in.Zones, dPrev)
	if pf, ok := pfigs[in.Zone.ID]; ok {
		row.PreviousRank = ptr(pranks[in.Zone.ID])
		row.RankChange = ptr(pranks[in.Zone.ID] - r)
		// A year-to-date total starts again in January: its change across
		// the year's turn means nothing.
		if ind.Aggregation == Level || dPrev.Year == d.Year {
			row.PreviousValue = ptr(pf.score)
			row.Change = ptr(round4(f.score - pf.score))
		}
	}
	row.Progress, row.BehindSchedule = progress(ind, f.score, d)
	if ind.Aggregation == Sum && ind.Target != nil {
		row.Schedule = ptr(d.Schedule())
	}
	if row.BehindSchedule {
		row.Flags = append(row.Flags, FlagBehindSchedule)
	}
	return row
}

// progress is the completion of the target and whether the figure is
// behind: a year-to-date total against the time schedule (under it when
// higher is better, over it when the target is a ceiling), a level
// against the target itself. The decision is taken on unrounded figures
// (10 of 12 is 83.33%, over the 83.29% of Oct 31, though both print as
// 83.3); only the progress answered is rounded.
func progress(ind Indicator, v float64, d Period) (*float64, bool) {
	if ind.Target == nil {
		return nil, false
	}
	t := *ind.Target
	if ind.Aggregation == Sum {
		exact, sched := 100*v/t, d.ExactSchedule()
		pr := Round1(exact)
		if ind.Direction == LowerBetter {
			return &pr, exact > sched
		}
		return &pr, exact < sched
	}
	var pr *float64
	if ind.Direction == LowerBetter {
		if v > 0 && t >= 0 {
			pr = ptr(Round1(100 * t / v))
		}
		return pr, v > t
	}
	if t > 0 && v >= 0 {
		pr = ptr(Round1(100 * v / t))
	}
	return pr, v < t
}

func (s *Summary) add(r Row) {
	s.Indicators++
	if !r.Reported {
		if r.Pending {
			s.Pending++
		} else {
			s.Lagging++
		}
		return
	}
	s.Reported++
	if *r.Rank == 1 {
		s.First++
	}
	switch r.Tier {
	case TierAdvantage:
		s.Advantage++
	case TierGeneral:
		s.General++
	case TierWeak:
		s.Weak++
	}
	if r.BehindSchedule {
		s.BehindSchedule++
	}
	if r.Lagging() {
		s.Lagging++
	}
	if r.RankChange != nil {
		s.Comparable++
	}
	if r.RankChange != nil && *r.RankChange > 0 {
		s.Improved++
	}
	if r.RankChange != nil && *r.RankChange < 0 {
		s.Fell++
	}
}

// SortIndicators orders indicators as the report lists them: by group,
// then their sort number, then code.
func SortIndicators(inds []Indicator) {
	slices.SortStableFunc(inds, func(a, b Indicator) int {
		return cmp.Or(cmp.Compare(GroupIndex(a.Group), GroupIndex(b.Group)), cmp.Compare(a.Sort, b.Sort), cmp.Compare(a.Code, b.Code))
	})
}

func ptr[T any](v T) *T { return &v }

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
