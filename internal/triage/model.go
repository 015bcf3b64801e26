package triage

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode"
)

// ErrEmptyText is returned by Validate for a report with nothing to read;
// the HTTP layer answers it with 400.
var ErrEmptyText = errors.New("triage: empty text")

// Risk levels, as in the contract.
const (
	RiskLow    = "low"
	RiskMedium = "medium"
	RiskHigh   = "high"
)

var riskLevels = [numRisk]string{RiskLow, RiskMedium, RiskHigh}

func riskIndex(s string) (int, bool) {
	for i, r := range riskLevels {
		if r == s {
			return i, true
		}
	}
	return 0, false
}

// Signals are facts about a report that are not in its words.
type Signals struct {
	// Repeats is how many earlier reports concern the same dispute (from
	// duplicate detection); each one raises the risk.
	Repeats int
	// Now is when the report came in; it places wage disputes in the
	// Spring Festival season. The zero time leaves the season out, which
	// keeps Classify a pure function of its inputs.
	Now time.Time
	// Category is a category a person gave without a type: the type is
	// then the most likely one within it. An unknown category is ignored.
	Category string
}

// Result is the triage of one report. The first five JSON fields are the
// contract's answer of POST /api/v1/triage, in its order.
type Result struct {
	Category   string  `json:"category"`
	Type       string  `json:"type"`
	Police     bool    `json:"police"`
	Risk       string  `json:"risk"`
	Confidence float64 `json:"confidence"`
	// Cues are the words that made it a police matter.
	Cues        []string `json:"cues,omitempty"`
	RiskScore   float64  `json:"risk_score"`
	RiskReasons []string `json:"risk_reasons,omitempty"`
	// CategoryLabel and TypeLabel are the Chinese names users see.
	CategoryLabel string `json:"category_label"`
	TypeLabel     string `json:"type_label"`
}

// Model classifies reports. It is immutable once trained and safe for
// concurrent use; to learn from corrections, Train a new one and swap it in
// (for example with atomic.Pointer).
type Model struct {
	tax     *Taxonomy
	lex     *lexicon
	lin     *linear
	types   []TypeInfo
	catOf   []int // type index → category index
	nCats   int
	trained int
	tags    tagSet
	pool    sync.Pool // *scratch
}

// tagSet holds the buckets of the side features, computed once per model
// so that Classify does not build strings.
type tagSet struct {
	policeStrong, policeWeak, risk, hint []uint32 // by cue group or type
	negated, groupHigh, groupMedium      uint32
	moneyHigh, moneyMedium, moneyLow     uint32
}

func newTagSet(t *Taxonomy) tagSet {
	var ts tagSet
	for _, c := range t.Police.Cues {
		ts.policeStrong = append(ts.policeStrong, tagBucket("P:"+c.Kind))
		ts.policeWeak = append(ts.policeWeak, tagBucket("p:"+c.Kind))
	}
	for _, c := range t.Risk.Cues {
		ts.risk = append(ts.risk, tagBucket("R:"+c.Kind))
	}
	for _, ty := range t.types {
		ts.hint = append(ts.hint, tagBucket("H:"+ty.Code))
	}
	ts.negated = tagBucket("P:negated")
	ts.groupHigh, ts.groupMedium = tagBucket("G:high"), tagBucket("G:medium")
	ts.moneyHigh, ts.moneyMedium, ts.moneyLow = tagBucket("M:high"), tagBucket("M:medium"), tagBucket("M:low")
	return ts
}

// scratch holds the per-call buffers of Classify.
type scratch struct {
	x       extractor
	matches []match
	tags    []uint32
	scores  []float32
}

// Validate reports ErrEmptyText when text holds nothing but white space,
// control or formatting characters.
func Validate(text string) error {
	for _, r := range text {
		if r == '\uFFFD' || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		return nil
	}
	return ErrEmptyText
}

// Train builds a model from labelled examples, usually BuiltinExamples plus
// the dispatchers' corrections. It is deterministic: the same taxonomy and
// examples in the same order give the same model.
func Train(tax *Taxonomy, examples []Example) (*Model, error) {
	return train(tax, examples, defaultTrainConfig)
}

