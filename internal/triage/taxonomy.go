package triage

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

//go:embed taxonomy.yaml
var defaultTaxonomyYAML []byte

// Taxonomy is the rule book of triage: the categories and types a report can
// fall under, and the words that make it a police matter or a risk. It is
// read from YAML (taxonomy.yaml is the built-in one) and not changed after
// loading, so one Taxonomy may back many models and goroutines.
type Taxonomy struct {
	Categories []Category  `yaml:"categories"`
	Negation   Negation    `yaml:"negation"`
	Ignore     []string    `yaml:"ignore"`
	Police     PoliceRules `yaml:"police"`
	Risk       RiskRules   `yaml:"risk"`

	types    []TypeInfo     // every type in file order
	typeByID map[string]int // type code → index in types
	catByID  map[string]int // category code → index in Categories
}

// Category is one of the zone's statistical categories (民事, 劳资, 合同, 其他).
type Category struct {
	Code  string `yaml:"code"`
	Label string `yaml:"label"`
	Types []Type `yaml:"types"`
}

// Type is a dispute type under one category.
type Type struct {
	Code  string `yaml:"code"`
	Label string `yaml:"label"`
	// Hints are words typical of the type (工伤, 宅基地, 物业费). Each
	// becomes a feature shared by all hints of the type, so that a synonym
	// the corpus seldom uses still points the right way.
	Hints []string `yaml:"hints"`
}

// TypeInfo is a type together with the category it belongs to.
type TypeInfo struct {
	Code          string `json:"code"`
	Label         string `json:"label"`
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
}

// Negation lists the words that cancel a cue standing shortly after them.
type Negation struct {
	// Gap is how many characters may stand between the negation and the cue.
	Gap   int      `yaml:"gap"`
	Words []string `yaml:"words"`
	// Hedges (差点, 怕) cancel police cues only: the thing has not happened.
	Hedges []string `yaml:"hedges"`
	// Exceptions begin like a negation but are none (没想到, 无缘无故).
	Exceptions []string `yaml:"exceptions"`
}

// PoliceRules are the cues of a police matter (治安类案件) and the
// thresholds for the statistical detector that backs them up.
type PoliceRules struct {
	Threshold     float64     `yaml:"threshold"`
	WeakThreshold float64     `yaml:"weak_threshold"`
	Cues          []PoliceCue `yaml:"cues"`
}

// PoliceCue is one kind of police matter and its words. A strong word fires
// on its own; a weak one only when the statistical detector agrees a little.
type PoliceCue struct {
	Kind   string   `yaml:"kind"`
	Label  string   `yaml:"label"`
	Risk   float64  `yaml:"risk"`
	Strong []string `yaml:"strong"`
	Weak   []string `yaml:"weak"`
	// Present words turn a weak cue of this kind into a strong one: a
	// fraud is a police matter at once when the suspect is still there.
	Present []string `yaml:"present"`
}

// RiskRules say how the risk score is built; weights combine as a noisy-or.
type RiskRules struct {
	Levels  RiskLevels `yaml:"levels"`
	Model   RiskLevels `yaml:"model"`
	Group   Thresholds `yaml:"group"`
	Repeats float64    `yaml:"repeats"`
	Money   Thresholds `yaml:"money"`
	Season  SeasonRule `yaml:"season"`
	Cues    []RiskCue  `yaml:"cues"`
}

// RiskLevels holds one number for the high and one for the medium level.
type RiskLevels struct {
	High   float64 `yaml:"high"`
	Medium float64 `yaml:"medium"`
}

// Thresholds turn a quantity read from the text into a risk weight.
type Thresholds struct {
	High         float64 `yaml:"high"`
	HighWeight   float64 `yaml:"high_weight"`
	Medium       float64 `yaml:"medium"`
	MediumWeight float64 `yaml:"medium_weight"`
}

// SeasonRule raises the risk of some types in the weeks before Spring
// Festival, when migrant workers need their pay to go home.
type SeasonRule struct {
	DaysBefore int      `yaml:"days_before"`
	Weight     float64  `yaml:"weight"`
	Types      []string `yaml:"types"`
}

// RiskCue is one sign that a dispute may escalate.
type RiskCue struct {
	Kind   string   `yaml:"kind"`
	Label  string   `yaml:"label"`
	Weight float64  `yaml:"weight"`
	Words  []string `yaml:"words"`
}

