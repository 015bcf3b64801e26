package triage

import (
	"strings"
	"testing"
)

// contractTypes is CONTRACT.md, section "Triage": codes and labels.
var contractTypes = []TypeInfo{
	{"marriage_family", "婚姻家庭", "civil", "民事纠纷"},
	{"neighbor", "邻里纠纷", "civil", "民事纠纷"},
	{"housing_land", "房屋宅基地及土地", "civil", "民事纠纷"},
	{"property_mgmt", "物业纠纷", "civil", "民事纠纷"},
	{"injury", "损害赔偿", "civil", "民事纠纷"},
	{"traffic", "交通事故", "civil", "民事纠纷"},
	{"medical", "医疗纠纷", "civil", "民事纠纷"},
	{"inheritance", "继承纠纷", "civil", "民事纠纷"},
	{"wage_arrears", "欠薪讨薪", "labor", "劳资纠纷"},
	{"work_injury", "工伤赔偿", "labor", "劳资纠纷"},
	{"labor_contract", "劳动合同及社保", "labor", "劳资纠纷"},
	{"sales_payment", "买卖及货款", "contract", "合同纠纷"},
	{"loan_debt", "借贷债务", "contract", "合同纠纷"},
	{"consumer", "消费纠纷", "contract", "合同纠纷"},
	{"lease", "租赁纠纷", "contract", "合同纠纷"},
	{"construction", "建设工程款", "contract", "合同纠纷"},
	{"business", "合伙经营", "contract", "合同纠纷"},
	{"environment", "环境污染", "other", "其他纠纷"},
	{"school", "校园纠纷", "other", "其他纠纷"},
	{"land_requisition", "征地拆迁", "other", "其他纠纷"},
	{"other", "其他", "other", "其他纠纷"},
}

func TestDefaultTaxonomyMatchesContract(t *testing.T) {
	t.Parallel()
	tax := DefaultTaxonomy()
	got := tax.Types()
	if len(got) != len(contractTypes) {
		t.Fatalf("%d types, want %d", len(got), len(contractTypes))
	}
	for i, want := range contractTypes {
		if got[i] != want {
			t.Errorf("type %d = %+v, want %+v", i, got[i], want)
		}
	}
	if tax.CategoryLabel("labor") != "劳资纠纷" || tax.CategoryLabel("nope") != "" {
		t.Error("CategoryLabel")
	}
	// Every cue word must be found in a report that says just that word.
	lx := newLexicon(tax)
	for _, tm := range lx.terms {
		text := Normalize(strings.ReplaceAll(tm.word, gapMark, "的"))
		found := false
		for _, m := range lx.find(text, nil) {
			if lx.terms[m.id].word == tm.word {
				found = true
			}
		}
		if !found {
			t.Errorf("taxonomy word %q does not match its own text %q", tm.word, text)
		}
	}
}

func TestDefaultTaxonomyIsACopy(t *testing.T) {
	t.Parallel()
	a := DefaultTaxonomy()
	a.Categories[0].Label = "changed"
	if DefaultTaxonomy().Categories[0].Label == "changed" {
		t.Fatal("DefaultTaxonomy shares state between calls")
	}
}

func TestLoadTaxonomyErrors(t *testing.T) {
	t.Parallel()
	base := string(defaultTaxonomyYAML)
	cases := []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"empty", "", []string{"empty"}},
		{"syntax", "categories: [\n  - {code: civil\n", []string{"line"}},
		{"unknown field", strings.Replace(base, "negation:\n", "negation:\n  colour: blue\n", 1), []string{"line", "colour"}},
		{"duplicate type", strings.Replace(base, "code: neighbor\n", "code: marriage_family\n", 1), []string{"line 17", "marriage_family", "twice"}},
		{"bad code", strings.Replace(base, "code: neighbor\n", "code: Neighbor Dispute\n", 1), []string{"line 17", "snake_case"}},
		{"missing label", strings.Replace(base, "label: 邻里纠纷\n", "label: \"\"\n", 1), []string{"neighbor", "no label"}},
		{"unknown season type", strings.Replace(base, "types: [wage_arrears, construction]", "types: [wage_arrears, payroll]", 1), []string{"line", "payroll"}},
		{"weight out of range", strings.Replace(base, "repeats: 0.3", "repeats: 3", 1), []string{"repeats"}},
		{"levels out of order", strings.Replace(base, "levels: {high: 0.5, medium: 0.2}", "levels: {high: 0.2, medium: 0.5}", 1), []string{"levels"}},
	}
	for _, c := range cases {
		_, err := LoadTaxonomy(strings.NewReader(c.yaml))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
}

func TestLoadTaxonomyCustomCues(t *testing.T) {
	t.Parallel()
	custom := strings.Replace(string(defaultTaxonomyYAML), "strong: [赌博,", "strong: [斗地主赢钱, 赌博,", 1)
	tax, err := LoadTaxonomy(strings.NewReader(custom))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(tax, BuiltinExamples())
	if err != nil {
		t.Fatal(err)
	}
	r := m.Classify("楼下几个人天天斗地主赢钱", Signals{})
	if !r.Police || !contains(r.Cues, "斗地主赢钱") {
		t.Errorf("custom cue did not fire: %+v", r)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
