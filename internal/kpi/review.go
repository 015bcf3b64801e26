package kpi

import (
	"fmt"
	"strconv"
	"strings"
)

// Review is the weekly or monthly look at the ranking: what moved up,
// what fell, what lags, told in the zone's words.
type Review struct {
	Period    string     `json:"period"`
	Label     string     `json:"label"`
	Previous  string     `json:"previous_period"`
	Kind      Cadence    `json:"kind"` // weekly or monthly (or quarterly)
	Zone      Zone       `json:"zone"`
	Summary   Summary    `json:"summary"`
	Improved  []Movement `json:"improved"`
	Fell      []Movement `json:"fell"`
	Lagging   []Movement `json:"lagging"`
	Sentences []string   `json:"sentences"`
	Text      string     `json:"text"`
}

// Movement is one indicator named in a review.
type Movement struct {
	IndicatorID  int64    `json:"indicator_id"`
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	Group        string   `json:"group"`
	UnitID       *int64   `json:"unit_id"`
	Rank         *int     `json:"rank"`
	PreviousRank *int     `json:"previous_rank"`
	Ranked       int      `json:"ranked"`
	Value        *float64 `json:"value"`
	Change       *float64 `json:"change"`
	Progress     *float64 `json:"progress"`
	// Schedule is the time schedule the item was judged against: its
	// data period's (Sum with a target only).
	Schedule *float64 `json:"schedule"`
	Flags    []string `json:"flags"`
}

// Reviewer names the responsible units in a review's sentences.
type Reviewer func(unitID int64) string

// NewReview reads a ranking; unitName names responsible departments (nil
// leaves them out).
func NewReview(r Ranking, kind Cadence, unitName Reviewer) Review {
	rv := Review{Period: r.Period, Label: r.Label, Previous: r.Previous, Kind: kind, Zone: r.Zone, Summary: r.Summary,
		Improved: []Movement{}, Fell: []Movement{}, Lagging: []Movement{}}
	for _, row := range r.Items {
		m := Movement{IndicatorID: row.Indicator.ID, Code: row.Indicator.Code, Name: row.Indicator.Name, Group: row.Indicator.Group,
			UnitID: row.Indicator.UnitID, Rank: row.Rank, PreviousRank: row.PreviousRank, Ranked: row.Ranked,
			Value: row.Value, Change: row.Change, Progress: row.Progress, Schedule: row.Schedule, Flags: row.Flags}
		switch {
		case row.RankChange != nil && *row.RankChange > 0:
			rv.Improved = append(rv.Improved, m)
		case row.RankChange != nil && *row.RankChange < 0:
			rv.Fell = append(rv.Fell, m)
		}
		if row.Lagging() {
			rv.Lagging = append(rv.Lagging, m)
		}
	}
	rv.Sentences = rv.sentences(r, kind, unitName)
	rv.Text = strings.Join(rv.Sentences, "")
	return rv
}

