package dedup

import (
	"strings"
	"unicode"
)

// name is a company, place or person found in a report.
type name struct {
	kind  nameKind
	class string
	// value is the matching form: one spelling for every way of writing
	// the same name.
	value string
	// stem is the value without its road and without 某: two names whose
	// stems differ are surely two parties, while 某五金 and 科技路那家五金厂
	// may be one.
	stem string
	// display is the name as written, for the dispatcher.
	display    string
	start, end int
	// id caches key(), which comparisons ask for often.
	id string
}

// key is the name's index value; the kind is part of it so that a village
// and a firm of the same name never meet.
func (n name) key() string {
	if n.id != "" {
		return n.id
	}
	switch n.kind {
	case kindFirm, kindShop, kindSite, kindInst:
		return n.class + ":" + n.value
	}
	return n.value
}

type suffixInfo struct {
	kind  nameKind
	class string
}

var (
	suffixInfos   []suffixInfo
	suffixLexicon = func() *lexicon {
		words := map[string]int{}
		for _, g := range suffixGroups {
			for _, w := range g.words {
				words[w] = len(suffixInfos)
				suffixInfos = append(suffixInfos, suffixInfo{kind: g.kind, class: g.class})
			}
		}
		return newSuffixLexicon(words)
	}()
	boundaryLexicon = newLexicon(nameBoundaries)
)

// extractNames finds the companies, shops, sites, estates, villages, roads,
// house numbers and persons a normalised text names.
func extractNames(t []rune) []name {
	var out []name
	lastEnd := 0 // names never overlap
	clause := 0  // start of the current clause: context does not cross a comma
	ctx := -1    // index in out of the last road, estate or village of the clause
	for e := 1; e <= len(t); e++ {
		if t[e-1] == sep {
			clause, ctx = e, -1
			continue
		}
		w, ok := suffixLexicon.endsWith(t, e)
		if !ok {
			continue
		}
		s := e - len(w.word)
		if s < lastEnd {
			continue
		}
		info := suffixInfos[w.tag]
		n, ok := makeName(t, s, e, max(lastEnd, clause), info, out, ctx)
		if !ok {
			continue
		}
		if n.kind == kindRegion {
			lastEnd = e
			continue
		}
		out = append(out, n)
		lastEnd = n.end
		if n.kind == kindRoad || n.kind.isPlace() {
			ctx = len(out) - 1
			if a, ok := houseNumber(t, n); ok {
				out = append(out, a)
				lastEnd = a.end
			}
		}
	}
	out = append(out, extractPersons(t)...)
	return out
}

// makeName reads the core of a name backwards from its suffix at t[s:e].
func makeName(t []rune, s, e, floor int, info suffixInfo, prev []name, ctx int) (name, bool) {
	lo := s
	for lo > floor && lo > s-maxCore[info.kind] && isNameRune(t[lo-1]) {
		lo--
	}
	lo = cutAtBoundary(t, lo, s)
	core := string(t[lo:s])
	suffix := string(t[s:e])
	if info.kind != kindRegion && hasCue(t[lo:s]) {
		// "受了工伤厂里不管", "村民聚集村委会": what happened is no name.
		return name{}, false
	}
	switch info.kind {
	case kindRoad:
		if s-lo < 2 || (s > 0 && roadStops.has(t[s-1])) {
			return name{}, false
		}
		// The key keeps a short core (a road is named by its last few
		// characters); the dispatcher reads the name as it was written.
		return name{kind: kindRoad, value: core + suffix, stem: core, display: string(t[shownFrom(t, lo, floor, s):e]), start: lo, end: e}, true
	case kindVillage:
		// 一群村民, 村子, 村委会: the 村 belongs to the next word.
		if s-lo < 2 || villageStops.has(t[s-1]) || strings.HasSuffix(core, "村") ||
			e < len(t) && (t[e] == '民' || t[e] == '子' || t[e] == '委') {
			return name{}, false
		}
		return name{kind: kindVillage, value: core + suffix, stem: core, display: core + suffix, start: lo, end: e}, true
	case kindEstate:
		if s-lo < 2 {
			return name{}, false
		}
		// 东方花园小区 and 东方花园 are one estate; 幸福小区 is 幸福.
		v := core + suffix
		if suffix == "小区" {
			v = core
		}
		return name{kind: kindEstate, value: v, stem: v, display: core + suffix, start: lo, end: e}, true
	case kindRegion:
		return name{kind: kindRegion, start: lo, end: e}, true
	}

	// A firm, shop, site or institution.
	core = trimRegion(core)
	if info.kind == kindFirm {
		for _, tail := range firmTails {
			core = strings.TrimSuffix(core, tail)
		}
	}
	if info.kind == kindSite {
		core = strings.TrimSuffix(core, "项目")
	}
	anon := strings.Contains(core, "某")
	bare := strings.ReplaceAll(core, "某", "")
	start := lo
	var road string
	switch {
	case bare != "" && !genericCores[bare]:
	case anon && bare != "":
		// 某五金: how the zone writes one firm it will not name.
	case ctx >= 0 && ctx >= len(prev)-2 && lo-prev[len(prev)-1].end <= 3 &&
		(len(prev) == ctx+1 || prev[len(prev)-1].kind == kindAddr):
		// "南苑路一家饭店", "科技路那家五金厂", "望湖路工地": the name is
		// the place it stands at.
		road = prev[ctx].display
		start = prev[ctx].start
	default:
		return name{}, false
	}
	value, stem := core, bare
	if road != "" {
		value, stem = road+bare, bare
	}
	if len([]rune(value)) < 2 {
		return name{}, false
	}
	return name{kind: info.kind, class: info.class, value: value, stem: stem,
		display: string(t[start:e]), start: start, end: e}, true
}

