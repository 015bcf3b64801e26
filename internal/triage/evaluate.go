package triage

import (
	"fmt"
	"io"
	"strings"
)

// Evaluation compares a model's answers with labelled examples.
type Evaluation struct {
	N int
	// Correct answers per field.
	CategoryCorrect, TypeCorrect, PoliceCorrect, RiskCorrect int
	// Police matters: true positives, false positives, false negatives.
	PoliceTP, PoliceFP, PoliceFN int
	// High risk: found among the truly high, and flagged in all.
	HighTP, HighFN, HighFP int

	Categories []ClassScore
	Types      []ClassScore
	Risks      []ClassScore
	// CategoryConfusion[i][j] counts examples of category i classified as j,
	// in the order of Categories; TypeConfusion likewise for Types.
	CategoryConfusion [][]int
	TypeConfusion     [][]int
	// Misses are the examples with a wrong type or a missed police matter,
	// for whoever improves the corpus or the cues.
	Misses []Miss
}

// ClassScore is precision and recall of one class.
type ClassScore struct {
	Code, Label        string
	Support, Predicted int // examples labelled so, examples answered so
	Correct            int
	Precision, Recall  float64
}

// Miss is one example the model got wrong.
type Miss struct {
	Example Example
	Got     Result
}

// Evaluate classifies every example (without signals) and scores the
// answers. Labels that the taxonomy does not know count as errors.
func Evaluate(m *Model, examples []Example) *Evaluation {
	got := make([]Result, len(examples))
	for i, ex := range examples {
		got[i] = m.Classify(ex.Text, Signals{})
	}
	return evaluateResults(m.tax, examples, got)
}

// evaluateResults scores answers already computed, one per example.
func evaluateResults(tax *Taxonomy, examples []Example, results []Result) *Evaluation {
	e := &Evaluation{N: len(examples)}
	for _, c := range tax.Categories {
		e.Categories = append(e.Categories, ClassScore{Code: c.Code, Label: c.Label})
	}
	for _, t := range tax.types {
		e.Types = append(e.Types, ClassScore{Code: t.Code, Label: t.Label})
	}
	for _, r := range riskLevels {
		e.Risks = append(e.Risks, ClassScore{Code: r, Label: r})
	}
	e.CategoryConfusion = square(len(e.Categories))
	e.TypeConfusion = square(len(e.Types))

	catIdx, typeIdx := mapIndex(tax.catByID), mapIndex(tax.typeByID)
	for i, ex := range examples {
		got := results[i]
		wantCat := ex.Category
		if wantCat == "" {
			if ti, ok := tax.TypeOf(ex.Type); ok {
				wantCat = ti.Category
			}
		}
		tally(e.Categories, catIdx, wantCat, got.Category, e.CategoryConfusion, &e.CategoryCorrect)
		tally(e.Types, typeIdx, ex.Type, got.Type, e.TypeConfusion, &e.TypeCorrect)
		tally(e.Risks, riskIndex, ex.Risk, got.Risk, nil, &e.RiskCorrect)
		if got.Police == ex.Police {
			e.PoliceCorrect++
		}
		switch {
		case ex.Police && got.Police:
			e.PoliceTP++
		case ex.Police:
			e.PoliceFN++
		case got.Police:
			e.PoliceFP++
		}
		switch {
		case ex.Risk == RiskHigh && got.Risk == RiskHigh:
			e.HighTP++
		case ex.Risk == RiskHigh:
			e.HighFN++
		case got.Risk == RiskHigh:
			e.HighFP++
		}
		if got.Type != ex.Type || got.Police != ex.Police || (ex.Risk == RiskHigh) != (got.Risk == RiskHigh) {
			e.Misses = append(e.Misses, Miss{Example: ex, Got: got})
		}
	}
	for _, list := range [][]ClassScore{e.Categories, e.Types, e.Risks} {
		for i := range list {
			list[i].Precision = ratio(list[i].Correct, list[i].Predicted)
			list[i].Recall = ratio(list[i].Correct, list[i].Support)
		}
	}
	return e
}

func square(n int) [][]int {
	m := make([][]int, n)
	for i := range m {
		m[i] = make([]int, n)
	}
	return m
}

