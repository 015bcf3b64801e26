package dedup

import (
	"math"
	"strings"
	"time"
)

// Similarity and distance bounds of the rules. They are properties of the
// measures, not settings: a content Jaccard of 0.3 between two reports'
// character pairs (names cut out) is already far above what unrelated
// reports reach, 0.5 is the same story retold, 0.6 is one record copied.
const (
	simMid       = 0.3
	simHigh      = 0.5
	simCopy      = 0.6
	closeMetres  = 50.0
	minFarMetres = 1000.0
)

// placeLevel ranks how surely two reports are at one place.
type placeLevel int

const (
	placeNone  placeLevel = iota
	placeRoad             // the same road, no number
	placeArea             // the same estate, village, shop or site
	placeNear             // within the radius
	placeClose            // within 50 m, or the same house number
)

// evidence is everything two Prepared reports have in common or in
// conflict, computed once per pair.
type evidence struct {
	gap      time.Duration
	inWindow bool

	samePhone, callerPhone bool
	retry, again           bool

	dist    float64
	hasDist bool
	far     bool
	place   placeLevel

	addr, area, road, org, party *name
	persons                      []name
	addrConflict, orgConflict    bool
	placeConflict                bool

	rel           typeRel
	text          float64
	shared        facetSet
	facetJ        float64
	facetConflict bool
}

// gather compares a new report n with an old report o.
func gather(n, o *Prepared, cfg Config) evidence {
	var e evidence
	e.gap = n.at().Sub(o.at())
	if e.gap < 0 {
		e.gap = -e.gap
	}
	e.inWindow = e.gap <= cfg.Window

	for _, a := range n.phones {
		for _, b := range o.phones {
			if a == b {
				e.samePhone = true
			}
		}
	}
	// A grid worker's or liaison's number says who passed the report on,
	// not who is involved.
	e.callerPhone = e.samePhone && !n.intermediary && !o.intermediary
	e.retry = e.callerPhone && n.retry
	e.again = n.again

	if n.hasLoc && o.hasLoc {
		e.dist, e.hasDist = Haversine(n.loc, o.loc), true
		e.far = e.dist > math.Max(minFarMetres, 3*cfg.Radius)
	}

	e.addr, e.addrConflict = shareName(n, o, func(k nameKind) bool { return k == kindAddr })
	e.org, e.orgConflict = shareName(n, o, nameKind.isOrg)
	e.party, _ = shareName(n, o, func(k nameKind) bool { return k == kindParty })
	area, areaConflict := shareName(n, o, nameKind.isPlace)
	e.area = area
	if e.area == nil && e.org != nil && e.org.kind != kindFirm {
		e.area = e.org // a shop, a site, a village office stands at one place
	}
	road, roadConflict := shareName(n, o, func(k nameKind) bool { return k == kindRoad })
	e.road = road
	for _, a := range n.names {
		if a.kind != kindPerson {
			continue
		}
		for _, b := range o.names {
			if b.kind == kindPerson && a.value == b.value {
				e.persons = append(e.persons, a)
			}
		}
	}

	switch {
	case e.far:
	case e.addr != nil || e.hasDist && e.dist <= closeMetres:
		e.place = placeClose
	case e.hasDist && e.dist <= cfg.Radius:
		e.place = placeNear
	case e.area != nil:
		e.place = placeArea
	case e.road != nil:
		e.place = placeRoad
	}
	e.placeConflict = e.far || e.addrConflict ||
		areaConflict && e.place < placeNear ||
		roadConflict && !e.hasDist && e.place == placeNone

	e.rel = relate(n.r.Type, n.r.Category, o.r.Type, o.r.Category)
	e.text = jaccard(n.shingles, o.shingles)
	nf, of := n.facets&^weakFacets, o.facets&^weakFacets
	e.shared = nf & of
	if u := (nf | of).count(); u > 0 {
		e.facetJ = float64(e.shared.count()) / float64(u)
	}
	e.facetConflict = nf != 0 && of != 0 && !nf.kin(of)
	return e
}

// shareName answers the first name of the kinds asked for that both
// reports hold, and whether both hold such names that cannot be the same
// party: 某电器厂 against 某汽配厂 is a conflict, 某五金 against 科技路那家五金厂
// is not.
func shareName(n, o *Prepared, match func(nameKind) bool) (*name, bool) {
	hasN, hasO, compatible := false, false, false
	for j := range o.names {
		if match(o.names[j].kind) {
			hasO = true
			break
		}
	}
	for i := range n.names {
		a := &n.names[i]
		if !match(a.kind) {
			continue
		}
		hasN = true
		for j := range o.names {
			b := &o.names[j]
			if b.kind != a.kind {
				continue
			}
			if a.key() == b.key() {
				return a, false
			}
			if a.class == b.class &&
				(a.stem == "" || b.stem == "" || strings.Contains(a.stem, b.stem) || strings.Contains(b.stem, a.stem)) {
				compatible = true
			}
		}
	}
	return nil, hasN && hasO && !compatible
}