func (rv Review) sentences(r Ranking, kind Cadence, unitName Reviewer) []string {
	prevWord := map[Cadence]string{Weekly: "上周", Monthly: "上月", Quarterly: "上季度"}[kind]
	s := r.Summary
	head := fmt.Sprintf("%s，%s%d项高质量发展指标中，已报送%d项", r.Label, r.Zone.Name, s.Indicators, s.Reported)
	if s.Pending > 0 {
		head += fmt.Sprintf("，另有%d项数据期尚未结束、未到报送时间", s.Pending)
	}
	if s.Reported > 0 {
		head += fmt.Sprintf("，全市排名第一的%d项，优势指标%d项、一般指标%d项、薄弱指标%d项", s.First, s.Advantage, s.General, s.Weak)
	}
	out := []string{head + "。"}
	// "No change" is said only of what can be compared: rows ranked both
	// now and in the previous period.
	if len(rv.Improved) == 0 && len(rv.Fell) == 0 {
		switch {
		case s.Comparable == 0 && s.Reported > 0:
			out = append(out, fmt.Sprintf("暂无与%s可比的排名。", prevWord))
		case s.Comparable == 0:
		case s.Comparable == s.Indicators:
			out = append(out, fmt.Sprintf("与%s相比，各项指标排名均无变化。", prevWord))
		default:
			out = append(out, fmt.Sprintf("与%s相比，可比的%d项指标排名均无变化。", prevWord, s.Comparable))
		}
	}
	if len(rv.Improved) > 0 {
		out = append(out, fmt.Sprintf("较%s排名上升的%d项：%s。", prevWord, len(rv.Improved), joinMoves(rv.Improved, moveText)))
	}
	if len(rv.Fell) > 0 {
		out = append(out, fmt.Sprintf("较%s排名下降的%d项：%s。", prevWord, len(rv.Fell), joinMoves(rv.Fell, moveText)))
	}
	var behind, weak, missing []Movement
	for _, m := range rv.Lagging {
		if has(m.Flags, FlagNotReported) {
			missing = append(missing, m)
			continue
		}
		if has(m.Flags, FlagBehindSchedule) {
			behind = append(behind, m)
		}
		if has(m.Flags, FlagWeak) {
			weak = append(weak, m)
		}
	}
	// Each total names the schedule it was judged against (its data
	// period's): in a week's review that is the month's, not the week's.
	if len(behind) > 0 {
		out = append(out, fmt.Sprintf("未达时序进度或年度目标的%d项：%s。", len(behind), joinMoves(behind, progressText)))
	}
	if len(weak) > 0 {
		out = append(out, fmt.Sprintf("处于全市后三分之一的薄弱指标%d项：%s。", len(weak), joinMoves(weak, rankText)))
	}
	if len(missing) > 0 {
		out = append(out, fmt.Sprintf("尚未报送数据的%d项：%s。", len(missing), joinMoves(missing, func(m Movement) string { return m.Name })))
	}
	switch {
	case len(rv.Lagging) > 0:
	case s.Reported == 0:
		out = append(out, "本期尚无已报送的指标数据。")
		return out
	case s.Pending > 0:
		out = append(out, "已报送的指标均未落后。")
		return out
	default:
		out = append(out, "各项指标均未落后，请继续保持。")
		return out
	}
	units := laggingUnits(rv.Lagging, unitName)
	if len(units) > 0 {
		out = append(out, fmt.Sprintf("请%s等责任单位对落后指标逐项分析原因、明确措施和时限，下次例会报告进展。", strings.Join(units, "、")))
	} else {
		out = append(out, "请各责任单位对落后指标逐项分析原因、明确措施和时限，下次例会报告进展。")
	}
	return out
}

func laggingUnits(ms []Movement, unitName Reviewer) []string {
	if unitName == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, m := range ms {
		if m.UnitID == nil {
			continue
		}
		if n := unitName(*m.UnitID); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func moveText(m Movement) string {
	return fmt.Sprintf("%s（由第%d位%s至第%d位）", m.Name, *m.PreviousRank, map[bool]string{true: "升", false: "降"}[*m.Rank < *m.PreviousRank], *m.Rank)
}

func rankText(m Movement) string {
	return fmt.Sprintf("%s（第%d位/%d）", m.Name, *m.Rank, m.Ranked)
}

func progressText(m Movement) string {
	switch {
	case m.Progress == nil:
		return m.Name
	case m.Schedule != nil:
		return fmt.Sprintf("%s（完成%s%%，时序进度%s%%）", m.Name, fmtNum(*m.Progress), fmtNum(*m.Schedule))
	}
	return fmt.Sprintf("%s（完成%s%%）", m.Name, fmtNum(*m.Progress))
}

func joinMoves(ms []Movement, f func(Movement) string) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = f(m)
	}
	return strings.Join(parts, "、")
}

func has(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// fmtNum writes a figure without trailing zeros: 83.3, 12, 0.45.
func fmtNum(v float64) string { return strconv.FormatFloat(round4(v), 'f', -1, 64) }