// DefaultTaxonomy returns a fresh copy of the built-in taxonomy.yaml.
func DefaultTaxonomy() *Taxonomy {
	t, err := LoadTaxonomy(bytes.NewReader(defaultTaxonomyYAML))
	if err != nil {
		// The file is embedded and covered by tests: failing here is a build
		// defect, not a runtime condition.
		panic("triage: built-in taxonomy.yaml: " + err.Error())
	}
	return t
}

// LoadTaxonomy reads and checks a taxonomy in the format of taxonomy.yaml.
// Errors name the field and, when it can be found, the line.
func LoadTaxonomy(r io.Reader) (*Taxonomy, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("triage: read taxonomy: %w", err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("triage: taxonomy: file is empty")
	}
	var t Taxonomy
	if err := yaml.UnmarshalWithOptions(data, &t, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("triage: taxonomy: %s", yamlErrorText(err))
	}
	if path, msg := t.check(); msg != "" {
		return nil, fmt.Errorf("triage: taxonomy: %s%s: %s", lineOf(data, path), path, msg)
	}
	t.index()
	return &t, nil
}

// yamlErrorText keeps go-yaml's "[line:col] message" but drops the source
// excerpt it appends, which is noise in a log line.
func yamlErrorText(err error) string {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			return fmt.Sprintf("line %d: %s", tk.Position.Line, ye.GetMessage())
		}
		return ye.GetMessage()
	}
	return err.Error()
}

// lineOf finds the line of a YAML path such as $.categories[1].types[0].code,
// or returns "" when the path does not lead to a node (a missing field).
func lineOf(data []byte, path string) string {
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return ""
	}
	for p := path; p != "$"; p = parentPath(p) {
		yp, err := yaml.PathString(p)
		if err != nil {
			return ""
		}
		n, err := yp.FilterFile(f)
		if err == nil && n != nil && n.GetToken() != nil && n.GetToken().Position != nil {
			return fmt.Sprintf("line %d: ", n.GetToken().Position.Line)
		}
	}
	return ""
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return "$"
	}
	return p[:i]
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// check returns the YAML path of the first problem and what is wrong there.
func (t *Taxonomy) check() (string, string) {
	if len(t.Categories) == 0 {
		return "$.categories", "no categories"
	}
	seenCat := map[string]bool{}
	seenType := map[string]bool{}
	for i, c := range t.Categories {
		p := fmt.Sprintf("$.categories[%d]", i)
		if !codePattern.MatchString(c.Code) {
			return p + ".code", fmt.Sprintf("category code %q must be lower snake_case", c.Code)
		}
		if seenCat[c.Code] {
			return p + ".code", fmt.Sprintf("category %q listed twice", c.Code)
		}
		seenCat[c.Code] = true
		if strings.TrimSpace(c.Label) == "" {
			return p + ".label", fmt.Sprintf("category %q has no label", c.Code)
		}
		if len(c.Types) == 0 {
			return p + ".types", fmt.Sprintf("category %q has no types", c.Code)
		}
		for j, ty := range c.Types {
			tp := fmt.Sprintf("%s.types[%d]", p, j)
			if !codePattern.MatchString(ty.Code) {
				return tp + ".code", fmt.Sprintf("type code %q must be lower snake_case", ty.Code)
			}
			if seenType[ty.Code] {
				return tp + ".code", fmt.Sprintf("type %q listed twice (a type belongs to one category)", ty.Code)
			}
			seenType[ty.Code] = true
			if strings.TrimSpace(ty.Label) == "" {
				return tp + ".label", fmt.Sprintf("type %q has no label", ty.Code)
			}
			if p, msg := checkWords(tp+".hints", ty.Hints); msg != "" {
				return p, msg
			}
		}
	}
	if t.Negation.Gap < 0 || t.Negation.Gap > 10 {
		return "$.negation.gap", fmt.Sprintf("gap %d outside 0..10", t.Negation.Gap)
	}
	if p, msg := checkWords("$.negation.words", t.Negation.Words); msg != "" {
		return p, msg
	}
	if p, msg := checkWords("$.negation.hedges", t.Negation.Hedges); msg != "" {
		return p, msg
	}
	if p, msg := checkWords("$.negation.exceptions", t.Negation.Exceptions); msg != "" {
		return p, msg
	}
	if p, msg := checkWords("$.ignore", t.Ignore); msg != "" {
		return p, msg
	}
	if p, msg := checkUnit("$.police.threshold", t.Police.Threshold, true); msg != "" {
		return p, msg
	}
	if p, msg := checkUnit("$.police.weak_threshold", t.Police.WeakThreshold, false); msg != "" {
		return p, msg
	}
	if len(t.Police.Cues) == 0 {
		return "$.police.cues", "no police cues"
	}
	for i, c := range t.Police.Cues {
		p := fmt.Sprintf("$.police.cues[%d]", i)
		if c.Kind == "" {
			return p + ".kind", "police cue without kind"
		}
		if c.Label == "" {
			return p + ".label", fmt.Sprintf("police cue %q has no label", c.Kind)
		}
		if pp, msg := checkUnit(p+".risk", c.Risk, false); msg != "" {
			return pp, msg
		}
		if len(c.Strong)+len(c.Weak) == 0 {
			return p, fmt.Sprintf("police cue %q has no words", c.Kind)
		}
		if pp, msg := checkWords(p+".strong", c.Strong); msg != "" {
			return pp, msg
		}
		if pp, msg := checkWords(p+".weak", c.Weak); msg != "" {
			return pp, msg
		}
		if pp, msg := checkWords(p+".present", c.Present); msg != "" {
			return pp, msg
		}
	}
	r := t.Risk
	if r.Levels.High <= 0 || r.Levels.High > 1 || r.Levels.Medium <= 0 || r.Levels.Medium >= r.Levels.High {
		return "$.risk.levels", "need 0 < medium < high <= 1"
	}
	for _, u := range []struct {
		p string
		v float64
	}{
		{"$.risk.model.high", r.Model.High}, {"$.risk.model.medium", r.Model.Medium},
		{"$.risk.group.high_weight", r.Group.HighWeight}, {"$.risk.group.medium_weight", r.Group.MediumWeight},
		{"$.risk.money.high_weight", r.Money.HighWeight}, {"$.risk.money.medium_weight", r.Money.MediumWeight},
		{"$.risk.repeats", r.Repeats}, {"$.risk.season.weight", r.Season.Weight},
	} {
		if p, msg := checkUnit(u.p, u.v, false); msg != "" {
			return p, msg
		}
	}
	if r.Group.Medium > r.Group.High || r.Money.Medium > r.Money.High {
		return "$.risk", "a medium threshold is above its high threshold"
	}
	if r.Season.DaysBefore < 0 || r.Season.DaysBefore > 120 {
		return "$.risk.season.days_before", "must be between 0 and 120"
	}
	for i, code := range r.Season.Types {
		if !seenType[code] {
			return fmt.Sprintf("$.risk.season.types[%d]", i), fmt.Sprintf("unknown type %q", code)
		}
	}
	for i, c := range r.Cues {
		p := fmt.Sprintf("$.risk.cues[%d]", i)
		if c.Kind == "" || c.Label == "" {
			return p, "risk cue needs kind and label"
		}
		if pp, msg := checkUnit(p+".weight", c.Weight, true); msg != "" {
			return pp, msg
		}
		if len(c.Words) == 0 {
			return p + ".words", fmt.Sprintf("risk cue %q has no words", c.Kind)
		}
		if pp, msg := checkWords(p+".words", c.Words); msg != "" {
			return pp, msg
		}
	}
	return "", ""
}

