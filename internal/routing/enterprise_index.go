package routing

import (
	"strings"
	"unicode/utf8"
)

// enterpriseSuffixes are dropped to get the short name callers use
// (某五金制品有限公司 → 某五金制品).
var enterpriseSuffixes = []string{"股份有限公司", "有限责任公司", "有限公司", "集团", "公司"}

// EnterpriseIndex finds the zone's enterprises named in a report's text.
type EnterpriseIndex struct {
	byID    map[int64]Enterprise
	byHead  map[string][]nameKey // first two characters → names starting with them
	byMicro map[int64]int64      // micro-center unit → its enterprise
}

type nameKey struct {
	name string
	id   int64
}

// NewEnterpriseIndex indexes enterprises by their full and short names.
func NewEnterpriseIndex(es []Enterprise) *EnterpriseIndex {
	ix := &EnterpriseIndex{byID: make(map[int64]Enterprise, len(es)), byHead: map[string][]nameKey{}, byMicro: map[int64]int64{}}
	for _, e := range es {
		ix.byID[e.ID] = e
		if e.MicroCenter != nil {
			ix.byMicro[*e.MicroCenter] = e.ID
		}
		for _, n := range namesOf(e.Name) {
			head := string([]rune(n)[:2])
			ix.byHead[head] = append(ix.byHead[head], nameKey{name: n, id: e.ID})
		}
	}
	return ix
}

// namesOf answers the names a report may use for an enterprise: its full
// name and, when it stays distinctive (four characters or more), the name
// without its legal suffix.
func namesOf(full string) []string {
	out := []string{}
	if len([]rune(full)) >= 2 {
		out = append(out, full)
	}
	for _, suf := range enterpriseSuffixes {
		if short, ok := strings.CutSuffix(full, suf); ok && len([]rune(short)) >= 4 {
			out = append(out, short)
			break
		}
	}
	return out
}

// Get answers an enterprise by id.
func (ix *EnterpriseIndex) Get(id int64) (Enterprise, bool) {
	e, ok := ix.byID[id]
	return e, ok
}

// OfMicroCenter answers the enterprise whose micro-center (企业微中心)
// is the unit: the enterprise an enterprise account speaks for.
func (ix *EnterpriseIndex) OfMicroCenter(unit int64) (Enterprise, bool) {
	if ix == nil {
		return Enterprise{}, false
	}
	id, ok := ix.byMicro[unit]
	if !ok {
		return Enterprise{}, false
	}
	return ix.byID[id], true
}

// Find answers the enterprise named in the text, the longest name winning
// (某五金制品有限公司 over 某五金制品), or nil.
func (ix *EnterpriseIndex) Find(text string) *Enterprise {
	if ix == nil || len(ix.byHead) == 0 {
		return nil
	}
	if !utf8.ValidString(text) {
		text = string([]rune(text)) // each invalid byte read as U+FFFD
	}
	best, bestLen := int64(0), 0
	// i walks the rune boundaries that have at least two runes from there.
	for i := 0; i < len(text); {
		_, w1 := utf8.DecodeRuneInString(text[i:])
		if i+w1 >= len(text) {
			break
		}
		_, w2 := utf8.DecodeRuneInString(text[i+w1:])
		for _, k := range ix.byHead[text[i:i+w1+w2]] {
			n := len(k.name)
			if n > bestLen && strings.HasPrefix(text[i:], k.name) {
				best, bestLen = k.id, n
			}
		}
		i += w1
	}
	if bestLen == 0 {
		return nil
	}
	e := ix.byID[best]
	return &e
}