// mapIndex looks codes up in an index map.
func mapIndex(m map[string]int) func(string) (int, bool) {
	return func(code string) (int, bool) { i, ok := m[code]; return i, ok }
}

func tally(classes []ClassScore, idx func(string) (int, bool), want, got string, confusion [][]int, correct *int) {
	wi, wok := idx(want)
	gi, gok := idx(got)
	if wok {
		classes[wi].Support++
	}
	if gok {
		classes[gi].Predicted++
	}
	if wok && gok && wi == gi {
		classes[wi].Correct++
		*correct++
	}
	if wok && gok && confusion != nil {
		confusion[wi][gi]++
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Accuracy of the category, type, police and risk answers.
func (e *Evaluation) Accuracy() (category, typ, police, risk float64) {
	return ratio(e.CategoryCorrect, e.N), ratio(e.TypeCorrect, e.N), ratio(e.PoliceCorrect, e.N), ratio(e.RiskCorrect, e.N)
}

// PoliceRecall is the share of police matters the model flagged.
func (e *Evaluation) PoliceRecall() float64 { return ratio(e.PoliceTP, e.PoliceTP+e.PoliceFN) }

// PolicePrecision is the share of flagged reports that are police matters.
func (e *Evaluation) PolicePrecision() float64 { return ratio(e.PoliceTP, e.PoliceTP+e.PoliceFP) }

// HighRiskRecall is the share of high-risk reports rated high.
func (e *Evaluation) HighRiskRecall() float64 { return ratio(e.HighTP, e.HighTP+e.HighFN) }

// WriteText prints the evaluation for a terminal: accuracy per field, the
// police and high-risk figures, per-class precision and recall, and the
// confusion matrices of category and type.
func (e *Evaluation) WriteText(w io.Writer) {
	pct := func(a, b int) string { return fmt.Sprintf("%5.1f%% (%d/%d)", 100*ratio(a, b), a, b) }
	fmt.Fprintf(w, "examples:          %d\n", e.N)
	fmt.Fprintf(w, "category accuracy: %s\n", pct(e.CategoryCorrect, e.N))
	fmt.Fprintf(w, "type accuracy:     %s\n", pct(e.TypeCorrect, e.N))
	fmt.Fprintf(w, "police accuracy:   %s  recall %s  precision %s\n", pct(e.PoliceCorrect, e.N),
		pct(e.PoliceTP, e.PoliceTP+e.PoliceFN), pct(e.PoliceTP, e.PoliceTP+e.PoliceFP))
	fmt.Fprintf(w, "risk accuracy:     %s  high-risk recall %s  precision %s\n", pct(e.RiskCorrect, e.N),
		pct(e.HighTP, e.HighTP+e.HighFN), pct(e.HighTP, e.HighTP+e.HighFP))

	writeClasses(w, "category", e.Categories)
	writeClasses(w, "type", e.Types)
	writeClasses(w, "risk", e.Risks)
	writeConfusion(w, "category", e.Categories, e.CategoryConfusion)
	writeConfusion(w, "type", e.Types, e.TypeConfusion)
}

func writeClasses(w io.Writer, name string, cs []ClassScore) {
	fmt.Fprintf(w, "\n%-18s %8s %8s %9s %7s\n", name, "support", "answered", "precision", "recall")
	for _, c := range cs {
		fmt.Fprintf(w, "%-18s %8d %8d %8.1f%% %6.1f%%\n", c.Code, c.Support, c.Predicted, 100*c.Precision, 100*c.Recall)
	}
}

// writeConfusion prints rows as the true class and columns as the answer,
// columns numbered to keep the matrix narrow.
func writeConfusion(w io.Writer, name string, cs []ClassScore, m [][]int) {
	fmt.Fprintf(w, "\n%s confusion (rows: labelled, columns: answered)\n", name)
	var b strings.Builder
	fmt.Fprintf(&b, "%-20s", "")
	for j := range cs {
		fmt.Fprintf(&b, "%4d", j+1)
	}
	fmt.Fprintln(w, b.String())
	for i, c := range cs {
		b.Reset()
		fmt.Fprintf(&b, "%2d %-17s", i+1, c.Code)
		for j := range cs {
			if m[i][j] == 0 {
				b.WriteString("   .")
			} else {
				fmt.Fprintf(&b, "%4d", m[i][j])
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
