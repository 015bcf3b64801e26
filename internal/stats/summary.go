package stats

import (
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Cell is a count of cases sharing a category, status and outcome.
type Cell struct {
	Category string
	Status   casework.Status
	Outcome  string
	N        int64
}

// CategoryCount is one category's line of the summary.
type CategoryCount struct {
	Category     string  `json:"category"`
	Label        string  `json:"label"`
	Count        int64   `json:"count"`
	Percent      float64 `json:"percent"`
	PercentWhole int     `json:"percent_whole"`
}

// Summary is the center's headline figures for a period, as the contract
// defines them.
type Summary struct {
	From           time.Time       `json:"from"`
	To             time.Time       `json:"to"`
	Line           string          `json:"line"`
	Total          int64           `json:"total"`
	ByCategory     []CategoryCount `json:"by_category"`
	Success        int64           `json:"success"`
	SuccessRate    float64         `json:"success_rate"`
	ReferredPolice int64           `json:"referred_police"`
	Merged         int64           `json:"merged"`
	Open           int64           `json:"open"`
	// Extensions: the other outcomes, so that total = success + these + open.
	Referred   int64  `json:"referred"`   // resolved by referral to arbitration or the courts
	Unresolved int64  `json:"unresolved"` // resolved without settlement
	Method     string `json:"method"`
}

// Method says how the figures are computed, for the reader of a report.
const Method = "总数为期间内受理的纠纷，不含合并的重复报警和移交公安的治安类警情（二者另计）；" +
	"成功调处数为处置结果为“现场化解”或“带回化解”的纠纷；各百分比以总数为分母，保留一位小数（四舍五入）；" +
	"整数百分比按最大余数法取整：先各取整数部分，再把差额逐一分给余数最大的类别，使合计为 100%。"

// Summarize builds the summary from counted cells.
func Summarize(cells []Cell, line string, from, to time.Time) Summary {
	s := Summary{From: from, To: to, Line: line, Method: Method}
	byCat := map[string]int64{}
	for _, c := range cells {
		switch c.Status {
		case casework.StatusMerged:
			s.Merged += c.N
			continue
		case casework.StatusReferredPolice:
			s.ReferredPolice += c.N
			continue
		}
		s.Total += c.N
		byCat[c.Category] += c.N
		switch casework.Outcome(c.Outcome) {
		case casework.OutcomeOnsite, casework.OutcomeTakenBack:
			s.Success += c.N
		case casework.OutcomeReferred:
			s.Referred += c.N
		case casework.OutcomeUnresolved:
			s.Unresolved += c.N
		}
		if c.Status.Open() && c.Status != casework.StatusResolved {
			s.Open += c.N
		}
	}
	counts := make([]int64, len(casework.Categories))
	for i, cat := range casework.Categories {
		counts[i] = byCat[cat]
	}
	whole := WholePercents(counts, s.Total)
	for i, cat := range casework.Categories {
		s.ByCategory = append(s.ByCategory, CategoryCount{Category: cat, Label: casework.CategoryLabel(cat), Count: counts[i],
			Percent: Percent(counts[i], s.Total), PercentWhole: whole[i]})
	}
	s.SuccessRate = Percent(s.Success, s.Total)
	return s
}