func checkWords(path string, words []string) (string, string) {
	for i, w := range words {
		if Normalize(w) == "" {
			return fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("empty word %q", w)
		}
	}
	return "", ""
}

// checkUnit accepts a weight or probability in [0,1]; positive forbids 0.
func checkUnit(path string, v float64, positive bool) (string, string) {
	if v < 0 || v > 1 || (positive && v == 0) {
		return path, fmt.Sprintf("%v outside (0,1]", v)
	}
	return "", ""
}

func (t *Taxonomy) index() {
	t.typeByID = map[string]int{}
	t.catByID = map[string]int{}
	t.types = nil
	for ci, c := range t.Categories {
		t.catByID[c.Code] = ci
		for _, ty := range c.Types {
			t.typeByID[ty.Code] = len(t.types)
			t.types = append(t.types, TypeInfo{Code: ty.Code, Label: ty.Label, Category: c.Code, CategoryLabel: c.Label})
		}
	}
}

// Types lists every type with its category, in file order.
func (t *Taxonomy) Types() []TypeInfo {
	return append([]TypeInfo(nil), t.types...)
}

// TypeOf returns the type with the given code.
func (t *Taxonomy) TypeOf(code string) (TypeInfo, bool) {
	i, ok := t.typeByID[code]
	if !ok {
		return TypeInfo{}, false
	}
	return t.types[i], true
}

// CategoryLabel returns the Chinese label of a category code, or "".
func (t *Taxonomy) CategoryLabel(code string) string {
	if i, ok := t.catByID[code]; ok {
		return t.Categories[i].Label
	}
	return ""
}
