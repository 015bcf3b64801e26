package triage

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// termRole says what a word of the taxonomy does when found in a report.
type termRole uint8

const (
	rolePoliceStrong termRole = iota
	rolePoliceWeak
	roleRisk
	roleNegation
	roleHedge
	roleException
	roleIgnore
	roleHint // group is the index of the type in Taxonomy.types
	rolePresent
)

type term struct {
	word  string // as written, for cues shown to the dispatcher
	parts []string
	// gap words (抢了…手机) match their parts in order, each within
	// maxGapRunes characters of the previous one and in the same clause.
	role  termRole
	group int // index into Police.Cues or Risk.Cues
	// bounded words start or end with an ASCII letter or digit and must not
	// be glued to another one (120 is not inside 1200).
	boundLeft, boundRight bool
}

// lexicon finds every taxonomy word in a normalised text in one pass. Words
// are grouped by their first character, so the cost grows with the text and
// not with the number of words.
type lexicon struct {
	terms   []term
	byFirst map[rune][]int32 // first rune → term ids, longest word first
}

func newLexicon(t *Taxonomy) *lexicon {
	lx := &lexicon{byFirst: map[rune][]int32{}}
	add := func(w string, role termRole, group int) {
		// Words are matched in normalised form (一拳 is 1拳 after Normalize)
		// but shown to the dispatcher as the taxonomy writes them.
		var parts []string
		for _, p := range strings.Split(w, gapMark) {
			if p = Normalize(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			return
		}
		first, _ := utf8.DecodeRuneInString(parts[0])
		last, _ := utf8.DecodeLastRuneInString(parts[len(parts)-1])
		lx.terms = append(lx.terms, term{
			word: w, parts: parts, role: role, group: group,
			boundLeft: isASCIIAlnum(first), boundRight: isASCIIAlnum(last),
		})
		lx.byFirst[first] = append(lx.byFirst[first], int32(len(lx.terms)-1))
	}
	for gi, c := range t.Police.Cues {
		for _, w := range c.Strong {
			add(w, rolePoliceStrong, gi)
		}
		for _, w := range c.Weak {
			add(w, rolePoliceWeak, gi)
		}
		for _, w := range c.Present {
			add(w, rolePresent, gi)
		}
	}
	for gi, c := range t.Risk.Cues {
		for _, w := range c.Words {
			add(w, roleRisk, gi)
		}
	}
	ti := 0
	for _, c := range t.Categories {
		for _, ty := range c.Types {
			for _, w := range ty.Hints {
				add(w, roleHint, ti)
			}
			ti++
		}
	}
	for _, w := range t.Negation.Words {
		add(w, roleNegation, -1)
	}
	for _, w := range t.Negation.Hedges {
		add(w, roleHedge, -1)
	}
	for _, w := range t.Negation.Exceptions {
		add(w, roleException, -1)
	}
	for _, w := range t.Ignore {
		add(w, roleIgnore, -1)
	}
	for r, ids := range lx.byFirst {
		slices.SortStableFunc(ids, func(a, b int32) int {
			return cmp.Compare(len(lx.terms[b].word), len(lx.terms[a].word))
		})
		lx.byFirst[r] = ids
	}
	return lx
}

// gapMark in a taxonomy word stands for up to maxGapRunes characters:
// 抢了…手机 matches 抢了她的手机 and 抢了我手机.
const (
	gapMark     = "…"
	maxGapRunes = 6
)

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIDigit(r) || r >= 'a' && r <= 'z')
}

// match is one occurrence of a term; start and end are byte offsets.
type match struct {
	start, end int
	id         int32
}

// find returns all occurrences, overlapping ones included, in text order.
func (lx *lexicon) find(text string, dst []match) []match {
	for off, r := range text {
		ids := lx.byFirst[r]
		for _, id := range ids {
			tm := &lx.terms[id]
			if !strings.HasPrefix(text[off:], tm.parts[0]) {
				continue
			}
			end, ok := off+len(tm.parts[0]), true
			for _, p := range tm.parts[1:] {
				if end, ok = findNear(text, end, p); !ok {
					break
				}
			}
			if !ok {
				continue
			}
			if tm.boundLeft && off > 0 && isASCIIAlnum(rune(text[off-1])) {
				continue
			}
			if tm.boundRight && end < len(text) && isASCIIAlnum(rune(text[end])) {
				continue
			}
			dst = append(dst, match{start: off, end: end, id: id})
		}
	}
	return dst
}

