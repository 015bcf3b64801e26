package triage

import (
	"fmt"
	"slices"
	"strings"
)

// riskPart is one reason to worry and its weight in the noisy-or.
type riskPart struct {
	weight float64
	reason string
}

// scoreRisk rates how likely a dispute is to escalate (群体性事件, 极端事件).
// Each sign contributes a weight w in [0,1] and the score is
// 1 − Π(1 − w): one strong sign is enough for "high", and weak signs add up
// without ever passing 1. The reasons are in Chinese for the dispatcher.
func (m *Model) scoreRisk(a analysis, police bool, cues []firedCue, typeCode string, riskP []float32, sig Signals) (float64, []string) {
	r := m.tax.Risk
	var parts []riskPart

	// Cue groups count once each, however many of their words appear.
	byGroup := map[int][]string{}
	var order []int
	for _, c := range a.hits.risk {
		if _, ok := byGroup[c.group]; !ok {
			order = append(order, c.group)
		}
		if !slices.Contains(byGroup[c.group], c.word) {
			byGroup[c.group] = append(byGroup[c.group], c.word)
		}
	}
	for _, g := range order {
		cue := r.Cues[g]
		parts = append(parts, riskPart{cue.Weight, fmt.Sprintf("%s（%s）", cue.Label, strings.Join(byGroup[g], "、"))})
	}

	if n := GroupSize(a.qs); n >= r.Group.High {
		parts = append(parts, riskPart{r.Group.HighWeight, fmt.Sprintf("涉及人数约%g人以上", n)})
	} else if n >= r.Group.Medium && r.Group.Medium > 0 {
		parts = append(parts, riskPart{r.Group.MediumWeight, fmt.Sprintf("涉及%g人以上", n)})
	}
	if v := MoneyAtStake(a.qs); v >= r.Money.High {
		parts = append(parts, riskPart{r.Money.HighWeight, fmt.Sprintf("涉及金额约%s", yuan(v))})
	} else if v >= r.Money.Medium && r.Money.Medium > 0 {
		parts = append(parts, riskPart{r.Money.MediumWeight, fmt.Sprintf("涉及金额约%s", yuan(v))})
	}

	if police {
		w, kinds := 0.0, []string{}
		for _, c := range cues {
			if c.group < 0 {
				continue
			}
			pc := m.tax.Police.Cues[c.group]
			w = max(w, pc.Risk)
			if !slices.Contains(kinds, pc.Label) {
				kinds = append(kinds, pc.Label)
			}
		}
		if len(kinds) == 0 {
			w, kinds = 0.45, []string{"模型判断"}
		}
		parts = append(parts, riskPart{w, "涉嫌治安类情形（" + strings.Join(kinds, "、") + "）"})
	}

	if sig.Repeats > 0 {
		w := 1 - pow1m(r.Repeats, sig.Repeats)
		parts = append(parts, riskPart{w, fmt.Sprintf("同一纠纷此前已报告%d次", sig.Repeats)})
	}
	if slices.Contains(r.Season.Types, typeCode) {
		if d, ok := DaysToSpringFestival(sig.Now); ok && d <= r.Season.DaysBefore {
			parts = append(parts, riskPart{r.Season.Weight, fmt.Sprintf("春节前欠薪高发期（距春节%d天）", d)})
		}
	}

	// The statistical risk head joins as one more sign: it has seen how
	// reports of each level read as a whole.
	mw := float64(riskP[2])*r.Model.High + float64(riskP[1])*r.Model.Medium
	if mw > 0 {
		reason := ""
		switch {
		case riskP[2] >= 0.5:
			reason = "与高风险案例表述相近"
		case riskP[1]+riskP[2] >= 0.5:
			reason = "与中风险案例表述相近"
		}
		parts = append(parts, riskPart{mw, reason})
	}

	keep := 1.0
	var reasons []string
	slices.SortStableFunc(parts, func(x, y riskPart) int {
		switch {
		case x.weight > y.weight:
			return -1
		case x.weight < y.weight:
			return 1
		}
		return 0
	})
	for _, p := range parts {
		keep *= 1 - min(max(p.weight, 0), 1)
		if p.reason != "" {
			reasons = append(reasons, p.reason)
		}
	}
	return 1 - keep, reasons
}

func (m *Model) riskLevel(score float64) string {
	switch {
	case score >= m.tax.Risk.Levels.High:
		return RiskHigh
	case score >= m.tax.Risk.Levels.Medium:
		return RiskMedium
	}
	return RiskLow
}

// pow1m is (1−w)^n.
func pow1m(w float64, n int) float64 {
	p := 1.0
	for range min(n, 50) {
		p *= 1 - w
	}
	return p
}

// yuan writes an amount the way the zone's reports do: 3.5万元, 800元.
func yuan(v float64) string {
	if v >= 1e4 {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v/1e4), "0"), ".") + "万元"
	}
	return fmt.Sprintf("%g元", v)
}
