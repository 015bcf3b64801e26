package triage

import (
	"bytes"
	"strings"
	"testing"
)

func TestEvaluateCountsAndWriteText(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	exs := []Example{
		{Category: "labor", Type: "wage_arrears", Police: false, Risk: RiskHigh, Text: "二十多个工人在厂门口拉横幅讨薪"},
		{Category: "civil", Type: "marriage_family", Police: true, Risk: RiskHigh, Text: "老公拿菜刀要砍我"},
		// Deliberately mislabelled: the model must disagree.
		{Category: "other", Type: "school", Police: true, Risk: RiskLow, Text: "物业费涨价了，业主不同意"},
	}
	e := Evaluate(m, exs)
	if e.N != 3 || e.CategoryCorrect != 2 || e.TypeCorrect != 2 {
		t.Errorf("counts: %+v", e)
	}
	if e.PoliceTP != 1 || e.PoliceFN != 1 || e.PoliceFP != 0 {
		t.Errorf("police counts tp %d fn %d fp %d", e.PoliceTP, e.PoliceFN, e.PoliceFP)
	}
	if e.PoliceRecall() != 0.5 || e.HighRiskRecall() != 1 {
		t.Errorf("recall police %v high %v", e.PoliceRecall(), e.HighRiskRecall())
	}
	if got := e.CategoryConfusion[3][0]; got != 1 { // other labelled, civil answered
		t.Errorf("confusion other→civil = %d", got)
	}
	if len(e.Misses) != 1 {
		t.Errorf("%d misses, want 1", len(e.Misses))
	}
	var buf bytes.Buffer
	e.WriteText(&buf)
	out := buf.String()
	for _, want := range []string{
		"category accuracy:  66.7% (2/3)",
		"type accuracy:      66.7% (2/3)",
		"police accuracy:",
		"recall  50.0% (1/2)",
		"high-risk recall 100.0% (2/2)",
		"wage_arrears",
		"category confusion",
		"type confusion",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText lacks %q:\n%s", want, out)
		}
	}
}