// cutAtBoundary moves the start of a core past the last boundary word in
// t[lo:s] that leaves a name of two characters, or past a strong boundary
// that leaves less.
func cutAtBoundary(t []rune, lo, s int) int {
	// The last boundary that qualifies wins: scanning forward, each one
	// that qualifies replaces the one before.
	cut := lo
	boundaryLexicon.scan(t[lo:s], func(_, end, tag int) {
		if s-(lo+end) >= 2 || tag == 1 {
			cut = lo + end
		}
	})
	return cut
}

// shownFrom is where a name cut short for its key starts as written:
// back from lo over name characters (at most 8 before its suffix at s,
// never before floor), stopping at a word that is no part of a name.
func shownFrom(t []rune, lo, floor, s int) int {
	from := lo
	for from > floor && from > s-8 && isNameRune(t[from-1]) {
		from--
	}
	if from == lo {
		return lo
	}
	return cutAtBoundary(t, from, s)
}

func trimRegion(core string) string {
	for _, p := range regionPrefixes {
		if rest, ok := strings.CutPrefix(core, p); ok && len([]rune(rest)) >= 2 {
			return rest
		}
	}
	return core
}

// houseNumber reads "88号", "7幢", "3号楼" right after a road or estate: the
// address down to the building, so that neighbours in one building meet and
// two buildings of one estate do not.
func houseNumber(t []rune, base name) (name, bool) {
	j := base.end
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == base.end || j >= len(t) {
		return name{}, false
	}
	digits := string(t[base.end:j])
	var mark string
	switch {
	case t[j] == '号' && j+1 < len(t) && t[j+1] == '楼':
		mark, j = "幢", j+2
	case t[j] == '号':
		mark, j = "号", j+1
	case t[j] == '幢' || t[j] == '栋':
		mark, j = "幢", j+1
	case t[j] == '弄':
		mark, j = "弄", j+1
	default:
		return name{}, false
	}
	v := base.value + "#" + digits + mark
	return name{kind: kindAddr, value: v, stem: v, display: base.display + string(t[base.end:j]), start: base.start, end: j}, true
}

// extractPersons finds persons as the zone writes them: 王某, 李某某, 老王,
// 小周, 王师傅, 刘老板. 包工头老李 is 老李.
func extractPersons(t []rune) []name {
	var out []name
	for i := 0; i < len(t); i++ {
		r := t[i]
		if (r == '老' || r == '小') && i+1 < len(t) && surnames.has(t[i+1]) {
			if i > 0 && strings.ContainsRune("大从很最小老", t[i-1]) {
				continue
			}
			v := string(t[i : i+2])
			out = append(out, name{kind: kindPerson, value: v, stem: v, display: v, start: i, end: i + 2})
			i++
			continue
		}
		if !surnames.has(r) || i+1 >= len(t) {
			continue
		}
		if t[i+1] == '某' {
			j := i + 2
			if j < len(t) && t[j] == '某' {
				j++
			}
			v := string(r) + "某"
			out = append(out, name{kind: kindPerson, value: v, stem: v, display: string(t[i:j]), start: i, end: j})
			i = j - 1
			continue
		}
		for _, n := range []int{3, 2, 1} {
			if i+1+n > len(t) {
				continue
			}
			if title, ok := personTitles[string(t[i+1:i+1+n])]; ok {
				v := string(r) + title
				out = append(out, name{kind: kindPerson, value: v, stem: v, display: string(t[i : i+1+n]), start: i, end: i + 1 + n})
				i += n
				break
			}
		}
	}
	return out
}

// partyNames reads names given apart from the text: a firm or person
// written in the usual way, or else a plain full name.
func partyNames(parties []string) []name {
	var out []name
	for _, p := range parties {
		t := normalizeText(p)
		found := extractNames(t)
		if len(found) > 0 {
			out = append(out, found...)
			continue
		}
		if len(t) >= 2 && len(t) <= 4 && allHan(t) {
			v := string(t)
			out = append(out, name{kind: kindParty, value: v, stem: v, display: v})
		}
	}
	return out
}

// hasCue reports whether a stretch of text holds a facet word.
func hasCue(t []rune) bool {
	found := false
	cueLexicon.scan(t, func(_, _, tag int) { found = found || tag < int(numFacets) })
	return found
}

func isNameRune(r rune) bool {
	return r != sep && (unicode.Is(unicode.Han, r) || r >= 'a' && r <= 'z')
}

func allHan(t []rune) bool {
	for _, r := range t {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}
