package triage

import (
	"bytes"
	"strings"
	"testing"
)

func TestReadTSV(t *testing.T) {
	t.Parallel()
	in := "\uFEFFcategory\ttype\tpolice\trisk\ttext\n" +
		"# a comment\n" +
		"\n" +
		"labor\twage_arrears\tfalse\thigh\t二十多个工人堵门讨薪\r\n" +
		"civil\tneighbor\ttrue\thigh\t邻居拿刀\t砍人\n"
	exs, err := ReadTSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) != 2 {
		t.Fatalf("%d examples, want 2", len(exs))
	}
	if exs[0].Type != "wage_arrears" || exs[0].Risk != RiskHigh || exs[0].Police || exs[0].Text != "二十多个工人堵门讨薪" {
		t.Errorf("first row %+v", exs[0])
	}
	if !exs[1].Police || exs[1].Text != "邻居拿刀\t砍人" {
		t.Errorf("second row %+v", exs[1])
	}
}

func TestReadTSVErrorsNameTheLine(t *testing.T) {
	t.Parallel()
	good := "labor\twage_arrears\tfalse\tlow\t工资没发\n"
	cases := []struct{ row, want string }{
		{"labor\twage_arrears\tfalse\tlow\n", "5 tab-separated columns"},
		{"labor\twage_arrears\tmaybe\tlow\t工资没发\n", "police"},
		{"labor\twage_arrears\tfalse\textreme\t工资没发\n", "risk"},
		{"\twage_arrears\tfalse\tlow\t工资没发\n", "category and type"},
		{"labor\twage_arrears\tfalse\tlow\t   \n", "empty text"},
	}
	for _, c := range cases {
		_, err := ReadTSV(strings.NewReader(good + good + c.row))
		if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("row %q: %v, want line 3 and %q", c.row, err, c.want)
		}
	}
}

func TestWriteTSVRoundTrip(t *testing.T) {
	t.Parallel()
	exs := []Example{
		{Category: "labor", Type: "wage_arrears", Police: false, Risk: RiskHigh, Text: "二十多个工人\t堵门\n讨薪"},
		{Category: "civil", Type: "traffic", Police: true, Risk: RiskMedium, Text: "撞了人就跑了"},
	}
	var buf bytes.Buffer
	if err := WriteTSV(&buf, exs); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0].Text != "二十多个工人 堵门 讨薪" || back[1] != exs[1] {
		t.Errorf("round trip: %+v", back)
	}
}

func TestBuiltinCorpusParses(t *testing.T) {
	t.Parallel()
	if n := len(BuiltinExamples()); n < 1200 {
		t.Errorf("train.tsv has %d examples", n)
	}
	if n := len(HeldoutExamples()); n < 300 {
		t.Errorf("heldout.tsv has %d examples", n)
	}
}
