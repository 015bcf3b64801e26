package triage

import (
	"os"
	"testing"
)

// TestCrossValidation is the experiment behind defaultTrainConfig and the
// police thresholds in taxonomy.yaml: five folds over train.tsv only.
// Run it with TRIAGE_CV=1 go test -run CrossValidation -v; TRIAGE_CV=v also
// lists every miss.
func TestCrossValidation(t *testing.T) {
	if os.Getenv("TRIAGE_CV") == "" {
		t.Skip("set TRIAGE_CV=1 to run the cross-validation experiment")
	}
	e := crossValidate(t, DefaultTaxonomy(), BuiltinExamples(), defaultTrainConfig, 5)
	c, ty, p, r := e.Accuracy()
	t.Logf("cv: category %.3f type %.3f police %.3f (recall %.3f precision %.3f) risk %.3f high-risk recall %.3f",
		c, ty, p, e.PoliceRecall(), e.PolicePrecision(), r, e.HighRiskRecall())
	if os.Getenv("TRIAGE_CV") == "v" {
		for _, ms := range e.Misses {
			t.Logf("want %s/%v/%s got %s/%v/%s %.2f cues=%v | %s", ms.Example.Type, ms.Example.Police, ms.Example.Risk,
				ms.Got.Type, ms.Got.Police, ms.Got.Risk, ms.Got.Confidence, ms.Got.Cues, ms.Example.Text)
		}
	}
}

// crossValidate trains on k-1 folds and answers the remaining one, for each
// fold, and scores all answers together.
func crossValidate(t *testing.T, tax *Taxonomy, exs []Example, cfg trainConfig, k int) *Evaluation {
	var all []Example
	var got []Result
	eachHeldOut(t, tax, exs, cfg, k, func(m *Model, ex Example) {
		all = append(all, ex)
		got = append(got, m.Classify(ex.Text, Signals{}))
	})
	return evaluateResults(tax, all, got)
}

// eachHeldOut splits exs into k folds and, for each fold, trains on the
// others and hands every example of the fold to answer with that model.
func eachHeldOut(t *testing.T, tax *Taxonomy, exs []Example, cfg trainConfig, k int, answer func(m *Model, ex Example)) {
	t.Helper()
	for f := range k {
		var tr, te []Example
		for i, ex := range exs {
			if i%k == f {
				te = append(te, ex)
			} else {
				tr = append(tr, ex)
			}
		}
		m, err := train(tax, tr, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range te {
			answer(m, ex)
		}
	}
}

// policeDetail exposes the inputs of decidePolice for threshold studies.
func (m *Model) policeDetail(text string) (p float32, strong, weak int) {
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	a := m.read(sc, Normalize(text))
	m.lin.scores(a.vec, sc.scores)
	p = sigmoid(sc.scores[len(m.types)])
	for _, c := range a.hits.police {
		if c.role == rolePoliceStrong {
			strong++
		} else {
			weak++
		}
	}
	return p, strong, weak
}

// TestPoliceThresholds prints recall and precision of the police decision
// over a grid of the two thresholds, from cross-validated probabilities.
func TestPoliceThresholds(t *testing.T) {
	if os.Getenv("TRIAGE_CV") == "" {
		t.Skip("set TRIAGE_CV=1 to run the threshold study")
	}
	tax := DefaultTaxonomy()
	exs := BuiltinExamples()
	type row struct {
		p            float32
		strong, weak int
		police       bool
	}
	var rows []row
	eachHeldOut(t, tax, exs, defaultTrainConfig, 5, func(m *Model, ex Example) {
		p, s, w := m.policeDetail(ex.Text)
		rows = append(rows, row{p, s, w, ex.Police})
	})
	for _, tw := range []float32{0.02, 0.05, 0.08, 0.12, 0.2} {
		for _, ts := range []float32{0.3, 0.4, 0.5} {
			tp, fp, fn := 0, 0, 0
			for _, r := range rows {
				pred := r.strong > 0 || (r.weak > 0 && r.p >= tw) || r.p >= ts
				switch {
				case pred && r.police:
					tp++
				case pred:
					fp++
				case r.police:
					fn++
				}
			}
			t.Logf("weak %.2f stat %.2f: recall %.3f precision %.3f (fn %d fp %d)", tw, ts,
				float64(tp)/float64(tp+fn), float64(tp)/float64(tp+fp), fn, fp)
		}
	}
}