// contentMatch reports whether the two reports tell the same kind of
// happening, in shared words or shared facets.
func (e *evidence) contentMatch() bool {
	return e.text >= simMid || e.facetJ >= 0.33
}

func (e *evidence) typeOK() bool { return e.rel == relSame || e.rel == relFamily }

// mergeRule holds the rules under which two reports are one incident. The
// score must clear the threshold as well.
func (e *evidence) mergeRule() bool {
	if !e.inWindow {
		return false
	}
	blocked := e.orgConflict || e.addrConflict
	if e.callerPhone {
		switch {
		case e.retry && !e.orgConflict:
			return true // "我刚才报过警了，怎么还没人来"
		case blocked:
		case e.text >= simHigh:
			return true
		case e.contentMatch() && (e.rel == relSame || e.rel == relUnknown):
			// A caller's second matter of a neighbouring type (his unpaid
			// goods, then a private loan) is a second case.
			return true
		case e.place >= placeNear && e.rel == relSame && !e.facetConflict:
			return true
		}
	}
	if blocked || e.placeConflict || e.facetConflict {
		return e.text >= simCopy && !blocked && !e.placeConflict && e.rel != relDifferent
	}
	switch {
	case e.place >= placeArea && e.typeOK() && (e.contentMatch() || e.org != nil || e.party != nil):
		return true
	case e.place >= placeArea && e.rel == relUnknown &&
		(e.shared.count() >= 2 || e.text >= simHigh || e.org != nil && e.shared != 0):
		return true
	case e.org != nil && e.typeOK() && e.contentMatch():
		return true // the same firm stands for the same gate
	case e.place == placeRoad && e.typeOK() && (e.text >= simMid || e.shared.count() >= 2):
		return true
	case e.text >= simCopy && e.rel != relDifferent:
		return true // one record arriving by two routes
	}
	return false
}

// partyRule holds the rules under which a later report is about the same
// dispute between the same parties: what makes a repeat after closure, or
// a call about a case still open beyond the window.
func (e *evidence) partyRule() bool {
	typeOK := e.typeOK() || e.rel == relUnknown && e.contentMatch()
	if !typeOK || e.facetConflict && e.rel != relSame && e.text < simMid {
		return false
	}
	content := e.contentMatch() || e.again || e.rel == relSame
	switch {
	case e.org != nil && !e.far:
		return true
	case e.party != nil:
		return true
	case e.addr != nil:
		return true
	case e.callerPhone && content && !e.orgConflict && !e.addrConflict:
		return true
	case e.area != nil && e.area.kind.isPlace() && (e.again || e.rel == relSame) && content && !e.placeConflict:
		return true
	case len(e.persons) > 0 && e.place >= placeArea && content:
		return true
	}
	return false
}

// noisyOr combines independent pieces of evidence into one score.
func noisyOr(ws ...float64) float64 {
	p := 1.0
	for _, w := range ws {
		p *= 1 - w
	}
	return 1 - p
}

// windowScore weighs the evidence that two reports are one incident.
func (e *evidence) windowScore(cfg Config) float64 {
	ws := make([]float64, 0, 12)
	switch {
	case e.callerPhone:
		ws = append(ws, 0.55)
		if e.retry {
			ws = append(ws, 0.5)
		}
	case e.samePhone:
		ws = append(ws, 0.1)
	}
	switch e.place {
	case placeClose:
		ws = append(ws, 0.55)
	case placeNear:
		ws = append(ws, 0.5-0.25*e.dist/cfg.Radius)
	case placeArea:
		ws = append(ws, 0.35)
	case placeRoad:
		ws = append(ws, 0.15)
	}
	if e.org != nil && !e.far {
		ws = append(ws, 0.45)
	}
	if e.party != nil {
		ws = append(ws, 0.45)
	}
	if len(e.persons) > 0 {
		ws = append(ws, 0.15)
	}
	ws = append(ws, math.Min(0.75, 1.3*e.text))
	if !e.facetConflict {
		ws = append(ws, math.Min(0.55, 0.3*float64(e.shared.count())))
	}
	ws = append(ws, e.typeWeight())
	s := noisyOr(ws...) * e.penalty()
	return s * (1 - 0.2*math.Min(1, float64(e.gap)/float64(cfg.Window)))
}