func train(tax *Taxonomy, examples []Example, cfg trainConfig) (*Model, error) {
	if tax == nil {
		return nil, errors.New("triage: train: nil taxonomy")
	}
	if tax.typeByID == nil {
		// Built by hand rather than by LoadTaxonomy: check it the same way.
		if path, msg := tax.check(); msg != "" {
			return nil, fmt.Errorf("triage: train: taxonomy %s: %s", path, msg)
		}
		tax.index()
	}
	if len(examples) == 0 {
		return nil, errors.New("triage: train: no examples")
	}
	m := &Model{tax: tax, lex: newLexicon(tax), types: tax.types, nCats: len(tax.Categories), tags: newTagSet(tax)}
	m.catOf = make([]int, len(m.types))
	for i, ty := range m.types {
		m.catOf[i] = tax.catByID[ty.Category]
	}
	m.pool.New = func() any { return &scratch{scores: make([]float32, len(m.types)+1+numRisk)} }

	items := make([]trainItem, 0, len(examples))
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	for i, ex := range examples {
		ti, ok := tax.typeByID[ex.Type]
		if !ok {
			return nil, fmt.Errorf("triage: train: example %d (%s): type %q is not in the taxonomy", i+1, snippet(ex.Text), ex.Type)
		}
		if ex.Category != "" && ex.Category != m.types[ti].Category {
			return nil, fmt.Errorf("triage: train: example %d (%s): type %q belongs to %q, not %q", i+1, snippet(ex.Text), ex.Type, m.types[ti].Category, ex.Category)
		}
		risk := -1
		if ex.Risk != "" {
			r, ok := riskIndex(ex.Risk)
			if !ok {
				return nil, fmt.Errorf("triage: train: example %d (%s): risk %q is not low, medium or high", i+1, snippet(ex.Text), ex.Risk)
			}
			risk = r
		}
		if ex.Weight < 0 || math.IsNaN(ex.Weight) || math.IsInf(ex.Weight, 0) {
			return nil, fmt.Errorf("triage: train: example %d (%s): weight %v", i+1, snippet(ex.Text), ex.Weight)
		}
		w := ex.Weight
		if w == 0 {
			w = 1
		}
		norm := Normalize(ex.Text)
		if norm == "" {
			return nil, fmt.Errorf("triage: train: example %d: empty text", i+1)
		}
		vec := m.features(sc, norm)
		items = append(items, trainItem{
			vec:    featureVec{idx: append([]uint32(nil), vec.idx...), val: append([]float32(nil), vec.val...)},
			typ:    ti,
			police: ex.Police,
			risk:   risk,
			weight: float32(w),
		})
	}
	m.lin = trainLinear(items, len(m.types), cfg)
	m.trained = len(items)
	return m, nil
}

// NewDefaultModel trains the built-in model: DefaultTaxonomy on
// BuiltinExamples.
func NewDefaultModel() (*Model, error) {
	return Train(DefaultTaxonomy(), BuiltinExamples())
}

// maxInputBytes bounds the text Classify reads (maxRunes of up to four
// bytes each).
const maxInputBytes = 4 * maxRunes

// Taxonomy returns the taxonomy the model was trained with; callers must not
// modify it.
func (m *Model) Taxonomy() *Taxonomy { return m.tax }

// TrainedOn is the number of examples the model learned from.
func (m *Model) TrainedOn() int { return m.trained }

func snippet(s string) string {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) > 16 {
		return string(rs[:16]) + "…"
	}
	return string(rs)
}

// analysis is everything Classify reads from a text before deciding.
type analysis struct {
	norm  string
	qs    []Quantity
	hits  cueHits
	vec   featureVec
	score []float32 // raw scores, nOut
}

func (m *Model) features(sc *scratch, norm string) featureVec {
	a := m.read(sc, norm)
	return a.vec
}

// read normalises nothing: norm must already be normalised.
func (m *Model) read(sc *scratch, norm string) analysis {
	a := analysis{norm: norm}
	rs := []rune(norm)
	if len(rs) > maxRunes {
		rs = rs[:maxRunes]
		a.norm = string(rs)
	}
	a.qs = quantitiesOf(rs)
	sc.matches = m.lex.find(a.norm, sc.matches[:0])
	a.hits = m.lex.analyse(a.norm, sc.matches, m.tax.Negation.Gap)
	sc.tags = sideTags(sc.tags[:0], m, a)
	a.vec = sc.x.extract(a.norm, sc.tags, a.hits.negated)
	return a
}

