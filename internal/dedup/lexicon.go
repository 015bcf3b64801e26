package dedup

import "slices"

// lexicon finds listed words in normalised text in one pass: words are
// grouped by their first rune, longest first, so that each position costs a
// map lookup and a few comparisons.
type lexicon struct {
	byFirst map[rune][]lexWord
	// starts marks the runes of the Basic Multilingual Plane that begin a
	// word, so that most positions are rejected without a map lookup.
	starts runeBits
}

func (lx *lexicon) index() {
	for r := range lx.byFirst {
		lx.starts.add(r)
	}
}

// maybe reports whether a word may begin with r. starts holds no rune
// beyond the Basic Multilingual Plane, so such a rune is always looked up.
func (lx *lexicon) maybe(r rune) bool {
	return r >= 1<<16 || lx.starts.has(r)
}

type lexWord struct {
	word []rune
	tag  int
}

// newLexicon builds a lexicon of words, each with a tag that says what it
// stands for (a facet, a cue, a suffix class…). Words are normalised the way
// text is, so that "二十多" in a list meets "20多" in a report.
func newLexicon(words map[string]int) *lexicon {
	lx := &lexicon{byFirst: map[rune][]lexWord{}}
	for w, tag := range words {
		rs := normalizeText(w)
		if len(rs) == 0 {
			continue
		}
		lx.byFirst[rs[0]] = append(lx.byFirst[rs[0]], lexWord{word: rs, tag: tag})
	}
	for r, ws := range lx.byFirst {
		slices.SortFunc(ws, func(a, b lexWord) int { return len(b.word) - len(a.word) })
		lx.byFirst[r] = ws
	}
	lx.index()
	return lx
}

// at answers the longest listed word starting at t[i].
func (lx *lexicon) at(t []rune, i int) (lexWord, bool) {
	if !lx.maybe(t[i]) {
		return lexWord{}, false
	}
	for _, w := range lx.byFirst[t[i]] {
		if len(w.word) <= len(t)-i && slices.Equal(t[i:i+len(w.word)], w.word) {
			return w, true
		}
	}
	return lexWord{}, false
}

// scan calls fn for each listed word found, left to right, without overlaps.
func (lx *lexicon) scan(t []rune, fn func(start, end, tag int)) {
	for i := 0; i < len(t); {
		if w, ok := lx.at(t, i); ok {
			fn(i, i+len(w.word), w.tag)
			i += len(w.word)
			continue
		}
		i++
	}
}

// endsWith answers the longest listed word ending at t[end-1]. The lexicon
// must have been built with reversed words (see newSuffixLexicon).
func (lx *lexicon) endsWith(t []rune, end int) (lexWord, bool) {
	if !lx.maybe(t[end-1]) {
		return lexWord{}, false
	}
	for _, w := range lx.byFirst[t[end-1]] {
		n := len(w.word)
		if n > end {
			continue
		}
		ok := true
		for k := 0; k < n; k++ {
			if t[end-1-k] != w.word[k] {
				ok = false
				break
			}
		}
		if ok {
			return w, true
		}
	}
	return lexWord{}, false
}

// newSuffixLexicon builds a lexicon of reversed words for endsWith.
func newSuffixLexicon(words map[string]int) *lexicon {
	fwd := newLexicon(words)
	lx := &lexicon{byFirst: map[rune][]lexWord{}}
	for _, ws := range fwd.byFirst {
		for _, w := range ws {
			rev := slices.Clone(w.word)
			slices.Reverse(rev)
			lx.byFirst[rev[0]] = append(lx.byFirst[rev[0]], lexWord{word: rev, tag: w.tag})
		}
	}
	for r, ws := range lx.byFirst {
		slices.SortFunc(ws, func(a, b lexWord) int { return len(b.word) - len(a.word) })
		lx.byFirst[r] = ws
	}
	lx.index()
	return lx
}
