package triage

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
)

// Example is one labelled report: a line of the corpus or a dispatcher's
// correction (reclassify) kept to retrain the model.
type Example struct {
	Category string
	Type     string
	Police   bool
	// Risk is low, medium or high; empty means unknown, and the example
	// then teaches category, type and police only.
	Risk string
	Text string
	// Weight scales how much the example counts; 0 means 1. Give a
	// correction 2 or 3 so that a few of them move the model.
	Weight float64
}

// The corpus ships in the binary so that anyone can retrain and re-run the
// held-out evaluation with the shipped program alone.
var (
	//go:embed testdata/train.tsv
	trainTSV []byte
	//go:embed testdata/heldout.tsv
	heldoutTSV []byte
)

// BuiltinExamples returns the training corpus (testdata/train.tsv).
func BuiltinExamples() []Example {
	return mustReadTSV("train.tsv", trainTSV)
}

// HeldoutExamples returns the held-out corpus (testdata/heldout.tsv), which
// no shipped model is trained on.
func HeldoutExamples() []Example {
	return mustReadTSV("heldout.tsv", heldoutTSV)
}

func mustReadTSV(name string, data []byte) []Example {
	exs, err := ReadTSV(bytes.NewReader(data))
	if err != nil {
		panic("triage: built-in " + name + ": " + err.Error()) // covered by tests
	}
	return exs
}

// ReadTSV reads examples in the corpus format:
//
//	category<TAB>type<TAB>police<TAB>risk<TAB>text
//
// with police true or false and risk low, medium or high. Blank lines, lines
// starting with # and a header line starting with "category" are skipped.
// An error names the line of the bad row.
func ReadTSV(r io.Reader) ([]Example, error) {
	var out []Example
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSuffix(sc.Text(), "\r")
		if line == 1 {
			s = strings.TrimPrefix(s, "\uFEFF")
		}
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.SplitN(s, "\t", 5)
		if len(out) == 0 && f[0] == "category" {
			continue
		}
		if len(f) != 5 {
			return nil, fmt.Errorf("triage: tsv line %d: want 5 tab-separated columns (category, type, police, risk, text), got %d", line, len(f))
		}
		ex := Example{Category: strings.TrimSpace(f[0]), Type: strings.TrimSpace(f[1]), Risk: strings.TrimSpace(f[3]), Text: strings.TrimSpace(f[4])}
		switch strings.TrimSpace(f[2]) {
		case "true":
			ex.Police = true
		case "false":
		default:
			return nil, fmt.Errorf("triage: tsv line %d: police is %q, want true or false", line, f[2])
		}
		if _, ok := riskIndex(ex.Risk); !ok {
			return nil, fmt.Errorf("triage: tsv line %d: risk is %q, want low, medium or high", line, f[3])
		}
		if ex.Category == "" || ex.Type == "" {
			return nil, fmt.Errorf("triage: tsv line %d: category and type are required", line)
		}
		if Validate(ex.Text) != nil {
			return nil, fmt.Errorf("triage: tsv line %d: empty text", line)
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("triage: tsv line %d: %w", line+1, err)
	}
	return out, nil
}

// WriteTSV writes examples in the format ReadTSV reads; tabs and line
// breaks inside a text become spaces. Weights are not written.
func WriteTSV(w io.Writer, examples []Example) error {
	bw := bufio.NewWriter(w)
	for _, ex := range examples {
		text := strings.NewReplacer("\t", " ", "\r", " ", "\n", " ").Replace(ex.Text)
		if _, err := fmt.Fprintf(bw, "%s\t%s\t%t\t%s\t%s\n", ex.Category, ex.Type, ex.Police, ex.Risk, text); err != nil {
			return err
		}
	}
	return bw.Flush()
}