// sideTags turn rule findings into features, so the statistical heads learn
// how much each kind of cue matters in context.
func sideTags(tags []uint32, m *Model, a analysis) []uint32 {
	ts := &m.tags
	for _, c := range a.hits.police {
		if c.role == rolePoliceStrong {
			tags = append(tags, ts.policeStrong[c.group])
		} else {
			tags = append(tags, ts.policeWeak[c.group])
		}
	}
	if a.hits.negatedPolice > 0 {
		tags = append(tags, ts.negated)
	}
	for _, c := range a.hits.risk {
		tags = append(tags, ts.risk[c.group])
	}
	for _, ti := range a.hits.hints {
		tags = append(tags, ts.hint[ti])
	}
	g := GroupSize(a.qs)
	switch {
	case g >= m.tax.Risk.Group.High:
		tags = append(tags, ts.groupHigh)
	case g >= m.tax.Risk.Group.Medium:
		tags = append(tags, ts.groupMedium)
	}
	money := MoneyAtStake(a.qs)
	switch {
	case money >= m.tax.Risk.Money.High:
		tags = append(tags, ts.moneyHigh)
	case money >= m.tax.Risk.Money.Medium:
		tags = append(tags, ts.moneyMedium)
	case money > 0:
		tags = append(tags, ts.moneyLow)
	}
	return tags
}

// Classify triages one report. It never fails: text with nothing to read
// (see Validate) gives the type "other" with confidence 0.
func (m *Model) Classify(text string, sig Signals) Result {
	sc := m.pool.Get().(*scratch)
	defer m.pool.Put(sc)
	if len(text) > maxInputBytes {
		// Far beyond the contract's 4,000 characters: read the beginning,
		// which is also all that feature extraction would look at.
		text = strings.ToValidUTF8(text[:maxInputBytes], "")
	}
	norm := Normalize(text)
	if norm == "" {
		return m.emptyResult(sig.Category)
	}
	a := m.read(sc, norm)
	s := sc.scores
	m.lin.scores(a.vec, s)
	nT := len(m.types)

	typeP := s[:nT]
	softmaxInPlace(typeP)
	// The category is decided first, from the types' probabilities summed
	// per category; the type is then the best one within that category, so
	// the two never disagree and a report torn between two labour types
	// still lands in labour.
	var catBuf [8]float64
	catP := catBuf[:0]
	if m.nCats > len(catBuf) {
		catP = make([]float64, 0, m.nCats)
	}
	catP = catP[:m.nCats]
	for i, p := range typeP {
		catP[m.catOf[i]] += float64(p)
	}
	bestCat, given := 0, false
	for c := range catP {
		if catP[c] > catP[bestCat] {
			bestCat = c
		}
	}
	if sig.Category != "" {
		for i, t := range m.types {
			if t.Category == sig.Category {
				bestCat, given = m.catOf[i], true
				break
			}
		}
	}
	bestType := -1
	for i, p := range typeP {
		if m.catOf[i] == bestCat && (bestType < 0 || p > typeP[bestType]) {
			bestType = i
		}
	}
	if !hasHan(a.norm) {
		// The corpus is Chinese: for a report in another script the model
		// only guesses, and "other" is the honest answer.
		if ti, ok := m.tax.typeByID["other"]; ok && (!given || m.catOf[ti] == bestCat) {
			bestType = ti
		}
	}
	policeP := sigmoid(s[nT])
	riskP := s[nT+1 : nT+1+numRisk]
	softmaxInPlace(riskP)

	ty := m.types[bestType]
	police, cues := m.decidePolice(a, policeP)
	score, reasons := m.scoreRisk(a, police, cues, ty.Code, riskP, sig)
	return Result{
		Category:      ty.Category,
		Type:          ty.Code,
		Police:        police,
		Risk:          m.riskLevel(score),
		Confidence:    round4(float64(typeP[bestType])),
		Cues:          cueWords(cues),
		RiskScore:     round4(score),
		RiskReasons:   reasons,
		CategoryLabel: ty.CategoryLabel,
		TypeLabel:     ty.Label,
	}
}

func (m *Model) emptyResult(category string) Result {
	ty, ok := m.tax.TypeOf("other")
	if !ok {
		ty = m.types[len(m.types)-1]
	}
	if category != "" && ty.Category != category {
		// Nothing to read, but a person gave the category: its first type.
		for _, t := range m.types {
			if t.Category == category {
				ty = t
				break
			}
		}
	}
	return Result{Category: ty.Category, Type: ty.Code, Risk: RiskLow,
		CategoryLabel: ty.CategoryLabel, TypeLabel: ty.Label}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func round4(x float64) float64 {
	return math.Round(x*1e4) / 1e4
}