// partyScore weighs the evidence that a later report is the same dispute.
func (e *evidence) partyScore() float64 {
	ws := make([]float64, 0, 12)
	if e.callerPhone {
		ws = append(ws, 0.5)
	}
	if e.org != nil && !e.far {
		ws = append(ws, 0.5)
	}
	if e.party != nil {
		ws = append(ws, 0.5)
	}
	if e.addr != nil {
		ws = append(ws, 0.45)
	} else if e.area != nil {
		ws = append(ws, 0.3)
	}
	if len(e.persons) > 0 {
		ws = append(ws, 0.2)
	}
	if e.again {
		ws = append(ws, 0.25)
	}
	ws = append(ws, math.Min(0.6, 1.2*e.text))
	if !e.facetConflict {
		ws = append(ws, math.Min(0.45, 0.25*float64(e.shared.count())))
	}
	ws = append(ws, e.typeWeight())
	return noisyOr(ws...) * e.penalty()
}

func (e *evidence) typeWeight() float64 {
	switch e.rel {
	case relSame:
		return 0.3
	case relFamily:
		return 0.15
	}
	return 0
}

// penalty lowers the score for what speaks against one incident.
func (e *evidence) penalty() float64 {
	p := 1.0
	if e.rel == relDifferent {
		p *= 0.6
	}
	if e.facetConflict && !e.retry {
		p *= 0.7
	}
	if e.orgConflict {
		p *= 0.5
	}
	if e.placeConflict {
		p *= 0.5
	}
	return p
}

// Compare judges a new report against one old report.
func Compare(newR, old Report, cfg Config) Match {
	return ComparePrepared(Prepare(newR, cfg), Prepare(old, cfg), cfg)
}

// ComparePrepared judges a new report against one old report, both
// prepared. Rules decide what a match may be; the score, against the
// configured thresholds, decides whether it is.
func ComparePrepared(n, o *Prepared, cfg Config) Match {
	cfg = cfg.withDefaults()
	m := Match{ID: o.r.ID}
	if o.state == stateGone {
		return m // merged or with the police: its master or the police hold it
	}
	e := gather(n, o, cfg)
	sameLine := n.r.Line == "" || o.r.Line == "" || n.r.Line == o.r.Line

	if e.inWindow {
		score := round2(e.windowScore(cfg))
		rule := e.mergeRule()
		switch {
		case rule && sameLine && o.mergeable && score >= cfg.MergeThreshold:
			m.Level, m.Score = Merge, score
			m.Reasons = e.windowReasons(n, o, cfg)
			return m
		case rule && !o.mergeable && score >= cfg.CandidateThreshold:
			m.Level, m.Score = Candidate, math.Min(score, cfg.MergeThreshold-0.01)
			m.Reasons = append(e.windowReasons(n, o, cfg), "原工单已办结，如属同一事件请先重办再合并")
			return m
		case e.repeatable(n, o, cfg) && e.partyRule():
			// Closed a while ago, reported again within the window: a repeat.
		case score >= cfg.CandidateThreshold || e.telling():
			m.Level, m.Score = Candidate, math.Min(score, cfg.MergeThreshold-0.01)
			m.Reasons = e.windowReasons(n, o, cfg)
			if rule && !sameLine {
				m.Reasons = append(m.Reasons, "业务线不同，未自动合并")
			}
			return m
		default:
			m.Score = score
			return m
		}
	}

	if e.gap > cfg.RepeatHorizon || !e.partyRule() {
		return m
	}
	score := round2(e.partyScore())
	if score < cfg.CandidateThreshold {
		return m
	}
	switch {
	case e.repeatable(n, o, cfg):
		m.Level, m.Score = Repeat, score
		m.Reasons = e.partyReasons(n, o, true)
	case o.state == stateOpen:
		// Still being handled: the same dispute called in again later.
		m.Level, m.Score = Candidate, math.Min(score, cfg.MergeThreshold-0.01)
		m.Reasons = e.partyReasons(n, o, false)
	}
	return m
}

// telling reports whether one piece of evidence alone is worth the
// dispatcher's look within the window, whatever speaks against it: the same
// caller (who may be reporting two things, or one thing twice), the same
// spot, the same firm or party, the same story told far away.
func (e *evidence) telling() bool {
	return e.callerPhone || e.place >= placeNear || e.org != nil && !e.far || e.party != nil || e.text >= simHigh
}

// repeatable reports whether the old case was finished before the new
// report came, within the horizon.
func (e *evidence) repeatable(n, o *Prepared, cfg Config) bool {
	if o.state != stateFinished {
		return false
	}
	since := n.r.At.Sub(o.closedAt())
	return since > 0 && since <= cfg.RepeatHorizon && !(e.inWindow && o.mergeable)
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