// findNear looks for p starting within maxGapRunes characters after from,
// without crossing a clause boundary, and returns the end of the match.
func findNear(text string, from int, p string) (int, bool) {
	limit := from
	for n := 0; n <= maxGapRunes && limit < len(text); n++ {
		if strings.HasPrefix(text[limit:], p) {
			return limit + len(p), true
		}
		r, size := utf8.DecodeRuneInString(text[limit:])
		if r == sep {
			break
		}
		limit += size
	}
	return 0, false
}

// span is a byte range of a normalised text.
type span struct{ start, end int }

// firedCue is a police or risk word that counts: not negated, not inside a
// harmless longer word.
type firedCue struct {
	word  string
	role  termRole
	group int
}

// cueHits are the cues found in one text.
type cueHits struct {
	police []firedCue // strong and weak police cues
	risk   []firedCue
	// negatedPolice counts police cues cancelled by a negation or hedge; the
	// statistical model sees it, so 没有动手 reads differently from 动手.
	negatedPolice int
	// negated holds the byte spans of the cancelled cues: their n-grams are
	// hashed apart, so 没打人 does not read as 打人 to the statistical model.
	negated []span
	// hints lists the type index of every hint word found.
	hints []int
}

// analyse resolves negation, hedges, exceptions and ignore words.
func (lx *lexicon) analyse(text string, ms []match, gap int) cueHits {
	var h cueHits
	var ignores, exceptions []span
	for _, m := range ms {
		switch lx.terms[m.id].role {
		case roleIgnore:
			ignores = append(ignores, span{m.start, m.end})
		case roleException:
			exceptions = append(exceptions, span{m.start, m.end})
		}
	}
	within := func(list []span, s, e int) bool {
		for _, sp := range list {
			if sp.start <= s && e <= sp.end {
				return true
			}
		}
		return false
	}
	type neg struct {
		start, end int
		hedge      bool
	}
	var negs []neg
	for _, m := range ms {
		role := lx.terms[m.id].role
		if role != roleNegation && role != roleHedge {
			continue
		}
		if overlapsAny(exceptions, m.start, m.end, func(sp span) (int, int) { return sp.start, sp.end }) {
			continue
		}
		negs = append(negs, neg{m.start, m.end, role == roleHedge})
	}
	negated := func(start int, police bool) bool {
		for _, n := range negs {
			if n.end > start || (n.hedge && !police) {
				continue
			}
			between := text[n.end:start]
			if strings.ContainsRune(between, sep) {
				continue
			}
			if utf8.RuneCountInString(between) <= gap {
				return true
			}
		}
		return false
	}
	var present []int // police cue groups whose suspect is still there
	for _, m := range ms {
		if tm := &lx.terms[m.id]; tm.role == rolePresent {
			present = append(present, tm.group)
		}
	}
	for _, m := range ms {
		tm := &lx.terms[m.id]
		switch tm.role {
		case rolePoliceStrong, rolePoliceWeak, roleRisk:
		case roleHint:
			h.hints = append(h.hints, tm.group)
			continue
		default:
			continue
		}
		if within(ignores, m.start, m.end) {
			continue
		}
		police := tm.role != roleRisk
		if negated(m.start, police) {
			if police {
				h.negatedPolice++
				h.negated = append(h.negated, span{m.start, m.end})
			}
			continue
		}
		fc := firedCue{word: tm.word, role: tm.role, group: tm.group}
		if fc.role == rolePoliceWeak && slices.Contains(present, fc.group) {
			fc.role = rolePoliceStrong
		}
		if police {
			h.police = append(h.police, fc)
		} else {
			h.risk = append(h.risk, fc)
		}
	}
	return h
}

func overlapsAny[T any](list []T, s, e int, bounds func(T) (int, int)) bool {
	for _, x := range list {
		a, b := bounds(x)
		if a < e && s < b {
			return true
		}
	}
	return false
}
